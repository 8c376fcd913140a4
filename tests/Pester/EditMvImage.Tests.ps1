#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# User-level scenarios for Edit-MvImage (with Save-MvImage), against the local API stand-in (tests/FakeApi).
# Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-ModelverseImageForTest

    $standIn = Connect-ModelverseStandIn
    $testKey = $standIn.ApiKey

    $pngSignature = '89-50-4E-47-0D-0A-1A-0A'
    # U+732B, "cat": written as a code point so this file reads the same in any editor or encoding.
    $catName = "$([char]0x732B).png"

    # Name, length and hash of every file in a folder, in name order.
    function Get-FolderSnapshot {
        param([Parameter(Mandatory)] [string] $LiteralPath)
        Get-ChildItem -LiteralPath $LiteralPath -File -Force |
            Sort-Object Name |
            ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.Length, (Get-TestSha256 -LiteralPath $_.FullName) }
    }
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'Edit-MvImage' {
    BeforeAll {
        # Pictures to edit: made by the stand-in and saved, two under generated names and two under awkward ones.
        $sourceDir = Join-Path $TestDrive 'photos'
        $null = New-MvImage -Prompt 'a red barn' -Count 2 | Save-MvImage -Directory $sourceDir
        $barn = New-MvImage -Prompt 'a red barn'
        $null = $barn | Save-MvImage -Path (Join-Path $sourceDir 'my photo [1].png')
        $null = $barn | Save-MvImage -Path (Join-Path $sourceDir $catName)

        $sourceNames = @('a-red-barn-1.png', 'a-red-barn-2.png', 'my photo [1].png', $catName) | Sort-Object
        $expectedEdits = @('a-red-barn-1-edit-1.png', 'a-red-barn-2-edit-1.png', 'my-photo-1-edit-1.png', "$([char]0x732B)-edit-1.png") | Sort-Object
    }

    It 'has the four source pictures to work on' {
        Get-ChildItem -LiteralPath $sourceDir -File | ForEach-Object Name | Sort-Object | Should -Be $sourceNames
    }

    Context 'a folder piped from Get-ChildItem' {
        BeforeAll {
            $outDir = Join-Path $TestDrive 'winter'
            $sourcesBefore = Get-FolderSnapshot -LiteralPath $sourceDir

            $edited = Get-ChildItem $sourceDir -Filter *.png | Edit-MvImage -Prompt 'make it winter' | Save-MvImage -Directory $outDir
        }

        It 'saves one edited copy per source, named after it with -edit-1' {
            $edited | Should -HaveCount 4
            foreach ($file in $edited) {
                $file | Should -BeOfType ([System.IO.FileInfo])
                [System.IO.File]::ReadAllBytes($file.FullName)[0..7] -join ',' | Should -Be '137,80,78,71,13,10,26,10'
            }
            $edited.Name | Sort-Object | Should -Be $expectedEdits
            Get-ChildItem -LiteralPath $outDir -File | ForEach-Object Name | Sort-Object | Should -Be $expectedEdits
        }

        It 'leaves the sources unchanged' {
            Get-FolderSnapshot -LiteralPath $sourceDir | Should -Be $sourcesBefore
        }

        It 'tells for each edit which file it came from' {
            $images = Get-ChildItem $sourceDir -Filter *.png | Edit-MvImage -Prompt 'make it winter'

            $images | Should -HaveCount 4
            $images | ForEach-Object { [System.IO.Path]::GetFileName($_.SourcePath) } | Sort-Object | Should -Be $sourceNames
            foreach ($image in $images) {
                $image.Prompt | Should -Be 'make it winter'
                $image.Format | Should -Be 'png'
                Test-Path -LiteralPath $image.SourcePath | Should -BeTrue
            }
        }
    }

    Context 'paths given as parameters' {
        It '-LiteralPath takes a name with brackets as it is' {
            $images = Edit-MvImage -LiteralPath (Join-Path $sourceDir 'my photo [1].png') -Prompt 'make it winter'

            $images | Should -HaveCount 1
            [System.IO.Path]::GetFileName($images.SourcePath) | Should -Be 'my photo [1].png'
        }

        It '-Path expands wildcards' {
            $images = Edit-MvImage -Path (Join-Path $sourceDir 'a-red-barn-*.png') -Prompt 'make it winter'

            $images | Should -HaveCount 2
            $images | ForEach-Object { [System.IO.Path]::GetFileName($_.SourcePath) } | Sort-Object | Should -Be @('a-red-barn-1.png', 'a-red-barn-2.png')
        }
    }

    Context 'chaining in memory' {
        It 'New-MvImage | Edit-MvImage edits without a file' {
            $edited = New-MvImage -Prompt 'a house' | Edit-MvImage -Prompt 'add snow'

            $edited | Should -HaveCount 1
            $edited.GetType().FullName | Should -Be 'ModelverseImage.Output.MvImage'
            $edited.SourcePath | Should -BeNullOrEmpty
            $edited.Path | Should -BeNullOrEmpty
            $edited.Prompt | Should -Be 'add snow'
            $edited.Format | Should -Be 'png'
            [System.BitConverter]::ToString($edited.Bytes, 0, 8) | Should -Be $pngSignature

            $file = $edited | Save-MvImage -Directory (Join-Path $TestDrive 'chained')
            $file.Name | Should -Be 'add-snow-1.png'
        }
    }

    Context 'a file that is not an image' {
        BeforeAll {
            $mixedDir = Join-Path $TestDrive 'mixed'
            $null = New-Item -ItemType Directory -Path $mixedDir
            Copy-Item -LiteralPath (Join-Path $sourceDir 'a-red-barn-1.png'), (Join-Path $sourceDir 'a-red-barn-2.png') -Destination $mixedDir
            $fakePath = Join-Path $mixedDir 'fake.png'
            Set-Content -LiteralPath $fakePath -Value 'This is text, not a picture.'
        }

        It 'gives UnsupportedImageType for it, sends it nowhere, and still edits the others' {
            $before = Get-ModelverseStandInRequestNumber

            $images = Get-ChildItem $mixedDir -Filter *.png | Edit-MvImage -Prompt 'make it winter' -ErrorVariable editErrors -ErrorAction SilentlyContinue

            $after = Get-ModelverseStandInRequestNumber
            $editErrors | Should -HaveCount 1
            $editErrors[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedImageType,*'
            $editErrors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
            $editErrors[0].TargetObject | Should -Be (Get-Item -LiteralPath $fakePath).FullName

            $images | Should -HaveCount 2
            $images | ForEach-Object { [System.IO.Path]::GetFileName($_.SourcePath) } | Sort-Object | Should -Be @('a-red-barn-1.png', 'a-red-barn-2.png')
            $after | Should -Be ($before + 3) -Because 'the two pictures and the second probe are sent, the text file is not'
        }
    }

    Context 'masks' {
        BeforeAll {
            $maskDir = Join-Path $TestDrive 'masks'
            $null = New-Item -ItemType Directory -Path $maskDir
            $picture = Join-Path $sourceDir 'a-red-barn-1.png'

            # The same size as the picture (1024x1024), so only the kind of file is wrong.
            [System.IO.File]::WriteAllBytes((Join-Path $maskDir 'no-alpha.png'), (New-TestPngBytes -Width 1024 -Height 1024))
            [System.IO.File]::WriteAllBytes((Join-Path $maskDir 'alpha.png'), (New-TestPngBytes -Width 1024 -Height 1024 -Alpha))
            $null = New-MvImage -Prompt 'a mask' -OutputFormat jpeg | Save-MvImage -Path (Join-Path $maskDir 'mask.jpg')
        }

        It 'refuses a <Kind> mask with InvalidMask and sends nothing' -ForEach @(
            @{ Kind = 'PNG without alpha'; Name = 'no-alpha.png' }
            @{ Kind = 'JPEG'; Name = 'mask.jpg' }
        ) {
            $mask = Join-Path $maskDir $Name
            $before = Get-ModelverseStandInRequestNumber

            $thrown = { Edit-MvImage -LiteralPath $picture -Prompt 'add a window' -Mask $mask } | Should -Throw -ErrorId 'InvalidMask,*' -PassThru

            $after = Get-ModelverseStandInRequestNumber
            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $thrown.TargetObject | Should -Be $mask
            $after | Should -Be ($before + 1) -Because 'only the second probe request may reach the API'
        }

        It 'accepts a PNG mask with alpha of the same size' {
            $images = Edit-MvImage -LiteralPath $picture -Prompt 'add a window' -Mask (Join-Path $maskDir 'alpha.png')

            $images | Should -HaveCount 1
            $images.SourcePath | Should -Be $picture
        }
    }
}
