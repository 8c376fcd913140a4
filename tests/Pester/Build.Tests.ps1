#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# build.ps1 -Task Test as CI runs it (.ci/run: dotnet pwsh -NoProfile -File build.ps1 -Task Test), in a child pwsh
# whose `dotnet` is a stand-in on PATH: `dotnet test` prints two projects' summary lines, `dotnet nuget locals`
# names a package folder holding a stand-in Pester that reports fixed counts. The real build.ps1 runs unchanged;
# only what it shells out to is replaced, so its log can be read as CI reads it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $repoRoot = Get-ModelverseRepoRoot
    $pesterVersion = ([xml](Get-Content -Raw -LiteralPath (Join-Path $repoRoot 'tests/Pester/PesterPackage.csproj'))).Project.PropertyGroup.PesterVersion |
        Where-Object { $_ } | Select-Object -First 1

    $fake = Join-Path $TestDrive 'fake-dotnet'
    $bin = New-Item -ItemType Directory -Path (Join-Path $fake 'bin') -Force
    $tools = New-Item -ItemType Directory -Path (Join-Path $fake "packages/pester/$pesterVersion/tools") -Force
    $packages = Join-Path $fake 'packages'
    $xunitLines = @(
        'Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 1 s - ModelverseImage.Tests.dll (net10.0)'
        'Passed!  - Failed:     0, Passed:     5, Skipped:     0, Total:     5, Duration: 1 s - ModelverseImage.Module.Tests.dll (net10.0)'
    )
    if ($IsWindows) {
        Set-Content -LiteralPath (Join-Path $bin 'dotnet.cmd') -Encoding ascii -Value @(
            '@echo off'
            'if "%1"=="test" goto test'
            'if "%1"=="nuget" goto nuget'
            'exit /b 0'
            ':test'
            $xunitLines | ForEach-Object { "echo $_" }
            'exit /b 0'
            ':nuget'
            "echo global-packages: $packages\"
            'exit /b 0'
        )
    }
    else {
        $script = Join-Path $bin 'dotnet'
        Set-Content -LiteralPath $script -Encoding ascii -Value @(
            '#!/bin/sh'
            'case "$1" in'
            "  test) $(($xunitLines | ForEach-Object { "echo '$_';" }) -join ' ') exit 0 ;;"
            "  nuget) echo 'global-packages: $packages/' ;;"
            'esac'
            'exit 0'
        )
        & chmod +x $script
    }
    # The stand-in Pester: the two commands build.ps1 calls; FAKE_PESTER_FAILED failures when set.
    Set-Content -LiteralPath (Join-Path $tools 'Pester.psm1') -Value @'
function New-PesterConfiguration {
    [pscustomobject]@{ Run = [pscustomobject]@{ Path = $null; Exit = $null; PassThru = $null }; Output = [pscustomobject]@{ Verbosity = $null } }
}
function Invoke-Pester {
    param($Configuration)
    Write-Host 'Tests completed in 1s (stand-in Pester)'
    $failed = [int]$env:FAKE_PESTER_FAILED
    [pscustomobject]@{ PassedCount = 7; FailedCount = $failed; FailedBlocksCount = 0; FailedContainersCount = 0; SkippedCount = 1; TotalCount = 8 + $failed; Result = $(if ($failed) { 'Failed' } else { 'Passed' }) }
}
'@
    Set-Content -LiteralPath (Join-Path $tools 'Pester.psd1') -Value "@{ RootModule = 'Pester.psm1'; ModuleVersion = '$pesterVersion'; FunctionsToExport = @('New-PesterConfiguration', 'Invoke-Pester') }"

    function Invoke-BuildTestTask {
        # build.ps1 -Task Test in a child pwsh that finds the stand-in dotnet first on PATH; its log, one string a line.
        param([int] $PesterFailures = 0)
        $savedPath = $env:PATH
        $env:PATH = $bin.FullName + [IO.Path]::PathSeparator + $env:PATH
        $env:FAKE_PESTER_FAILED = $PesterFailures
        try {
            @(Invoke-ChildPwsh -File (Join-Path $repoRoot 'build.ps1') -ArgumentList '-Task', 'Test' | ForEach-Object { "$_" })
        }
        finally {
            $env:PATH = $savedPath
            Remove-Item Env:FAKE_PESTER_FAILED -ErrorAction Ignore
        }
    }
}

Describe 'build.ps1 -Task Test ends with one summary block' {
    It 'prints the xunit line and the Pester line once each, as the last lines of the log' {
        $log = Invoke-BuildTestTask
        $LASTEXITCODE | Should -Be 0 -Because ($log -join "`n")

        @($log | Where-Object { $_ -match '^xunit:' }) | Should -HaveCount 1 -Because ($log -join "`n")
        @($log | Where-Object { $_ -match '^Pester:' }) | Should -HaveCount 1 -Because ($log -join "`n")
        $last = @($log | Where-Object { $_.Trim() }) | Select-Object -Last 2
        $last | Should -Be @('xunit: 17 passed, 0 failed', 'Pester: 7 passed, 0 failed, 1 skipped')
    }

    It 'says each line once when a suite failed, and fails' {
        $log = Invoke-BuildTestTask -PesterFailures 2
        $LASTEXITCODE | Should -Not -Be 0

        @($log | Where-Object { $_ -match '^xunit:' }) | Should -Be @('xunit: 17 passed, 0 failed')
        @($log | Where-Object { $_ -match '^Pester:' }) | Should -Be @('Pester: 7 passed, 2 failed, 1 skipped')
        ($log -join "`n") | Should -Match 'Tests failed or did not run'
    }
}
