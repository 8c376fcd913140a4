#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# User-level scenarios for Edit-MvImage (with Save-MvImage), against the local API stand-in (tests/FakeApi).
# Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule

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

    Context 'as users type it: prompt first, like Select-String' {
        BeforeAll {
            # An album whose folder names have CJK letters, brackets and spaces.
            $album = Join-Path $TestDrive "$([char]0x76F8)$([char]0x518C) [2024]"
            $photos = Join-Path $album 'my photos'
            $older = Join-Path $photos 'old ones'
            $null = New-Item -ItemType Directory -Path $older
            $barnFile = Join-Path $sourceDir 'a-red-barn-1.png'
            Copy-Item -LiteralPath $barnFile -Destination (Join-Path $photos 'room.png')
            Copy-Item -LiteralPath $barnFile -Destination (Join-Path $photos 'a b [1].png')
            Copy-Item -LiteralPath $barnFile -Destination (Join-Path $older $catName)
            $null = New-MvImage 'a porch' -OutputFormat jpeg | Save-MvImage -Path (Join-Path $older 'porch.jpg')
            Set-Content -LiteralPath (Join-Path $photos 'notes.txt') -Value 'not a picture'
        }

        BeforeEach {
            Push-Location -LiteralPath $photos
        }

        AfterEach {
            Pop-Location
            # What a test saved under my photos/out must not become a source for the next one.
            Remove-Item -LiteralPath (Join-Path $photos 'out') -Recurse -Force -ErrorAction Ignore
        }

        It 'Edit-MvImage ''add a window'' ./room.png edits room.png' {
            $images = Edit-MvImage 'add a window' ./room.png

            $images | Should -HaveCount 1
            $images.Prompt | Should -Be 'add a window'
            $images.SourcePath | Should -Be (Join-Path $photos 'room.png')
        }

        It 'takes the paths Resolve-Path gives, piped or as -Path' {
            $piped = Resolve-Path ./room.png | Edit-MvImage 'add a window'
            $named = Edit-MvImage 'add a window' -Path (Resolve-Path ./room.png)

            $piped.SourcePath | Should -Be (Join-Path $photos 'room.png')
            $named.SourcePath | Should -Be (Join-Path $photos 'room.png')
        }

        It 'Get-ChildItem *.png | Edit-MvImage ''make it winter'' | Save-MvImage -Directory out saves one edit per file' {
            $files = Get-ChildItem *.png | Edit-MvImage 'make it winter' | Save-MvImage -Directory out

            $files.Name | Sort-Object | Should -Be @('a-b-1-edit-1.png', 'room-edit-1.png')
            Get-ChildItem -LiteralPath (Join-Path $photos 'out') -Name | Sort-Object | Should -Be @('a-b-1-edit-1.png', 'room-edit-1.png')
        }

        It 'Get-ChildItem -Recurse -Include *.png, *.jpg edits every picture below a CJK folder with brackets, and nothing else' {
            $images = Get-ChildItem -LiteralPath $album -Recurse -Include *.png, *.jpg | Edit-MvImage 'make it winter'

            $images | Should -HaveCount 4
            $images | ForEach-Object { Split-Path -Leaf $_.SourcePath } | Sort-Object | Should -Be (@('a b [1].png', 'porch.jpg', 'room.png', $catName) | Sort-Object)
        }

        It 'names the edit of a file with a CJK name after it (CJK-edit-1.png)' {
            $file = Get-ChildItem -LiteralPath $older -Filter *.png | Edit-MvImage 'make it winter' | Save-MvImage -Directory out

            $file.Name | Should -Be "$([char]0x732B)-edit-1.png"
        }

        It 'says the prompt comes first when it is given second, and sends nothing' {
            $before = Get-ModelverseStandInRequestNumber

            $thrown = { Edit-MvImage ./room.png 'add a window' -ErrorAction Stop } | Should -Throw -PassThru

            $after = Get-ModelverseStandInRequestNumber
            $thrown.Exception.Message | Should -Match 'prompt'
            $after | Should -Be ($before + 1) -Because 'only the second probe may reach the API'
        }

        It 'takes a name with brackets through -LiteralPath''s aliases -LP and -PSPath' {
            $viaLp = Edit-MvImage 'add a window' -LP './a b [1].png'
            $viaPsPath = Edit-MvImage 'add a window' -PSPath (Join-Path $photos 'a b [1].png')

            $viaLp.SourcePath | Should -Be (Join-Path $photos 'a b [1].png')
            $viaPsPath.SourcePath | Should -Be (Join-Path $photos 'a b [1].png')
        }

        It 'takes an image in memory through -InputObject' {
            $house = New-MvImage 'a house'

            $edited = Edit-MvImage 'add snow' -InputObject $house

            $edited | Should -HaveCount 1
            $edited.Prompt | Should -Be 'add snow'
        }

        It '-WhatIf names the file it would send and sends nothing' {
            $before = Get-ModelverseStandInRequestNumber

            $shown = Get-HostText { Get-ChildItem room.png | Edit-MvImage -Prompt 'make it winter' -WhatIf | Save-MvImage -Directory out }

            $after = Get-ModelverseStandInRequestNumber
            $shown | Should -Match 'What if:.*room\.png'
            $after | Should -Be ($before + 1)
            Join-Path $photos 'out/room-edit-1.png' | Should -Not -Exist
        }
    }

    Context 'errors users catch' {
        BeforeAll {
            $badDir = Join-Path $TestDrive 'bad batch'
            $null = New-Item -ItemType Directory -Path $badDir
            Copy-Item -LiteralPath (Join-Path $sourceDir 'a-red-barn-1.png') -Destination (Join-Path $badDir 'good.png')
            $textPath = Join-Path $badDir 'notes.png'
            Set-Content -LiteralPath $textPath -Value 'This is text, not a picture.'
        }

        It 'try/catch with -ErrorAction Stop catches UnsupportedImageType for a text file named .png' {
            try {
                Edit-MvImage 'make it winter' -LiteralPath $textPath -ErrorAction Stop
                $reached = $true
            }
            catch {
                $caught = $_
            }

            $reached | Should -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'UnsupportedImageType,*'
            $caught.TargetObject | Should -Be $textPath
        }

        It 'the error lands in $Error and in -ErrorVariable, once, while the good file is still edited' {
            $images = Get-ChildItem -LiteralPath $badDir | Edit-MvImage -Prompt 'make it winter' -ErrorVariable batchErrors -ErrorAction SilentlyContinue

            $images | Should -HaveCount 1
            Split-Path -Leaf $images.SourcePath | Should -Be 'good.png'
            $batchErrors | Should -HaveCount 1
            $Error[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedImageType,*'
            "$($Error[0])" | Should -Match 'notes\.png'
        }

        It 'an image read back with Import-Clixml gives one NoImageBytes error and sends nothing' {
            $xml = Join-Path $TestDrive 'house.xml'
            New-MvImage 'a house' | Export-Clixml -LiteralPath $xml
            $before = Get-ModelverseStandInRequestNumber

            $edited = Import-Clixml -LiteralPath $xml | Edit-MvImage 'x' -ErrorVariable readBackErrors -ErrorAction SilentlyContinue

            $after = Get-ModelverseStandInRequestNumber
            $edited | Should -BeNullOrEmpty
            $readBackErrors | Should -HaveCount 1
            $readBackErrors[0].FullyQualifiedErrorId | Should -BeLike 'NoImageBytes,*'
            "$($readBackErrors[0])" | Should -Match 'not its image bytes|no image bytes'
            $after | Should -Be ($before + 1)
        }
    }

    Context 'what is sent' {
        It 'sends one file as the image part, with the prompt, -Size and -Quality as fields' {
            $null = Get-ModelverseRecordedRequest $standIn

            $null = Edit-MvImage -Prompt 'add a window' -LiteralPath (Join-Path $sourceDir 'a-red-barn-1.png') -Size 1024x1536 -Quality low -BaseUri $standIn.BaseUri

            $sent = @(Get-ModelverseRecordedRequest $standIn)
            $sent | Should -HaveCount 1
            $sent[0].Path | Should -Be '/v1/images/edits'
            $sent[0].ContentType | Should -BeLike 'multipart/form-data*'
            $sent[0].Fields['prompt'] | Should -Be 'add a window'
            $sent[0].Fields['size'] | Should -Be '1024x1536'
            $sent[0].Fields['quality'] | Should -Be 'low'
            $sent[0].Body | Should -Match 'name="?image"?; filename'
        }
    }
}
