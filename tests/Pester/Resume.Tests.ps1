#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Reruns never pay twice: a bulk run killed part way and run again with -Resume sends only the requests whose
# images are not saved yet, and the folder ends with each image exactly once. Against the local API stand-in.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule

    function Start-ChildPwsh {
        # Starts a script in a fresh pwsh (as Invoke-ChildPwsh does) without waiting for it; returns the process.
        param([Parameter(Mandatory)] [string] $File, [string[]] $ArgumentList = @())
        $self = (Get-Process -Id $PID).Path
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList
        if ((Split-Path -Leaf $self) -match '^dotnet(\.exe)?$' -and (Test-Path -LiteralPath $pwshDll)) {
            $startInfo = [System.Diagnostics.ProcessStartInfo]::new($self)
            $startInfo.ArgumentList.Add($pwshDll)
        }
        else {
            $startInfo = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        }
        foreach ($argument in $arguments) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        [System.Diagnostics.Process]::Start($startInfo)
    }

    function Stop-AfterSaves {
        # Kills the child (and everything it started) once the folder holds at least $Count images.
        param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process, [Parameter(Mandatory)] [string] $Folder, [int] $Count, [int] $TimeoutSec = 120)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while ([DateTime]::UtcNow -lt $deadline -and -not $Process.HasExited) {
            if (@(Get-ChildItem -LiteralPath $Folder -Filter *.png -File -ErrorAction Ignore).Count -ge $Count) { break }
            Start-Sleep -Milliseconds 25
        }
        $exitedEarly = $Process.HasExited
        if (-not $exitedEarly) { $Process.Kill($true) }
        $null = $Process.WaitForExit(20000)
        if ($exitedEarly) { throw "The run ended before $Count images were saved: $($Process.StandardError.ReadToEnd())" }
    }

    # A stand-in that holds each answer a while, so a run can be stopped part way.
    $slow = Start-ModelverseStandIn -ApiKey 'sk-slow' -DelayMs 250
    $manifest = Get-ModelverseManifestPath

    # The first run: no -Resume (every saved image records its request all the same).
    $runScript = Join-Path $TestDrive 'run.ps1'
    Set-Content -LiteralPath $runScript -Encoding utf8 -Value @'
param($Manifest, $BaseUri, $ApiKey, $Csv, $Sources, $Out)
Import-Module $Manifest -ErrorAction Stop
$key = ConvertTo-SecureString $ApiKey -AsPlainText -Force
if ($Csv) {
    Import-Csv $Csv | New-MvImage -BaseUri $BaseUri -ApiKey $key -ThrottleLimit 2 | Save-MvImage -Directory $Out | Out-Null
}
else {
    Get-ChildItem -LiteralPath $Sources | Edit-MvImage 'add snow' -BaseUri $BaseUri -ApiKey $key -ThrottleLimit 2 | Save-MvImage -Directory $Out | Out-Null
}
'@
}

AfterAll {
    Stop-ModelverseStandIn $slow
    Disconnect-ModelverseStandIn $standIn
}

Describe 'New-MvImage -Resume' {
    It 'after a 40-prompt run is killed, sends only the missing requests and ends with exactly 40 images' {
        $work = Join-Path $TestDrive 'csv'
        $out = Join-Path $work 'renders'
        $null = New-Item -ItemType Directory -Path $work
        $csv = Join-Path $work 'prompts.csv'
        1..40 | ForEach-Object { [pscustomobject]@{ Prompt = "a kite number $_"; Size = '1024x1024' } } | Export-Csv -LiteralPath $csv

        $child = Start-ChildPwsh -File $runScript -ArgumentList $manifest, $slow.BaseUri, $slow.ApiKey, $csv, '', $out
        Stop-AfterSaves -Process $child -Folder $out -Count 15
        $savedBefore = @(Get-ChildItem -LiteralPath $out -Filter *.png -File).Count
        $null = Get-ModelverseRecordedRequest $slow   # forget the first run's requests

        $null = Import-Csv $csv | New-MvImage -BaseUri $slow.BaseUri -ApiKey $slow.ApiKey -ThrottleLimit 4 -Resume $out -InformationVariable summary |
            Save-MvImage -Directory $out

        $savedBefore | Should -BeGreaterOrEqual 15
        $savedBefore | Should -BeLessThan 40
        $sent = @(Get-ModelverseRecordedRequest $slow)
        $sent | Should -HaveCount (40 - $savedBefore)
        $images = @(Get-ChildItem -LiteralPath $out -Filter *.png -File)
        $images | Should -HaveCount 40
        $prompts = @($images | Import-MvImage | ForEach-Object Prompt | Sort-Object -Unique)
        $prompts | Should -HaveCount 40
        "$($summary[-1])" | Should -Be "New-MvImage: $savedBefore already saved, $(40 - $savedBefore) sent."
    }

    It 'counts two identical rows as two requests, and a rerun sends neither' {
        $out = Join-Path $TestDrive 'twins'
        $rows = 1..2 | ForEach-Object { [pscustomobject]@{ Prompt = 'a twin kite' } }
        $null = $rows | New-MvImage | Save-MvImage -Directory $out
        $null = Get-ModelverseRecordedRequest $standIn

        $again = $rows | New-MvImage -Resume $out
        $third = @($rows; $rows[0]) | New-MvImage -Resume $out

        $again | Should -BeNullOrEmpty
        @($third) | Should -HaveCount 1
        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 1
        @(Get-ChildItem -LiteralPath $out -File) | Should -HaveCount 2
    }

    It 'asks only for the missing images of a -Count request, which take the missing indices' {
        $out = Join-Path $TestDrive 'count'
        $null = New-MvImage 'three kites' -Count 3 | Save-MvImage -Directory $out
        Remove-Item -LiteralPath (Join-Path $out 'three-kites-2.png')
        $null = Get-ModelverseRecordedRequest $standIn

        $missing = New-MvImage 'three kites' -Count 3 -Resume $out | Save-MvImage -Directory $out

        $request = @(Get-ModelverseRecordedRequest $standIn)
        $request | Should -HaveCount 1
        $request[0].Json.PSObject.Properties.Name | Should -Not -Contain 'n'
        $missing.Name | Should -Be 'three-kites-2.png'
        (Import-MvImage -LiteralPath $missing.FullName).Index | Should -Be 2
        Get-ChildItem -LiteralPath $out -Name | Sort-Object | Should -Be @('three-kites-1.png', 'three-kites-2.png', 'three-kites-3.png')
    }

    It 'sends again when the prompt, size, quality or model changed' {
        $out = Join-Path $TestDrive 'changed'
        $null = New-MvImage 'a kite' -Size 1024x1024 | Save-MvImage -Directory $out
        $null = Get-ModelverseRecordedRequest $standIn

        $null = New-MvImage 'a kite' -Size 1024x1024 -Resume $out
        $null = New-MvImage 'a kite!' -Size 1024x1024 -Resume $out
        $null = New-MvImage 'a kite' -Size 1536x1024 -Resume $out
        $null = New-MvImage 'a kite' -Size 1024x1024 -Quality low -Resume $out
        $null = New-MvImage 'a kite' -Size 1024x1024 -Model gpt-image-1.5 -Resume $out

        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 4
    }

    It 'counts images saved unchanged (content credentials, -NoMetadata) through the journal, and a journal line without its file as not saved' {
        $out = Join-Path $TestDrive 'journal'
        $null = New-MvImage 'a plain kite' | Save-MvImage -Directory $out -NoMetadata
        $null = New-MvImage 'another plain kite' | Save-MvImage -Directory $out -NoMetadata
        Remove-Item -LiteralPath (Join-Path $out 'another-plain-kite-1.png')
        $null = Get-ModelverseRecordedRequest $standIn

        $null = 'a plain kite', 'another plain kite' | New-MvImage -Resume $out -InformationVariable summary

        $sent = @(Get-ModelverseRecordedRequest $standIn)
        $sent | Should -HaveCount 1
        $sent[0].Json.prompt | Should -Be 'another plain kite'
        "$($summary[-1])" | Should -Be 'New-MvImage: 1 already saved, 1 sent.'
        Test-Path -LiteralPath (Join-Path $out '.modelverseimage-journal') | Should -BeTrue
    }

    It 'shows the summary without -Verbose, outside the object pipeline' {
        $out = Join-Path $TestDrive 'summary'
        $null = New-MvImage 'a kite' | Save-MvImage -Directory $out

        $objects = New-MvImage 'a kite' -Resume $out 6>$null
        $shown = Get-HostText { New-MvImage 'a kite' -Resume $out }

        $objects | Should -BeNullOrEmpty
        $shown | Should -Match 'New-MvImage: 1 already saved, 0 sent\.'
    }
}

Describe 'Edit-MvImage -Resume' {
    It 'after a 20-file Get-ChildItem run is killed, edits only the files still missing and ends with exactly 20 edits' {
        $work = Join-Path $TestDrive 'edits'
        $sources = Join-Path $work 'photos'
        $out = Join-Path $work 'snowy'
        $null = New-Item -ItemType Directory -Path $sources
        # Twenty different pictures (the content, not the name, keys an edit).
        1..20 | ForEach-Object { [System.IO.File]::WriteAllBytes((Join-Path $sources ('photo-{0:d2}.png' -f $_)), (New-TestPngBytes -Width (16 + $_) -Height 16)) }

        $child = Start-ChildPwsh -File $runScript -ArgumentList $manifest, $slow.BaseUri, $slow.ApiKey, '', $sources, $out
        Stop-AfterSaves -Process $child -Folder $out -Count 8
        $savedBefore = @(Get-ChildItem -LiteralPath $out -Filter *.png -File).Count
        $null = Get-ModelverseRecordedRequest $slow

        $null = Get-ChildItem -LiteralPath $sources | Edit-MvImage 'add snow' -BaseUri $slow.BaseUri -ApiKey $slow.ApiKey -ThrottleLimit 4 -Resume $out |
            Save-MvImage -Directory $out

        $savedBefore | Should -BeLessThan 20
        @(Get-ModelverseRecordedRequest $slow) | Should -HaveCount (20 - $savedBefore)
        $edits = @(Get-ChildItem -LiteralPath $out -Filter *.png -File)
        $edits | Should -HaveCount 20
        $edits.Name | Sort-Object | Should -Be (1..20 | ForEach-Object { 'photo-{0:d2}-edit-1.png' -f $_ })
    }

    It 'counts an edit of the same content with the same prompt as done, whatever the file is called now' {
        $work = Join-Path $TestDrive 'renamed'
        $null = New-Item -ItemType Directory -Path $work
        $source = Join-Path $work 'cat.png'
        [System.IO.File]::WriteAllBytes($source, (New-TestPngBytes -Width 40 -Height 40))
        $null = Edit-MvImage 'add snow' $source | Save-MvImage -Directory (Join-Path $work 'out')
        Rename-Item -LiteralPath $source -NewName 'kitten.png'
        $null = Get-ModelverseRecordedRequest $standIn

        $same = Edit-MvImage 'add snow' (Join-Path $work 'kitten.png') -Resume (Join-Path $work 'out')
        $other = Edit-MvImage 'add rain' (Join-Path $work 'kitten.png') -Resume (Join-Path $work 'out')

        $same | Should -BeNullOrEmpty
        $other | Should -Not -BeNullOrEmpty
        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 1
    }
}
