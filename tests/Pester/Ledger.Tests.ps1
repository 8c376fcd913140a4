#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Issue #25: the folder's ledger (.modelverseimage-journal), the one home of "what is done here". A torn entry is
# never glued onto; an entry counts only for the file whose content it names; the ledger is never a link, a pipe, a
# device or a huge file; a ledger that cannot be written never costs the image; a folder that cannot take files is
# refused before anything is sent. Against the local API stand-in, in real pwsh.

BeforeDiscovery {
    $canMakeFifo = [bool](Get-Command mkfifo -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'BoundedPwsh.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
    $moduleManifest = Get-ModelverseManifestPath
    $ledgerName = '.modelverseimage-journal'

    function New-SavedFolder {
        # A folder with one image of each prompt saved without its record (-NoMetadata), so the ledger alone knows them.
        param([string] $Name, [string[]] $Prompt, [string] $Size)
        $folder = Join-Path $TestDrive $Name
        $options = if ($Size) { @{ Size = $Size } } else { @{} }
        $null = $Prompt | New-MvImage @options -Resume $folder | Save-MvImage -Directory $folder -NoMetadata
        $null = Get-ModelverseRecordedRequest $standIn
        $folder
    }

    function Invoke-ResumeChild {
        # New-MvImage -Resume | Save-MvImage -NoMetadata in a fresh pwsh with a time limit; returns Output, ExitCode, TimedOut.
        param([string] $Folder, [string[]] $Prompt, [int] $TimeoutSec = 90)
        $script = @'
param($Manifest, $BaseUri, $ApiKey, $Folder, $Prompts)
$ErrorActionPreference = 'Continue'
Import-Module $Manifest -ErrorAction Stop
$env:MODELVERSE_API_KEY = $ApiKey
$saved = $Prompts -split '\|' | New-MvImage -BaseUri $BaseUri -Resume $Folder -WarningVariable +warned -ErrorVariable +failed 6>$null |
    Save-MvImage -Directory $Folder -NoMetadata -WarningVariable +warned -ErrorVariable +failed
"saved=$(@($saved).Count)"
$warned | ForEach-Object { "warning=$_" }
$failed | ForEach-Object { "error=$($_.FullyQualifiedErrorId)" }
"peakMB=$([int]([System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB))"
'@
        Invoke-BoundedPwsh -Script $script -ArgumentList $moduleManifest, $standIn.BaseUri, $standIn.ApiKey, $Folder, ($Prompt -join '|') -TimeoutSec $TimeoutSec
    }

    function Mount-SmallDisk {
        # A 2 MiB tmpfs at $Path; $null (and the reason in $script:MountRefused) where mount is not allowed.
        param([string] $Path)
        $null = New-Item -ItemType Directory -Path $Path -Force
        $said = & mount -t tmpfs -o size=2m tmpfs $Path 2>&1
        if ($LASTEXITCODE -ne 0) { $script:MountRefused = "mount -t tmpfs was refused here: $said"; return $null }
        $Path
    }
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'The ledger''s entries' {
    It 'ignores an entry cut short and never glues the next one onto it: the reruns after it send nothing' {
        $folder = New-SavedFolder -Name 'torn' -Prompt 'jfull cat'
        $ledger = Join-Path $folder $ledgerName
        # What a full disk leaves: the start of an entry, without its end.
        $entry = [System.IO.File]::ReadAllBytes($ledger)
        $stream = [System.IO.File]::Open($ledger, 'Append')
        try { $stream.Write($entry, 0, [Math]::Min(40, $entry.Length - 1)) } finally { $stream.Dispose() }

        $null = New-MvImage 'jfull dog' -Resume $folder | Save-MvImage -Directory $folder -NoMetadata
        $first = @(Get-ModelverseRecordedRequest $standIn)
        $null = 'jfull cat', 'jfull dog' | New-MvImage -Resume $folder -InformationVariable second 6>$null | Save-MvImage -Directory $folder -NoMetadata
        $null = 'jfull cat', 'jfull dog' | New-MvImage -Resume $folder -InformationVariable third 6>$null

        $first | Should -HaveCount 1
        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 0
        "$($second[-1])" | Should -Be 'New-MvImage: 2 already saved, 0 sent.'
        "$($third[-1])" | Should -Be 'New-MvImage: 2 already saved, 0 sent.'
        @(Get-ChildItem -LiteralPath $folder -Filter *.png).Name | Sort-Object | Should -Be @('jfull-cat-1.png', 'jfull-dog-1.png')
    }

    It 'sends a request again when its file name now holds another request''s image' {
        $folder = New-SavedFolder -Name 'reuse' -Prompt 'jn cat' -Size 1024x1024
        Remove-Item -LiteralPath (Join-Path $folder 'jn-cat-1.png')
        $null = New-MvImage 'jn cat' -Size 1536x1024 -Resume $folder | Save-MvImage -Directory $folder -NoMetadata
        $null = Get-ModelverseRecordedRequest $standIn

        $null = New-MvImage 'jn cat' -Size 1024x1024 -Resume $folder -InformationVariable summary 6>$null

        $sent = @(Get-ModelverseRecordedRequest $standIn)
        $sent | Should -HaveCount 1
        $sent[0].Json.size | Should -Be '1024x1024'
        "$($summary[-1])" | Should -Be 'New-MvImage: 0 already saved, 1 sent.'
    }

    It 'does not count an entry whose file is no longer the image it saved' {
        $folder = New-SavedFolder -Name 'text' -Prompt 'holiday'
        Set-Content -LiteralPath (Join-Path $folder 'holiday-1.png') -Value 'a shopping list, not a picture'

        $null = New-MvImage 'holiday' -Resume $folder -InformationVariable summary 6>$null

        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 1
        "$($summary[-1])" | Should -Be 'New-MvImage: 0 already saved, 1 sent.'
    }
}

Describe 'A ledger that is not a plain file of the folder' {
    It 'never appends through a link: the file it points to is unchanged, and the image is saved with a warning' {
        $folder = Join-Path $TestDrive 'linked'
        $null = New-Item -ItemType Directory -Path $folder
        $victim = Join-Path $TestDrive 'victim.txt'
        Set-Content -LiteralPath $victim -Value 'precious' -NoNewline
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder $ledgerName) -Target $victim

        $saved = New-MvImage 'a linked cat' | Save-MvImage -Directory $folder -NoMetadata -WarningVariable warned 3>$null

        Get-Content -LiteralPath $victim -Raw | Should -Be 'precious'
        $saved.Name | Should -Be 'a-linked-cat-1.png'
        "$warned" | Should -Match 'ledger'
    }

    It 'saves the image, with a warning that a rerun may pay again, when the ledger cannot be written (a folder in its place)' {
        $folder = Join-Path $TestDrive 'unwritable'
        $null = New-Item -ItemType Directory -Path (Join-Path $folder $ledgerName) -Force

        $saved = New-MvImage 'an unwritable cat' | Save-MvImage -Directory $folder -NoMetadata -WarningVariable warned -ErrorVariable failed 3>$null

        $failed | Should -BeNullOrEmpty
        $saved.Name | Should -Be 'an-unwritable-cat-1.png'
        "$warned" | Should -Match 'pay'
    }

    It 'never opens a named pipe as the ledger: -Resume and -NoMetadata saves finish' -Skip:(-not $canMakeFifo) {
        $folder = Join-Path $TestDrive 'fifo'
        $null = New-Item -ItemType Directory -Path $folder
        & mkfifo (Join-Path $folder $ledgerName)

        $run = Invoke-ResumeChild -Folder $folder -Prompt 'a piped cat' -TimeoutSec 60

        $run.TimedOut | Should -BeFalse -Because $run.Output
        $run.Output | Should -Match 'saved=1'
        Test-Path -LiteralPath (Join-Path $folder 'a-piped-cat-1.png') | Should -BeTrue
    }

    It 'reads a huge ledger in bounded memory (a 2 GB sparse file)' {
        $folder = Join-Path $TestDrive 'huge'
        $null = New-Item -ItemType Directory -Path $folder
        $stream = [System.IO.File]::Create((Join-Path $folder $ledgerName))
        try { $stream.SetLength(2GB) } finally { $stream.Dispose() }

        $run = Invoke-ResumeChild -Folder $folder -Prompt 'a huge cat' -TimeoutSec 120

        $run.TimedOut | Should -BeFalse
        $run.Output | Should -Match 'saved=1' -Because $run.Output
        [int]([regex]::Match($run.Output, 'peakMB=(\d+)').Groups[1].Value) | Should -BeLessThan 400 -Because 'Azure Automation''s sandbox has 400 MB'
    }
}

Describe 'A folder that cannot take files' {
    It 'is refused before anything is sent, rerun after rerun' {
        $disk = Mount-SmallDisk -Path (Join-Path $TestDrive 'ro')
        if (-not $disk) { Set-ItResult -Skipped -Because $script:MountRefused; return }
        try {
            $null = New-MvImage 'ro cat 1' -Resume $disk | Save-MvImage -Directory $disk
            & mount -o remount,ro $disk
            $null = Get-ModelverseRecordedRequest $standIn

            foreach ($rerun in 1..2) {
                $failed = $null
                try {
                    $null = 'ro cat 1', 'ro cat 2', 'ro cat 3', 'ro cat 4' | New-MvImage -Resume $disk 6>$null | Save-MvImage -Directory $disk
                }
                catch {
                    $failed = $_
                }
                $failed.FullyQualifiedErrorId | Should -BeLike 'ResumeFolderNotWritable,*'
                "$failed" | Should -Match 'nothing was sent'
            }

            @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 0
        }
        finally {
            & umount $disk
        }
    }
}
