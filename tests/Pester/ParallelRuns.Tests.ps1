#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Issue #25: parallel runs never send the same request twice. Runs into one -Resume folder claim each request
# before sending it; a claim left by a dead run is taken over (at once on its own machine, after the bound
# elsewhere); -Shard splits one input over machines with no coordination; a run never edits its own output.
# Real processes against the local API stand-in.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
    $manifest = Get-ModelverseManifestPath
    # Answers held a while, so that runs started together overlap.
    $slow = Start-ModelverseStandIn -ApiKey 'sk-slow' -DelayMs 150
    $claimsName = '.modelverseimage-claims'

    $csvScript = Join-Path $TestDrive 'csv-run.ps1'
    Set-Content -LiteralPath $csvScript -Encoding utf8 -Value @'
param($Manifest, $BaseUri, $ApiKey, $Csv, $Out, $Resume, $Shard)
Import-Module $Manifest -ErrorAction Stop
$key = ConvertTo-SecureString $ApiKey -AsPlainText -Force
$options = @{ BaseUri = $BaseUri; ApiKey = $key; ThrottleLimit = 2 }
if ($Resume) { $options.Resume = $Resume }
if ($Shard) { $options.Shard = $Shard }
Import-Csv $Csv | New-MvImage @options -WarningAction Continue 6>&1 | ForEach-Object {
    if ($_ -is [System.Management.Automation.InformationRecord]) { "summary: $_" } else { $_ | Save-MvImage -Directory $Out | ForEach-Object Name }
}
'@

    function Start-ChildPwsh {
        # A fresh pwsh running $File, not waited for, in a process group of its own (setsid) so it can be killed whole.
        param([Parameter(Mandatory)] [string] $File, [object[]] $ArgumentList = @())
        $self = (Get-Process -Id $PID).Path
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        $command = if ((Split-Path -Leaf $self) -match '^dotnet(\.exe)?$' -and (Test-Path -LiteralPath $pwshDll)) { @($self, $pwshDll) } else { @((Join-Path $PSHOME 'pwsh')) }
        $command += @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList
        $setsid = Get-Command setsid -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        $startInfo = if ($setsid) { [System.Diagnostics.ProcessStartInfo]::new($setsid.Source) } else { [System.Diagnostics.ProcessStartInfo]::new($command[0]) }
        foreach ($argument in $(if ($setsid) { $command } else { $command | Select-Object -Skip 1 })) { $startInfo.ArgumentList.Add([string]$argument) }
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($startInfo)
        [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
    }

    function Wait-ChildPwsh {
        param([Parameter(Mandatory)] $Child, [int] $TimeoutSec = 180)
        if (-not $Child.Process.WaitForExit($TimeoutSec * 1000)) {
            & kill -KILL -- "-$($Child.Process.Id)" 2>$null
            throw "A run did not finish within $TimeoutSec s: $($Child.Output.Result)$($Child.Errors.Result)"
        }
        $Child.Process.WaitForExit()
        $Child.Output.Result + $Child.Errors.Result
    }

    function New-PromptCsv {
        param([string] $Path, [int] $Rows, [switch] $Reverse)
        $lines = 1..$Rows | ForEach-Object { [pscustomobject]@{ Prompt = "a paper boat number $_" } }
        if ($Reverse) { [array]::Reverse($lines) }
        $lines | Export-Csv -LiteralPath $Path
    }
}

AfterAll {
    Stop-ModelverseStandIn $slow
    Disconnect-ModelverseStandIn $standIn
}

Describe 'Runs at once into one -Resume folder' {
    It 'three processes running the same 30-row CSV send 30 requests and leave 30 files' {
        $work = Join-Path $TestDrive 'three'
        $null = New-Item -ItemType Directory -Path $work
        $csv = Join-Path $work 'prompts.csv'
        New-PromptCsv -Path $csv -Rows 30
        $out = Join-Path $work 'out'
        $null = Get-ModelverseRecordedRequest $slow

        $children = 1..3 | ForEach-Object { Start-ChildPwsh -File $csvScript -ArgumentList $manifest, $slow.BaseUri, $slow.ApiKey, $csv, $out, $out, '' }
        $outputs = $children | ForEach-Object { Wait-ChildPwsh $_ }

        $sent = @(Get-ModelverseRecordedRequest $slow)
        $files = @(Get-ChildItem -LiteralPath $out -Filter *.png -File)
        $sent | Should -HaveCount 30 -Because ($outputs -join "`n")
        @($sent.Json.prompt | Sort-Object -Unique) | Should -HaveCount 30
        $files | Should -HaveCount 30
        $files.Name | Where-Object { $_ -match '\(\d+\)' } | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath (Join-Path $out $claimsName) -Force -ErrorAction Ignore | Should -BeNullOrEmpty -Because 'every run gives its claims back when it ends'
    }

    It 'takes over at once the claim of a run killed on this machine, saying so, and sends that request once' {
        $out = Join-Path $TestDrive 'killed'
        $csv = Join-Path $TestDrive 'one-row.csv'
        [pscustomobject]@{ Prompt = 'a claimed lantern' } | Export-Csv -LiteralPath $csv
        $held = Start-ModelverseStandIn -ApiKey 'sk-held' -DelayMs 600000
        try {
            $child = Start-ChildPwsh -File $csvScript -ArgumentList $manifest, $held.BaseUri, $held.ApiKey, $csv, $out, $out, ''
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTime]::UtcNow -lt $deadline -and -not (Get-ChildItem -LiteralPath (Join-Path $out $claimsName) -Force -ErrorAction Ignore)) { Start-Sleep -Milliseconds 50 }
            & kill -KILL -- "-$($child.Process.Id)" 2>$null
            $child.Process.Kill($true)
            $null = $child.Process.WaitForExit(20000)
            @(Get-ChildItem -LiteralPath (Join-Path $out $claimsName) -Force -ErrorAction Ignore) | Should -HaveCount 1 -Because 'the killed run had claimed its request'
        }
        finally {
            Stop-ModelverseStandIn $held
        }
        $null = Get-ModelverseRecordedRequest $standIn

        $saved = Import-Csv $csv | New-MvImage -Resume $out -WarningVariable warned 3>$null 6>$null | Save-MvImage -Directory $out

        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 1
        $saved.Name | Should -Be 'a-claimed-lantern-1.png'
        "$warned" | Should -Match 'has ended'
    }

    It 'skips a request claimed by a live run on another machine, and takes it over once the claim is older than the bound' {
        $out = Join-Path $TestDrive 'remote'
        # A claim as another machine writes it: made by a real run that is then stopped, and given another host.
        $held = Start-ModelverseStandIn -ApiKey 'sk-held' -DelayMs 600000
        $csv = Join-Path $TestDrive 'remote.csv'
        [pscustomobject]@{ Prompt = 'a remote lantern' } | Export-Csv -LiteralPath $csv
        try {
            $child = Start-ChildPwsh -File $csvScript -ArgumentList $manifest, $held.BaseUri, $held.ApiKey, $csv, $out, $out, ''
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTime]::UtcNow -lt $deadline -and -not ($claim = Get-ChildItem -LiteralPath (Join-Path $out $claimsName) -Force -ErrorAction Ignore)) { Start-Sleep -Milliseconds 50 }
            & kill -KILL -- "-$($child.Process.Id)" 2>$null
            $child.Process.Kill($true)
            $null = $child.Process.WaitForExit(20000)
        }
        finally {
            Stop-ModelverseStandIn $held
        }
        $claim | Should -Not -BeNullOrEmpty
        (Get-Content -LiteralPath $claim.FullName) -replace '^host=.*', 'host=build-agent-7' | Set-Content -LiteralPath $claim.FullName
        $null = Get-ModelverseRecordedRequest $standIn

        $skipped = New-MvImage 'a remote lantern' -Resume $out -InformationVariable summary 6>$null
        (Get-Item -LiteralPath $claim.FullName -Force).LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-11)
        $taken = New-MvImage 'a remote lantern' -Resume $out -WarningVariable warned 3>$null 6>$null

        $skipped | Should -BeNullOrEmpty
        "$($summary[-1])" | Should -Match '1 claimed by another run'
        $taken | Should -HaveCount 1
        "$warned" | Should -Match 'build-agent-7'
        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 1
    }
}

Describe '-Shard' {
    It 'four shards of one CSV, as four processes, send each row once, in the same shard after the CSV is reordered' {
        $work = Join-Path $TestDrive 'shards'
        $null = New-Item -ItemType Directory -Path $work
        $csv = Join-Path $work 'prompts.csv'
        $reordered = Join-Path $work 'reordered.csv'
        New-PromptCsv -Path $csv -Rows 30
        New-PromptCsv -Path $reordered -Rows 30 -Reverse
        $placed = @{}
        foreach ($round in 'first', 'reordered') {
            $source = if ($round -eq 'first') { $csv } else { $reordered }
            $children = 0..3 | ForEach-Object { Start-ChildPwsh -File $csvScript -ArgumentList $manifest, $slow.BaseUri, $slow.ApiKey, $source, (Join-Path $work "$round-$_"), '', "$_/4" }
            $null = $children | ForEach-Object { Wait-ChildPwsh $_ }
            $placed[$round] = 0..3 | ForEach-Object { , @(Get-ChildItem -LiteralPath (Join-Path $work "$round-$_") -Filter *.png -ErrorAction Ignore | ForEach-Object Name | Sort-Object) }
        }
        $sent = @(Get-ModelverseRecordedRequest $slow)

        $sent | Should -HaveCount 60
        $all = $placed['first'] | ForEach-Object { $_ }
        $all | Should -HaveCount 30
        @($all | Sort-Object -Unique) | Should -HaveCount 30
        foreach ($shard in 0..3) { $placed['reordered'][$shard] | Should -Be $placed['first'][$shard] }
        @($placed['first'] | Where-Object { $_.Count -gt 0 }) | Should -HaveCount 4 -Because 'thirty rows fall into all four shards'
    }

    It 'refuses a shard outside 0..count-1 before sending anything' {
        $null = Get-ModelverseRecordedRequest $standIn
        { New-MvImage 'a boat' -Shard 4/4 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ModelverseImage.Commands.NewMvImageCommand'
        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 0
    }
}

Describe 'A run never edits its own output' {
    It 'Get-ChildItem -Recurse | Edit-MvImage | Save-MvImage -Directory ./out inside the tree makes one edit per source' {
        $tree = Join-Path $TestDrive 'tree'
        $null = New-Item -ItemType Directory -Path $tree
        foreach ($name in 'beach', 'hill', 'lake') { [System.IO.File]::WriteAllBytes((Join-Path $tree "$name.png"), (New-TestPngBytes -Width 32 -Height 32)) }
        $null = Get-ModelverseRecordedRequest $standIn
        Push-Location -LiteralPath $tree
        try {
            $null = Get-ChildItem -Recurse -Filter *.png | Edit-MvImage 'winter' -ThrottleLimit 1 | Save-MvImage -Directory ./out
        }
        finally {
            Pop-Location
        }

        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 3
        @(Get-ChildItem -LiteralPath (Join-Path $tree 'out') -Filter *.png).Name | Sort-Object | Should -Be @('beach-edit-1.png', 'hill-edit-1.png', 'lake-edit-1.png')
    }
}
