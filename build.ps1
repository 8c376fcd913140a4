#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the ModelverseImage module.
.DESCRIPTION
    Clean   removes bin/, obj/ and out/.
    Build   runs dotnet build; the importable module is staged in out/ModelverseImage.
    Test    runs the xunit suites (tests/Unit/Library: the classes directly; tests/Unit/InRunspace: the built
            module imported in PowerShell 7.6 runspaces, against a local API stand-in), then the
            Pester suite in tests/Pester in this pwsh, with the Pester version pinned in
            tests/Pester/PesterPackage.csproj, fetched from the NuGet registry by `dotnet restore`.
            Prints 'xunit: N passed, M failed' and 'Pester: N passed, M failed', and fails when either suite
            has a failure or did not run.
    Package stages exactly the files to publish in out/package/ModelverseImage, ready for
            Publish-PSResource -Path out/package/ModelverseImage, and writes out/ModelverseImage.zip for Azure
            Automation (the module folder at the zip's root; tools/New-AutomationZip.ps1).

    On a machine with only the .NET SDK, run it through the pwsh of the repository's tool manifest:
        dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 Build, Test
.EXAMPLE
    ./build.ps1 Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleOut = Join-Path $root 'out/ModelverseImage'
# Logs read by CI and people alike: no colour escapes when the output is not a terminal.
if ([Console]::IsOutputRedirected -or $env:CI) { $PSStyle.OutputRendering = 'PlainText' }

function Invoke-Dotnet {
    if (-not (Get-Command dotnet -CommandType Application -ErrorAction Ignore)) {
        throw 'The .NET SDK (dotnet) is not on PATH. Install the .NET 10 SDK; everything else (NuGet packages, pwsh, Pester) is fetched by the build.'
    }
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-PesterManifest {
    # Pester comes from the NuGet registry as a package (its module sits in the package's tools/ folder).
    $project = Join-Path $root 'tests/Pester/PesterPackage.csproj'
    $version = ([xml](Get-Content -Raw -LiteralPath $project)).Project.PropertyGroup.PesterVersion | Where-Object { $_ } | Select-Object -First 1
    Invoke-Dotnet restore $project --nologo --verbosity quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $packages.Trim() "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "Pester $version is missing at '$manifest' after 'dotnet restore $project', which fetches the NuGet package 'Pester' $version from the package registry. Check that restore's output."
    }
    $manifest
}

function Invoke-XunitSuite {
    $lines = [System.Collections.Generic.List[string]]::new()
    & dotnet test (Join-Path $root 'ModelverseImage.slnx') -c $Configuration 2>&1 | ForEach-Object {
        $line = "$_"
        $lines.Add($line)
        Write-Host $line
    }
    $exit = $LASTEXITCODE
    # One summary line per test project (the library tests and the module tests): the counts are their sums.
    $summaries = @($lines | Select-String -Pattern '(Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+)')
    $failed = 0
    $passed = 0
    foreach ($summary in $summaries) {
        $failed += [int]$summary.Matches[0].Groups[2].Value
        $passed += [int]$summary.Matches[0].Groups[3].Value
    }
    $ran = $summaries.Count -gt 0 -and ($passed + $failed) -gt 0
    # The line is printed once, in the summary block that ends the Test task (Write-TestSummary).
    $line = if ($ran) { "xunit: $passed passed, $failed failed" } else { 'xunit: did not run (see the build output above)' }
    [pscustomobject]@{ Ran = $ran; Ok = ($exit -eq 0 -and $ran -and $failed -eq 0); Line = $line }
}

function Invoke-PesterSuite {
    if (-not (Test-Path -LiteralPath (Join-Path $moduleOut 'ModelverseImage.psd1'))) {
        return [pscustomobject]@{ Ok = $false; Line = 'Pester: did not run (the module was not built into out/ModelverseImage)' }
    }
    $manifest = Get-PesterManifest
    Import-Module $manifest -Force
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    $line = "Pester: $($result.PassedCount) passed, $failed failed"
    if ($result.SkippedCount -gt 0) { $line += ", $($result.SkippedCount) skipped" }
    [pscustomobject]@{ Ok = ($result.TotalCount -gt 0 -and $failed -eq 0 -and $result.Result -eq 'Passed'); Line = $line }
}

function Write-TestSummary {
    # The one summary block, last in the log (the xunit line would otherwise be hundreds of lines up): each line once.
    param([Parameter(Mandatory)] [string[]] $Line)
    Write-Host ''
    foreach ($l in $Line) { Write-Host $l }
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' {
            Get-ChildItem $root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
            Remove-Item (Join-Path $root 'out') -Recurse -Force -ErrorAction Ignore
        }
        'Build' {
            Invoke-Dotnet build (Join-Path $root 'src/ModelverseImage.Cmdlets') -c $Configuration
        }
        'Test' {
            $xunit = Invoke-XunitSuite
            # Pester runs even after an xunit failure, as long as the module was built: both counts are worth seeing.
            $pester = if ($xunit.Ran) { Invoke-PesterSuite } else { [pscustomobject]@{ Ok = $false; Line = 'Pester: did not run (the build failed)' } }
            Write-TestSummary $xunit.Line, $pester.Line
            if (-not $xunit.Ok -or -not $pester.Ok) { throw 'Tests failed or did not run: see the xunit and Pester lines above.' }
        }
        'Package' {
            Invoke-Dotnet build (Join-Path $root 'src/ModelverseImage.Cmdlets') -c Release
            $package = Join-Path $root 'out/package/ModelverseImage'
            Remove-Item $package -Recurse -Force -ErrorAction Ignore
            # out/ModelverseImage already holds only the allow-listed files (see the csproj's StageModule target).
            Copy-Item $moduleOut $package -Recurse
            Test-ModuleManifest (Join-Path $package 'ModelverseImage.psd1') | Out-Null
            $zip = & (Join-Path $root 'tools/New-AutomationZip.ps1') -ModuleFolder $package -Destination (Join-Path $root 'out/ModelverseImage.zip')
            Write-Host "Ready to publish: Publish-PSResource -Path '$package' -Repository PSGallery -ApiKey <key>"
            Write-Host "For Azure Automation: $($zip.FullName) (Modules > Add a module > Browse for file; runtime 5.1 or 7.x)"
        }
    }
}
