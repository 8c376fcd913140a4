#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Every example of Get-Help <cmdlet> -Examples, for every cmdlet the module exports, runs as written, in real pwsh,
# against the local stand-in (issue 26 item 1: Import-MvImage's example 3 had `ForEach-Object {{ ... }}` and failed).
# Each runs in a fresh folder holding the files the examples name (cat.png, photos/, prompts.csv, renders/ with
# saved images, ...), with $env:MODELVERSE_BASE_URL and $env:MODELVERSE_API_KEY pointing at the stand-in, as the
# README advises. An example passes when it writes no error and no warning, and a program it runs exits with 0.
# Where a prompt (PS>) is shown, the lines after it are the example's output and are not run.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-ModelverseImageForTest

    # The examples that cannot run here, each with why: '<cmdlet>: <title>' (the title without 'Example N:').
    # RunWhere names a program: the example runs where that program is installed, and is skipped elsewhere.
    $cannotRun = @(
        @{ Example = 'New-MvImage: Use the module in an Azure Automation runbook'; Because = 'it needs Azure Automation: Get-AutomationVariable and the sandbox''s $env:TEMP exist only in a runbook' }
        @{ Example = 'New-MvImage: Try the module offline against the local stand-in'; Because = 'it needs a second console running the stand-in on port 5055 (the tests start theirs on a free port)' }
        @{ Example = 'Save-MvImage: Read the marking with exiftool'; Because = 'it runs exiftool, which is not installed here'; RunWhere = 'exiftool' }
    )

    $examples = foreach ($name in @((Get-Module ModelverseImage).ExportedCmdlets.Keys | Sort-Object)) {
        $number = 0
        foreach ($example in @((Get-Help -Name $name -Category Cmdlet -Full).examples.example | Where-Object { $null -ne $_ })) {
            $number++
            $title = ("$($example.title)" -replace '^[\s-]*Example \d+:\s*', '' -replace '[\s-]*$', '')
            $id = "${name}: $title"
            $mark = $cannotRun | Where-Object { $_.Example -eq $id } | Select-Object -First 1
            $skip = if ($mark -and -not ($mark.RunWhere -and (Get-Command $mark.RunWhere -CommandType Application -ErrorAction Ignore))) { $mark.Because }
            @{ Id = $id; Number = $number; Code = "$($example.code)"; Skip = $skip }
        }
    }
    $unknownMarks = @($cannotRun.Example | Where-Object { $_ -notin $examples.Id })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-ModelverseImageForTest
    Import-ModelverseTestKit
    $standIn = Start-ModelverseStandIn -ApiKey ('sk-examples-' + [guid]::NewGuid().ToString('N'))
    $savedEnv = @{ Url = $env:MODELVERSE_BASE_URL; Key = $env:MODELVERSE_API_KEY }
    $env:MODELVERSE_BASE_URL = $standIn.BaseUri.AbsoluteUri
    $env:MODELVERSE_API_KEY = $standIn.ApiKey

    # The files the examples name, made once and copied into each example's folder.
    $template = Join-Path $TestDrive 'template'
    $write = {
        param([string] $Path, [byte[]] $Bytes)
        $file = Join-Path $template $Path
        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $file) -Force
        [IO.File]::WriteAllBytes($file, $Bytes)
    }
    $png = [ModelverseImage.TestKit.TestPng]::Blank(64, 48, $false)
    $jpeg = [ModelverseImage.TestKit.TestImages]::Jpeg(64, 48, 0xC0, 0, 100)
    foreach ($name in 'cat.png', 'photos/beach.png', 'photos/street.png', 'living-room.png', 'mug.png', 'lamp.png', 'scans/page-1.png', 'scans/page-2.png') { & $write $name $png }
    foreach ($name in 'photos/harbour.jpg', 'photos/market.jpg', 'shelf [empty].jpg') { & $write $name $jpeg }
    & $write 'window-mask.png' ([ModelverseImage.TestKit.TestPng]::Blank(64, 48, $true))
    # New-MvImageMask's examples give regions in pixels of a photo-sized room.png, and fractions of these.
    & $write 'room.png' ([ModelverseImage.TestKit.TestPng]::Blank(1024, 768, $false))
    & $write 'product.png' $png
    & $write 'portrait.jpg' ([ModelverseImage.TestKit.TestImages]::Jpeg(48, 64, 0xC0, 0, 100))
    & $write 'site/hero.webp' ([ModelverseImage.TestKit.TestImages]::WebpVp8L(64, 48, $false))
    # The CSV New-MvImage's example 3 shows.
    Set-Content -LiteralPath (Join-Path $template 'prompts.csv') -Encoding utf8 -Value @(
        'Prompt,Size,Quality,Count'
        'a red bicycle against a brick wall,1024x1536,medium,2'
        'a bowl of ramen seen from above,1024x1024,high,1'
        'a foggy forest road,2048x1152,low,1'
    )
    # Images Save-MvImage saved, with their records, for Import-MvImage's examples.
    $null = New-MvImage 'a red kite' -Count 2 -ErrorAction Stop | Save-MvImage -Directory (Join-Path $template 'renders') -ErrorAction Stop

    function Get-ExampleCode {
        # The code of an example: all of it, or where a prompt is shown, the lines after 'PS>' (the rest is output).
        param([string] $Code)
        $lines = $Code -split '\r?\n'
        $prompted = @($lines | Where-Object { $_ -match '^PS>\s?' })
        if ($prompted.Count -eq 0) { return $Code }
        ($prompted | ForEach-Object { $_ -replace '^PS>\s?', '' }) -join [Environment]::NewLine
    }
}

AfterAll {
    $env:MODELVERSE_BASE_URL = $savedEnv.Url
    $env:MODELVERSE_API_KEY = $savedEnv.Key
    Stop-ModelverseStandIn $standIn
}

Describe 'The help examples' {
    It 'marks as not runnable only examples that exist' -TestCases @(@{ Unknown = $unknownMarks }) {
        $Unknown | Should -BeNullOrEmpty -Because 'an example renamed or removed leaves its mark behind'
    }

    It '<Id> (example <Number>) runs as written' -ForEach $examples {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $work = Enter-TestFolder
        try {
            Copy-Item -Path (Join-Path $template '*') -Destination $work -Recurse
            $script = [scriptblock]::Create((Get-ExampleCode $Code))
            $problems = [System.Collections.Generic.List[string]]::new()
            $ProgressPreference = 'SilentlyContinue'
            $global:LASTEXITCODE = 0
            # Output is formatted as the console would (Format-* included); errors and warnings are collected.
            $null = & $script 2>&1 3>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { $problems.Add("error $($_.FullyQualifiedErrorId): $_") }
                elseif ($_ -is [System.Management.Automation.WarningRecord]) { $problems.Add("warning: $_") }
                else { $_ }
            } | Out-String -Width 200
            $problems | Should -BeNullOrEmpty -Because "the example runs as written:`n$Code"
            $LASTEXITCODE | Should -Be 0 -Because "a program the example runs succeeds:`n$Code"
        }
        finally {
            Pop-Location
        }
    }
}
