#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# The module as a user meets it: manifest, exported commands, help, tab completion and formatting.
# Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-ModelverseImageForTest

    $manifestPath = Join-Path (Get-ModelverseRepoRoot) 'out/ModelverseImage/ModelverseImage.psd1'
    $cmdletNames = @('Edit-MvImage', 'Import-MvImage', 'New-MvImage', 'New-MvImageMask', 'Save-MvImage', 'Test-MvImageSize')
    $recommendedSizes = @('1024x1024', '1024x1536', '1536x1024', '2048x2048', '2048x1152', '2160x3840', 'auto')

    # What tab completion offers at the end of a command line.
    function Get-CompletionText {
        param([Parameter(Mandatory)] [string] $Line)
        $completion = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        @($completion.CompletionMatches | ForEach-Object CompletionText)
    }
}

Describe 'The ModelverseImage module' {
    It 'has a manifest that passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop

        $manifest.Name | Should -Be 'ModelverseImage'
        $manifest.Version | Should -Be (Get-Module ModelverseImage).Version
        $manifest.ExportedCmdlets.Keys | Sort-Object | Should -Be $cmdletNames
    }

    It 'exports exactly the six cmdlets' {
        $module = Get-Module ModelverseImage

        $module | Should -HaveCount 1
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be $cmdletNames
        $module.ExportedFunctions.Keys | Should -BeNullOrEmpty
        $module.ExportedAliases.Keys | Should -BeNullOrEmpty
        $module.ExportedVariables.Keys | Should -BeNullOrEmpty
        Get-Command -Module ModelverseImage | ForEach-Object Name | Sort-Object | Should -Be $cmdletNames
    }
}

Describe 'Importing and removing' {
    It 'Import-Module twice leaves one module and working cmdlets' {
        Import-Module $manifestPath
        Import-Module $manifestPath

        @(Get-Module ModelverseImage) | Should -HaveCount 1
        Test-MvImageSize 1024x1024 | Should -BeTrue
    }

    It 'Remove-Module takes the cmdlets away and Import-Module brings them back' {
        Remove-Module ModelverseImage
        try {
            Get-Module ModelverseImage | Should -BeNullOrEmpty
            Get-Command Test-MvImageSize -ErrorAction Ignore | Should -BeNullOrEmpty
        }
        finally {
            Import-Module $manifestPath
        }

        Get-Command Test-MvImageSize | Should -Not -BeNullOrEmpty
        Test-MvImageSize 1000x1000 | Should -BeFalse
    }

    It 'Get-Module ModelverseImage has the version written in the manifest' {
        $data = Import-PowerShellDataFile -LiteralPath $manifestPath

        (Get-Module ModelverseImage).Version | Should -Be ([version]$data.ModuleVersion)
    }
}

Describe 'Help' {
    It 'Get-Help <Name> -Examples shows examples that use <Name>' -ForEach @(
        @{ Name = 'New-MvImage' }
        @{ Name = 'Edit-MvImage' }
        @{ Name = 'Save-MvImage' }
        @{ Name = 'Test-MvImageSize' }
        @{ Name = 'Import-MvImage' }
        @{ Name = 'New-MvImageMask' }
    ) {
        $text = Get-Help $Name -Examples | Out-String -Width 200

        $text | Should -Match 'Example 1'
        $text | Should -Match ([regex]::Escape($Name))
    }


    It '<Name> has a synopsis, a description and at least two examples' -ForEach @(
        @{ Name = 'New-MvImage' }
        @{ Name = 'Edit-MvImage' }
        @{ Name = 'Save-MvImage' }
        @{ Name = 'Test-MvImageSize' }
        @{ Name = 'Import-MvImage' }
        @{ Name = 'New-MvImageMask' }
    ) {
        $help = Get-Help -Name $Name -Full

        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)" -Because 'without a help file Get-Help shows the syntax as the synopsis'

        $description = (@($help.description) | Where-Object { $null -ne $_ } | ForEach-Object { $_.Text }) -join ' '
        $description.Trim() | Should -Not -BeNullOrEmpty

        # $null.example would count as one: only real examples are kept.
        $examples = @($help.examples.example | Where-Object { $null -ne $_ })
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'What the README, about_ModelverseImage and the help advise' {
    BeforeAll {
        $root = Get-ModelverseRepoRoot
        $docs = @{
            'README.md'              = Get-Content -Raw -LiteralPath (Join-Path $root 'README.md')
            'about_ModelverseImage'  = Get-Content -Raw -LiteralPath (Join-Path $root 'out/ModelverseImage/en-US/about_ModelverseImage.help.txt')
            'the MAML help'          = Get-Content -Raw -LiteralPath (Join-Path $root 'out/ModelverseImage/en-US/ModelverseImage.Cmdlets.dll-Help.xml')
        }
    }

    It '<_> sets the address and the key with the environment variables, not $PSDefaultParameterValues' -ForEach @('README.md', 'about_ModelverseImage', 'the MAML help') {
        # A default there makes PowerShell end every parameter binding error with its long note on default binding.
        $docs[$_] | Should -Not -Match 'PSDefaultParameterValues\[[''"][^''"]*:(BaseUri|ApiKey)[''"]\]'
        $docs[$_] | Should -Match '\$env:MODELVERSE_BASE_URL'
    }

    It 'README.md and about_ModelverseImage show $env:MODELVERSE_BASE_URL being set' {
        $docs['README.md'] | Should -Match '\$env:MODELVERSE_BASE_URL = '
        $docs['about_ModelverseImage'] | Should -Match '\$env:MODELVERSE_BASE_URL = '
    }

    It 'about_ModelverseImage names every command the pattern ''*-MvImage'' matches' {
        $text = $docs['about_ModelverseImage'] -replace '\s+', ' '
        $said = [regex]::Match($text, "'\*-MvImage' matches ([^;.]+)")
        $said.Success | Should -BeTrue
        $named = [regex]::Matches($said.Groups[1].Value, '\w+-MvImage\b').Value | Sort-Object
        $named | Should -Be ((Get-Command -Module ModelverseImage -Name '*-MvImage').Name | Sort-Object)
    }
}

Describe 'Tab completion' {
    It 'offers the recommended sizes, 1024x1024 to auto, for New-MvImage -Size' {
        $offered = Get-CompletionText -Line 'New-MvImage -Size '

        $offered | Should -Be $recommendedSizes
        $offered[0] | Should -Be '1024x1024'
        $offered[-1] | Should -Be 'auto'
    }

    It 'offers the same sizes for <Name> -Size' -ForEach @(
        @{ Name = 'Edit-MvImage' }
        @{ Name = 'Test-MvImageSize' }
        @{ Name = 'New-MvImageMask' }
    ) {
        Get-CompletionText -Line "$Name -Size " | Should -Be $recommendedSizes
    }

    It 'TabExpansion2 ''New-MvImage -Size '' 18 completes 1024x1024 and the other recommended sizes' {
        $completion = TabExpansion2 'New-MvImage -Size ' 18

        $completion.CompletionMatches.CompletionText | Should -Contain '1024x1024'
        $completion.CompletionMatches.CompletionText | Should -Contain '2048x1152'
    }

    It 'offers gpt-image-2 for <Name> -Model' -ForEach @(
        @{ Name = 'New-MvImage' }
        @{ Name = 'Edit-MvImage' }
    ) {
        Get-CompletionText -Line "$Name -Model " | Should -Contain 'gpt-image-2'
        Get-CompletionText -Line "$Name -Model gpt" | Should -Contain 'gpt-image-2'
    }

    It 'offers 0 to 3, not file names, for <Name> -PartialImages' -ForEach @(
        @{ Name = 'New-MvImage' }
        @{ Name = 'Edit-MvImage' }
    ) {
        Get-CompletionText -Line "$Name -PartialImages " | Should -Be @('0', '1', '2', '3')
        Get-CompletionText -Line "$Name 'a cat' -PartialImages 2" | Should -Be @('2')
    }

    It 'offers the sizes after a positional prompt: New-MvImage ''a cat'' -Size ' {
        Get-CompletionText -Line "New-MvImage 'a cat' -Size " | Should -Be $recommendedSizes
    }

    It 'narrows the sizes to what was typed' {
        Get-CompletionText -Line 'New-MvImage -Size 20' | Should -Be @('2048x2048', '2048x1152')
        Get-CompletionText -Line 'New-MvImage -Size au' | Should -Be @('auto')
    }

    It 'keeps a quote the user began: -Size ''20 completes to ''2048x2048''' {
        Get-CompletionText -Line "New-MvImage -Size '20" | Should -Be @("'2048x2048'", "'2048x1152'")
        Get-CompletionText -Line 'New-MvImage -Quality "hi' | Should -Be @('"high"')
    }
}

Describe 'Formatting' {
    BeforeAll {
        $standIn = Connect-ModelverseStandIn
        $testKey = $standIn.ApiKey

        # A run of 16 or more numbers separated by commas or spaces: image bytes written out.
        $numberRun = '\d+([\s,]+\d+){15,}'
    }

    AfterAll {
        Disconnect-ModelverseStandIn $standIn
    }

    It 'shows an image as one short table row, without its bytes' {
        # Unlimited enumeration would write out every byte of any byte array the view showed.
        $savedLimit = $global:FormatEnumerationLimit
        $global:FormatEnumerationLimit = -1
        try {
            $table = New-MvImage -Prompt x | Format-Table | Out-String -Width 200
            $default = New-MvImage -Prompt x | Out-String -Width 200
        }
        finally {
            $global:FormatEnumerationLimit = $savedLimit
        }

        foreach ($text in $table, $default) {
            $text | Should -Not -Match $numberRun
            $text | Should -Match '\bpng\b'
            $text | Should -Match '\bPrompt\b'
            $text.Length | Should -BeLessThan 2000
            @($text -split '\r?\n' | Where-Object { $_.Trim() }).Count | Should -BeLessOrEqual 4
        }
    }

    It 'Test-MvImageSize -Detailed shows a table with the size, whether it is valid and the suggestion' {
        $text = Test-MvImageSize 4000x3000 -Detailed | Format-Table | Out-String -Width 200

        $text | Should -Match '\bSize\b.*\bIsValid\b.*\bSuggested\b'
        $text | Should -Match '4000x3000\s+False'
        $text | Should -Match '3312x2496'
    }

    It 'Test-MvImageSize -Detailed | Format-Wide shows each size, and which is not valid' {
        $text = '1024x1024', '1000x1000' | Test-MvImageSize -Detailed | Format-Wide | Out-String -Width 120

        $text | Should -Match '\b1024x1024\b'
        $text | Should -Match '\b1000x1000 \(invalid\)'
        $text | Should -Not -Match '\bTrue\b|\bFalse\b'
    }

    It 'Test-MvImageSize -Detailed explains each problem in words' {
        $check = Test-MvImageSize 4000x3000 -Detailed

        ($check.Problems -join ' ') | Should -Match '3840|3000'
        $check.Suggested | Should -Be '3312x2496'
    }
}

Describe 'A host that cannot answer questions (runbooks, -NonInteractive)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        $standIn = Start-ModelverseStandIn -ApiKey 'sk-debug-test'
    }
    AfterAll {
        Stop-ModelverseStandIn $standIn
    }

    It 'runs New-MvImage -Debug | Save-MvImage -Debug without asking to continue' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) ('mv-debug-' + [guid]::NewGuid().ToString('N'))
        $script = Join-Path ([IO.Path]::GetTempPath()) ('mv-debug-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $script -Encoding utf8 -Value @'
param($Manifest, $BaseUri, $ApiKey, $Folder)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
New-MvImage 'a debug run' -Debug -BaseUri $BaseUri -ApiKey $ApiKey | Save-MvImage -Directory $Folder -Debug | ForEach-Object { "saved:$($_.Name)" }
'@
        try {
            $output = Invoke-ChildPwsh -File $script -ArgumentList (Get-ModelverseManifestPath), $standIn.BaseUri.AbsoluteUri, $standIn.ApiKey, $folder
            $text = ($output | ForEach-Object { "$_" }) -join [Environment]::NewLine
            $LASTEXITCODE | Should -Be 0 -Because $text
            $text | Should -Match 'saved:a-debug-run-1\.png'
            $text | Should -Not -Match 'NonInteractive mode'
        }
        finally {
            Remove-Item -LiteralPath $script -ErrorAction Ignore
            Remove-Item -LiteralPath $folder -Recurse -ErrorAction Ignore
        }
    }
}
