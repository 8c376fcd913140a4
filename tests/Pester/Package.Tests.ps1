#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# The Azure Automation package (issue #14): build.ps1 Package writes out/ModelverseImage.zip with
# tools/New-AutomationZip.ps1; here the same script zips the staged module into a temporary folder.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $repoRoot = Get-ModelverseRepoRoot
    $moduleFolder = Join-Path $repoRoot 'out/ModelverseImage'
    $zipPath = Join-Path ([IO.Path]::GetTempPath()) ('mv-package-' + [guid]::NewGuid().ToString('N') + '/ModelverseImage.zip')
    $null = & (Join-Path $repoRoot 'tools/New-AutomationZip.ps1') -ModuleFolder $moduleFolder -Destination $zipPath

    $archive = [IO.Compression.ZipFile]::OpenRead($zipPath)
    try { $entries = @($archive.Entries | ForEach-Object FullName) } finally { $archive.Dispose() }

    # The allow-list, read from the csproj's StageModule items and the help folder.
    $project = [xml](Get-Content -Raw -LiteralPath (Join-Path $repoRoot 'src/ModelverseImage.Cmdlets/ModelverseImage.Cmdlets.csproj'))
    $items = $project.Project.ItemGroup
    $split = { param($list) @($list | Where-Object { $_ } | ForEach-Object { $_.Include -split ';' } | Where-Object { $_ }) }
    $allowed = @(
        & $split $items.ModuleFile | ForEach-Object { $_.Replace('$(RepoRoot)', '') }
        & $split $items.ModuleBinFile
        & $split $items.DependencyFile | ForEach-Object { "dependencies/$_" }
        Get-ChildItem -LiteralPath (Join-Path $repoRoot 'src/ModelverseImage.Cmdlets/en-US') -File | ForEach-Object { "en-US/$($_.Name)" }
    ) | ForEach-Object { "ModelverseImage/$_" } | Sort-Object
}

AfterAll {
    Remove-Item -LiteralPath (Split-Path -Parent $zipPath) -Recurse -Force -ErrorAction Ignore
}

Describe 'The Azure Automation zip' {
    It 'is named like the module and holds the module folder at its root' {
        Split-Path -Leaf $zipPath | Should -Be 'ModelverseImage.zip'
        $entries | ForEach-Object { $_ | Should -Match '^ModelverseImage/' }
        $entries | Should -Contain 'ModelverseImage/ModelverseImage.psd1'
    }

    It 'holds exactly the allow-listed files' {
        $files = $entries | Where-Object { -not $_.EndsWith('/') } | Sort-Object
        $files | Should -Be $allowed
        $files | Should -Contain 'ModelverseImage/dependencies/RestSharp.dll'
    }

    It 'has no path of 140 characters or more' {
        $entries | ForEach-Object { $_.Length | Should -BeLessThan 140 -Because $_ }
    }

    It 'imports from where it unpacks, as Automation does' {
        $unpacked = Join-Path (Split-Path -Parent $zipPath) 'unpacked'
        Expand-Archive -LiteralPath $zipPath -DestinationPath $unpacked
        $manifest = Test-ModuleManifest -Path (Join-Path $unpacked 'ModelverseImage/ModelverseImage.psd1') -ErrorAction Stop
        $manifest.Name | Should -Be 'ModelverseImage'
        $manifest.NestedModules.Name | Should -Contain 'ModelverseImage.Loader'
    }
}
