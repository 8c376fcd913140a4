# Shared set-up for the Pester suite: imports the built module from out/ModelverseImage.
$script:RepoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Import-ModelverseImageForTest {
    $manifest = Join-Path $script:RepoRoot 'out/ModelverseImage/ModelverseImage.psd1'
    if (-not (Test-Path $manifest)) { throw "Build the module first: dotnet build (or ./build.ps1 Build). Missing $manifest" }
    Import-Module $manifest -Force -ErrorAction Stop
}
