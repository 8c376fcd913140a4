#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the ModelverseImage module.
.DESCRIPTION
    Clean   removes bin/, obj/ and out/.
    Build   runs dotnet build; the importable module is staged in out/ModelverseImage.
    Test    runs the xunit suite (cmdlets in a real runspace, against a local API stand-in), then the
            Pester 5 suite in tests/Pester when Pester 5 is installed.
    Package stages exactly the files to publish in out/package/ModelverseImage, ready for
            Publish-PSResource -Path out/package/ModelverseImage.
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

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
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
            Invoke-Dotnet test (Join-Path $root 'ModelverseImage.slnx') -c $Configuration
            $pester = Get-Module -ListAvailable Pester | Where-Object Version -GE '5.1.0' | Sort-Object Version -Descending | Select-Object -First 1
            if ($pester) {
                Import-Module $pester -Force
                $config = New-PesterConfiguration
                $config.Run.Path = Join-Path $root 'tests/Pester'
                $config.Run.Exit = $false
                $config.Run.PassThru = $true
                $config.Output.Verbosity = 'Detailed'
                $result = Invoke-Pester -Configuration $config
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
            }
            else {
                Write-Warning 'Pester 5.1+ is not installed: the Pester suite was skipped (Install-Module Pester -MinimumVersion 5.1 -Scope CurrentUser).'
            }
        }
        'Package' {
            Invoke-Dotnet build (Join-Path $root 'src/ModelverseImage.Cmdlets') -c Release
            $package = Join-Path $root 'out/package/ModelverseImage'
            Remove-Item $package -Recurse -Force -ErrorAction Ignore
            # out/ModelverseImage already holds only the allow-listed files (see the csproj's StageModule target).
            Copy-Item $moduleOut $package -Recurse
            Test-ModuleManifest (Join-Path $package 'ModelverseImage.psd1') | Out-Null
            Write-Host "Ready to publish: Publish-PSResource -Path '$package' -Repository PSGallery -ApiKey <key>"
        }
    }
}
