#Requires -Version 7.0
<#
.SYNOPSIS
    Zips a staged module folder for Azure Automation: the module folder at the zip's root, named like the manifest.
.DESCRIPTION
    Azure Automation imports a module from a .zip whose root holds one folder named like the module (and the zip
    named like it too, ModelverseImage.zip), and refuses paths of 140 characters or more. The zip holds exactly
    the staged files (out/ModelverseImage is already the allow-list, see the csproj's StageModule target); this
    script checks the path lengths and the manifest name and fails otherwise. build.ps1 Package calls it.
.EXAMPLE
    ./tools/New-AutomationZip.ps1 -ModuleFolder out/ModelverseImage -Destination out/ModelverseImage.zip
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $Destination
)

$ErrorActionPreference = 'Stop'
$folder = (Resolve-Path -LiteralPath $ModuleFolder).ProviderPath.TrimEnd([IO.Path]::DirectorySeparatorChar, [IO.Path]::AltDirectorySeparatorChar)
$name = Split-Path -Leaf $folder
if (-not (Test-Path -LiteralPath (Join-Path $folder "$name.psd1"))) {
    throw "Azure Automation needs the folder named like the manifest: $folder has no $name.psd1"
}
$maxPath = 140
foreach ($file in Get-ChildItem -LiteralPath $folder -Recurse -File) {
    $entry = "$name/" + [IO.Path]::GetRelativePath($folder, $file.FullName).Replace('\', '/')
    if ($entry.Length -ge $maxPath) { throw "Azure Automation refuses paths of $maxPath characters or more: $entry ($($entry.Length))" }
}
$target = [IO.Path]::GetFullPath($Destination, (Get-Location).ProviderPath)
Remove-Item -LiteralPath $target -ErrorAction Ignore
$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $target)
# includeBaseDirectory: every entry starts with ModelverseImage/; entries use '/' on every OS.
[IO.Compression.ZipFile]::CreateFromDirectory($folder, $target, [IO.Compression.CompressionLevel]::Optimal, $true)
Get-Item -LiteralPath $target
