#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# User-level scenarios for -PartialImages (streamed answers) against the local API stand-in (tests/FakeApi).
# Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule

    # What 'a cat' -PartialImages 2 saves: the partial images in the order they came, then the final image.
    $catWithTwoPartials = @('a-cat-1-partial-0.png', 'a-cat-1-partial-1.png', 'a-cat-1.png')
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'Streaming partial images' {
    It 'New-MvImage -PartialImages 2 | Save-MvImage saves the partials beside the final image' {
        $dir = Join-Path $TestDrive 'all'

        $files = New-MvImage 'a cat' -PartialImages 2 | Save-MvImage -Directory $dir

        $files.Name | Should -Be $catWithTwoPartials
        (Get-ChildItem -LiteralPath $dir).Name | Sort-Object | Should -Be $catWithTwoPartials
    }

    It 'writes the partial images first, then the final image with the usage' {
        $images = New-MvImage 'a cat' -PartialImages 2

        $images | Should -HaveCount 3
        $images.IsPartial | Should -Be @($true, $true, $false)
        $images[0].PartialIndex | Should -Be 0
        $images[1].PartialIndex | Should -Be 1
        $images[2].PartialIndex | Should -BeNullOrEmpty
        $images[2].Usage.TotalTokens | Should -BeGreaterThan 0
    }

    It '| Where-Object -Not IsPartial keeps only the final image' {
        $dir = Join-Path $TestDrive 'finals'

        $files = New-MvImage 'a cat' -PartialImages 2 | Where-Object -Not IsPartial | Save-MvImage -Directory $dir

        $files.Name | Should -Be 'a-cat-1.png'
    }

    It 'Save-MvImage -ExcludePartial keeps only the final images' {
        $dir = Join-Path $TestDrive 'excluded'

        $files = 'a cat', 'a dog' | New-MvImage -PartialImages 1 | Save-MvImage -Directory $dir -ExcludePartial

        $files.Name | Sort-Object | Should -Be @('a-cat-1.png', 'a-dog-1.png')
    }

    It 'Edit-MvImage -PartialImages 1 streams an edit' {
        $source = Join-Path $TestDrive 'cat.png'
        [System.IO.File]::WriteAllBytes($source, (New-TestPngBytes))
        $dir = Join-Path $TestDrive 'edits'

        $files = Edit-MvImage 'add a hat' $source -PartialImages 1 | Save-MvImage -Directory $dir

        $files.Name | Should -Be @('cat-edit-1-partial-0.png', 'cat-edit-1.png')
    }

    It '-Count 2 streams both final images after the partials, numbered 1 and 2' {
        $dir = Join-Path $TestDrive 'two'

        $images = New-MvImage 'a cat' -Count 2 -PartialImages 1
        $files = $images | Save-MvImage -Directory $dir

        @($images | Where-Object IsPartial) | Should -HaveCount 1
        @($images | Where-Object -Not IsPartial).Index | Should -Be @(1, 2)
        $files.Name | Should -Be @('a-cat-1-partial-0.png', 'a-cat-1.png', 'a-cat-2.png')
    }

    It 'the table view marks partial images' {
        $text = New-MvImage 'a cat' -PartialImages 1 | Format-Table | Out-String -Width 200

        $text | Should -Match 'Partial'
    }

    It 'refuses more than 3 partial images before sending anything' {
        $before = Get-ModelverseStandInRequestNumber

        { New-MvImage 'a cat' -PartialImages 4 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ModelverseImage.Commands.NewMvImageCommand'

        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }
}
