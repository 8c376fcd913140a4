#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# User-level scenarios for Save-MvImage: what it writes, and its output piped on to the file cmdlets,
# against the local API stand-in (tests/FakeApi). Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'Save-MvImage' {
    BeforeEach {
        $work = Enter-TestFolder
    }

    AfterEach {
        Pop-Location
    }

    Context 'where the file goes' {
        It 'saves in the current folder, named after the prompt, when no folder is given' {
            $file = New-MvImage 'a lighthouse at dawn' | Save-MvImage

            $file.Name | Should -Be 'a-lighthouse-at-dawn-1.png'
            $file.DirectoryName | Should -Be $work
            Get-ChildItem -Name | Should -Be 'a-lighthouse-at-dawn-1.png'
            Get-FileSignature -LiteralPath $file.FullName | Should -Be $pngSignature
        }

        It 'takes the folder as its first positional argument, relative to the current folder' {
            $file = New-MvImage 'a red kite' | Save-MvImage out

            $file.FullName | Should -Be (Join-Path $work 'out/a-red-kite-1.png')
            './out/a-red-kite-1.png' | Should -Exist
        }

        It 'creates a folder whose name has brackets and spaces, and saves there literally' {
            $file = New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]'

            $file.Name | Should -Be 'a-cat-1.png'
            Test-Path -LiteralPath (Join-Path $work 'shots [final]/a-cat-1.png') | Should -BeTrue
            Get-ChildItem -LiteralPath (Join-Path $work 'shots [final]') -Name | Should -Be 'a-cat-1.png'
        }

        It 'keeps the prompt''s own letters in a Chinese file name' {
            $prompt = -join [char[]](0x4E00, 0x53EA, 0x732B)   # "a cat"

            $file = New-MvImage $prompt | Save-MvImage

            $file.Name | Should -Be "$prompt-1.png"
            Test-Path -LiteralPath (Join-Path $work "$prompt-1.png") | Should -BeTrue
        }

        It 'keeps a prompt with slashes and dots inside the folder' {
            $file = New-MvImage '../../etc/passwd' | Save-MvImage -Directory out

            $file.DirectoryName | Should -Be (Join-Path $work 'out')
            @(Get-ChildItem -LiteralPath $work -Recurse -File) | Should -HaveCount 1
        }
    }

    Context 'the file it emits, piped on' {
        It 'emits what Get-Item emits for the saved file (PSPath, PSParentPath, PSChildName, PSDrive, PSProvider)' {
            $file = New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]'
            $item = Get-Item -LiteralPath (Join-Path $work 'shots [final]/a-cat-1.png')

            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.PSPath | Should -Be $item.PSPath
            $file.PSParentPath | Should -Be $item.PSParentPath
            $file.PSChildName | Should -Be 'a-cat-1.png'
            $file.PSDrive.Name | Should -Be $item.PSDrive.Name
            $file.PSProvider.Name | Should -Be 'FileSystem'
        }

        It '| Remove-Item removes exactly the new file in "shots [final]" and leaves "shots f/a-cat-1.png" alone' {
            # "shots [final]" read as a wildcard matches "shots f": a path passed as text would hit the look-alike.
            $null = New-Item -ItemType Directory -Path 'shots f'
            Set-Content -LiteralPath (Join-Path $work 'shots f/a-cat-1.png') -Value 'look-alike' -NoNewline

            New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]' | Remove-Item -ErrorVariable removeErrors

            $removeErrors | Should -BeNullOrEmpty
            Test-Path -LiteralPath (Join-Path $work 'shots [final]/a-cat-1.png') | Should -BeFalse
            Get-Content -LiteralPath (Join-Path $work 'shots f/a-cat-1.png') -Raw | Should -Be 'look-alike'
        }

        It '| Copy-Item -Destination copies that file' {
            $null = New-Item -ItemType Directory -Path 'copies'

            New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]' | Copy-Item -Destination copies

            $copy = Join-Path $work 'copies/a-cat-1.png'
            $copy | Should -Exist
            Get-TestSha256 -LiteralPath $copy | Should -Be (Get-TestSha256 -LiteralPath (Join-Path $work 'shots [final]/a-cat-1.png'))
        }

        It '| Move-Item -Destination moves that file out of the folder' {
            $null = New-Item -ItemType Directory -Path 'moved'

            New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]' | Move-Item -Destination moved

            Join-Path $work 'moved/a-cat-1.png' | Should -Exist
            Get-ChildItem -LiteralPath (Join-Path $work 'shots [final]') | Should -BeNullOrEmpty
        }

        It '| Get-Item gets that file' {
            $item = New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]' | Get-Item

            $item | Should -HaveCount 1
            $item.FullName | Should -Be (Join-Path $work 'shots [final]/a-cat-1.png')
        }

        It '| Rename-Item -NewName renames that file' {
            New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]' | Rename-Item -NewName { 'final-' + $_.Name }

            Get-ChildItem -LiteralPath (Join-Path $work 'shots [final]') -Name | Should -Be 'final-a-cat-1.png'
        }

        It '-Count 3 | Save-MvImage | Measure-Object -Property Length -Sum adds up the three files' {
            $sum = New-MvImage 'three red tulips' -Count 3 | Save-MvImage | Measure-Object -Property Length -Sum

            $sum.Count | Should -Be 3
            $sum.Sum | Should -Be ((Get-ChildItem -File | Measure-Object -Property Length -Sum).Sum)
            $sum.Sum | Should -BeGreaterThan 0
        }

        It 'Format-Table | Out-String shows the "Directory:" header, the name and the length, as for Get-ChildItem' {
            $file = New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]'

            $text = $file | Format-Table | Out-String -Width 200

            $text | Should -Match 'Directory: .*shots \[final\]'
            $text | Should -Match '\b(Length|Size)\b' -Because 'the column is Length on Windows and Size elsewhere'
            $text | Should -Match 'a-cat-1\.png'
            $text | Should -Match ([regex]::Escape($file.Length.ToString()))
        }
    }

    Context 'existing files' {
        It 'a second save of the same prompt makes "a-cat-1 (2).png"' {
            $image = New-MvImage 'a cat'

            $first = $image | Save-MvImage
            $second = $image | Save-MvImage

            $first.Name | Should -Be 'a-cat-1.png'
            $second.Name | Should -Be 'a-cat-1 (2).png'
        }

        It 'try/catch with -ErrorAction Stop gives FileExists for -Path onto an existing file' {
            Set-Content -LiteralPath 'cat.png' -Value 'keep me' -NoNewline
            $image = New-MvImage 'a cat'
            $caught = $null

            try {
                $image | Save-MvImage -Path ./cat.png -ErrorAction Stop
                $reached = $true
            }
            catch {
                $caught = $_
            }

            $reached | Should -BeNullOrEmpty -Because '-ErrorAction Stop ends the script at the error'
            $caught.FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
            "$caught" | Should -Match '-Force'
            Get-Content -LiteralPath 'cat.png' -Raw | Should -Be 'keep me'
        }

        It 'Get-Error | Out-String shows the last FileExists error' {
            Set-Content -LiteralPath 'cat.png' -Value 'keep me' -NoNewline
            try { New-MvImage 'a cat' | Save-MvImage -Path ./cat.png -ErrorAction Stop } catch { }

            $text = Get-Error -Newest 1 | Out-String -Width 300

            $text | Should -Match 'FileExists'
            $text | Should -Match 'cat\.png'
        }
    }

    Context '-WhatIf and -Confirm' {
        It '-WhatIf writes nothing and says where it would have saved' {
            $image = New-MvImage 'a cat'

            $shown = Get-HostText { $image | Save-MvImage -Directory './shots [final]' -WhatIf }

            $shown | Should -Match 'What if:.*shots \[final\].a-cat-1\.png'
            Test-Path -LiteralPath (Join-Path $work 'shots [final]') | Should -BeFalse
            Get-ChildItem -Force | Should -BeNullOrEmpty
        }

        It '-WhatIf names the file a taken name would become, and says when -Force would replace one' {
            $image = New-MvImage 'a cat'
            $null = $image | Save-MvImage

            $unique = Get-HostText { $image | Save-MvImage -WhatIf }
            $replacing = Get-HostText { $image | Save-MvImage -Force -WhatIf }

            $unique | Should -Match 'What if:.*"Save png image.*a-cat-1 \(2\)\.png'
            $replacing | Should -Match 'What if:.*"Replace the file with png image.*a-cat-1\.png'
            Get-ChildItem -Name | Should -Be 'a-cat-1.png'
        }

        It '-WhatIf shows two images of one name as the real run names them' {
            $images = 'a cat', 'a cat' | New-MvImage -ThrottleLimit 1

            $shown = Get-HostText { $images | Save-MvImage -WhatIf }
            $saved = $images | Save-MvImage

            $saved.Name | Should -Be @('a-cat-1.png', 'a-cat-1 (2).png')
            $shown | Should -Match 'What if:.*a-cat-1\.png"'
            $shown | Should -Match 'What if:.*a-cat-1 \(2\)\.png"'
        }

        It '-Path onto an existing file under -WhatIf gives FileExists, as the real run would' {
            Set-Content -LiteralPath 'cat.png' -Value 'keep me' -NoNewline

            $Error.Clear()

            $shown = Get-HostText { New-MvImage 'a cat' | Save-MvImage -Path ./cat.png -WhatIf -ErrorAction SilentlyContinue }

            $Error[0].FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
            $shown | Should -Not -Match 'What if:.*cat\.png'
            Get-Content -LiteralPath 'cat.png' -Raw | Should -Be 'keep me'
        }

        It '-Confirm:$false saves without asking' {
            $file = New-MvImage 'a cat' | Save-MvImage -Confirm:$false

            $file.Name | Should -Be 'a-cat-1.png'
            './a-cat-1.png' | Should -Exist
        }
    }

    Context 'an image without bytes' {
        It 'an image read back with Import-Clixml gives one NoImageBytes error and writes nothing' {
            New-MvImage 'a cat' | Export-Clixml -LiteralPath (Join-Path $TestDrive 'cat.xml')
            $null = New-Item -ItemType Directory -Path out

            $files = Import-Clixml -LiteralPath (Join-Path $TestDrive 'cat.xml') | Save-MvImage -Directory out -ErrorVariable saveErrors -ErrorAction SilentlyContinue

            $files | Should -BeNullOrEmpty
            $saveErrors | Should -HaveCount 1
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'NoImageBytes,*'
            "$($saveErrors[0])" | Should -Match 'not its image bytes|no image bytes'
            Get-ChildItem -LiteralPath out -Force | Should -BeNullOrEmpty
        }
    }
}
