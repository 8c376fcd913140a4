#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# MvImage objects in the pipelines users write: Import-Csv in, New | Edit | Save chains, Sort/Group/Measure,
# the views (Format-Table/List/Wide), ConvertTo-Json and Export-Clixml. Against the local API stand-in (tests/FakeApi).
# Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule

    # A run of 16 or more numbers separated by commas or spaces: image bytes written out.
    $numberRun = '\d+([\s,]+\d+){15,}'

    # Renders with up to 64 items of any collection written out (not -1: a view that did show 1 MB of bytes in
    # full would take minutes), so a byte array in a view could not hide behind "…".
    function Out-FullString {
        param([Parameter(ValueFromPipeline)] $InputObject)
        begin { $items = [System.Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end {
            $saved = $global:FormatEnumerationLimit
            $global:FormatEnumerationLimit = 64
            try { $items | Out-String -Width 300 } finally { $global:FormatEnumerationLimit = $saved }
        }
    }
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'Prompts from Import-Csv' {
    BeforeAll {
        $csv = Join-Path $TestDrive 'prompts.csv'
        @(
            'Prompt,Size,Quality,Count'
            'a red apple,,,'
            'a green pear,1536x1024,,2'
            '"a blue car, parked",,high,'
        ) | Set-Content -LiteralPath $csv -Encoding utf8
    }

    It 'treats blank cells as not set: nothing is sent for them' {
        $null = Get-ModelverseRecordedRequest $standIn

        $images = Import-Csv $csv | New-MvImage -BaseUri $standIn.BaseUri

        $images | Should -HaveCount 4
        $sent = @(Get-ModelverseRecordedRequest $standIn)
        $apple = @($sent | Where-Object { $_.Json.prompt -eq 'a red apple' })
        $apple | Should -HaveCount 1
        @($apple[0].Json.PSObject.Properties.Name) | Sort-Object | Should -Be @('model', 'prompt')
        $pear = @($sent | Where-Object { $_.Json.prompt -eq 'a green pear' })
        $pear[0].Json.size | Should -Be '1536x1024'
        $pear[0].Json.PSObject.Properties.Name | Should -Not -Contain 'quality'
        $car = @($sent | Where-Object { $_.Json.prompt -eq 'a blue car, parked' })
        $car[0].Json.quality | Should -Be 'high'
        $car[0].Json.PSObject.Properties.Name | Should -Not -Contain 'size'
    }

    It 'Import-Csv | New-MvImage -ThrottleLimit 2 | Save-MvImage -Directory renders saves every row''s images' {
        $files = Import-Csv $csv | New-MvImage -ThrottleLimit 2 | Save-MvImage -Directory (Join-Path $TestDrive 'renders')

        $files.Name | Sort-Object | Should -Be @('a-blue-car-parked-1.png', 'a-green-pear-1.png', 'a-green-pear-2.png', 'a-red-apple-1.png')
        Get-ChildItem -LiteralPath (Join-Path $TestDrive 'renders') -File | Should -HaveCount 4
    }
}

Describe 'Chains' {
    BeforeEach {
        $work = Enter-TestFolder
    }

    AfterEach {
        Pop-Location
    }

    It 'New-MvImage | Edit-MvImage | Save-MvImage saves the edit under the edit''s prompt' {
        $file = New-MvImage 'a house' | Edit-MvImage 'add snow' | Save-MvImage

        $file.Name | Should -Be 'add-snow-1.png'
        Get-ChildItem -Name | Should -Be 'add-snow-1.png'
    }

    It 'Save-MvImage -PassThru | Edit-MvImage | Save-MvImage names the edit after the saved file: a-house-1-edit-1.png' {
        $saved = New-MvImage 'a house' | Save-MvImage -PassThru
        $file = $saved | Edit-MvImage 'add snow' | Save-MvImage

        $saved.Path | Should -Be (Join-Path $work 'a-house-1.png')
        $file.Name | Should -Be 'a-house-1-edit-1.png'
        Get-ChildItem -Name | Sort-Object | Should -Be @('a-house-1-edit-1.png', 'a-house-1.png')
    }

    It 'the edit of a saved image has the saved file as its SourcePath' {
        $edit = New-MvImage 'a house' | Save-MvImage -PassThru | Edit-MvImage 'add snow'

        $edit.SourcePath | Should -Be (Join-Path $work 'a-house-1.png')
    }

    It '$img.Bytes written with [IO.File]::WriteAllBytes is a valid PNG of the image''s size' {
        $img = New-MvImage 'a red kite' -Size 1024x1536
        $path = Join-Path $work 'kite.png'

        [System.IO.File]::WriteAllBytes($path, $img.Bytes)

        $img.Bytes.GetType() | Should -Be ([byte[]])
        $dimension = Get-PngDimension $path
        $dimension.Width | Should -Be 1024
        $dimension.Height | Should -Be 1536
        (Get-Item $path).Length | Should -Be $img.Length
    }
}

Describe 'Sorting, grouping and measuring images' {
    BeforeAll {
        $images = @(
            New-MvImage 'a tall tower' -Size 1024x1536
            New-MvImage 'a wide field' -Size 1536x1024 -Count 2
            New-MvImage 'a square' -Size 1024x1024
        )
    }

    It 'Sort-Object Width, Prompt puts the narrow ones first' {
        $sorted = $images | Sort-Object Width, Prompt

        $sorted.Prompt | Should -Be @('a square', 'a tall tower', 'a wide field', 'a wide field')
    }

    It 'Group-Object Size counts the images of each size' {
        $groups = $images | Group-Object Size | Sort-Object Name

        $groups.Name | Should -Be @('1024x1024', '1024x1536', '1536x1024')
        $groups | ForEach-Object Count | Should -Be @(1, 1, 2)
    }

    It 'Measure-Object -Property { $_.Usage.TotalTokens } -Sum adds up the tokens paid for' {
        $expected = 0
        foreach ($image in $images) { $expected += $image.Usage.TotalTokens }

        $measure = $images | Measure-Object -Property { $_.Usage.TotalTokens } -Sum

        $measure.Count | Should -Be 4
        $measure.Sum | Should -Be $expected
        $measure.Sum | Should -BeGreaterThan 0
    }

    It 'Where-Object { $_.Height -gt $_.Width } finds the portrait image' {
        $portrait = $images | Where-Object { $_.Height -gt $_.Width }

        $portrait | Should -HaveCount 1
        $portrait.Prompt | Should -Be 'a tall tower'
    }
}

Describe 'Views of an image' {
    BeforeAll {
        $img = New-MvImage 'a red kite' -Size 1536x1024 -Quality low
    }

    It 'Format-Table | Out-String shows Prompt and the size, and no byte numbers' {
        $text = $img | Format-Table | Out-FullString

        $text | Should -Match '\bPrompt\b'
        $text | Should -Match 'a red kite'
        $text | Should -Match '1536'
        $text | Should -Not -Match $numberRun
    }

    It 'Format-List shows the prompt and the size, and no byte numbers' {
        $text = $img | Format-List | Out-FullString

        $text | Should -Match 'Prompt\s*:\s*a red kite'
        $text | Should -Not -Match $numberRun
    }

    It 'Format-List * does not dump the bytes' {
        $text = $img | Format-List * | Out-FullString

        $text | Should -Match 'a red kite'
        $text | Should -Not -Match $numberRun
        $text.Length | Should -BeLessThan 10000
    }

    It 'Select-Object * does not dump the bytes' {
        $text = $img | Select-Object * | Out-FullString

        $text | Should -Match 'a red kite'
        $text | Should -Not -Match $numberRun
        $text.Length | Should -BeLessThan 10000
    }

    It 'Format-Wide | Out-String prints a short line about the image' {
        $text = ($img | Format-Wide | Out-String).Trim()

        $text | Should -Not -BeNullOrEmpty
        $text | Should -Match 'a red kite|png'
        $text | Should -Not -Match $numberRun
    }

    It 'Format-Table of several images gives one row each' {
        $text = New-MvImage 'a red kite' -Count 3 | Format-Table | Out-FullString

        @($text -split '\r?\n' | Where-Object { $_ -match 'a red kite' }) | Should -HaveCount 3
    }

    It 'Format-Table shows the saved file''s name, however deep its folder' {
        $deep = Join-Path $TestDrive 'a/rather/long/folder/name/for/the/renders/of/this/week'

        $text = New-MvImage 'a red kite' | Save-MvImage -Directory $deep -PassThru | Format-Table | Out-String -Width 120

        $text | Should -Match 'a-red-kite-1\.png'
    }
}

Describe 'An image as text: ConvertTo-Json and Export-Clixml' {
    BeforeAll {
        $img = New-MvImage 'a red kite' -Size 1024x1024 -Quality low
    }

    It 'ConvertTo-Json carries Prompt, Format, Width, Height and Usage' {
        $json = $img | ConvertTo-Json -WarningAction SilentlyContinue
        $back = $json | ConvertFrom-Json

        $back.Prompt | Should -Be 'a red kite'
        $back.Format | Should -Be 'png'
        $back.Width | Should -Be 1024
        $back.Height | Should -Be 1024
        $back.Usage.TotalTokens | Should -Be $img.Usage.TotalTokens
    }

    It 'ConvertTo-Json leaves the bytes out: no Bytes property, under 10 KB' {
        $json = $img | ConvertTo-Json -WarningAction SilentlyContinue

        ($json | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'Bytes'
        $json.Length | Should -BeLessThan 10KB
    }

    It 'ConvertTo-Json of a -Count 3 batch is small too' {
        $json = New-MvImage 'a red kite' -Count 3 | ConvertTo-Json -WarningAction SilentlyContinue

        @($json | ConvertFrom-Json) | Should -HaveCount 3
        $json.Length | Should -BeLessThan 30KB
    }

    It 'still gives the bytes as $img.Bytes after ConvertTo-Json' {
        $null = $img | ConvertTo-Json -WarningAction SilentlyContinue

        [System.BitConverter]::ToString($img.Bytes, 0, 8) | Should -Be $pngSignature
        $img.Bytes.Length | Should -Be $img.Length
    }

    It 'Export-Clixml | Import-Clixml keeps Prompt and Format and leaves the bytes out' {
        $xml = Join-Path $TestDrive 'kite.xml'

        $img | Export-Clixml -LiteralPath $xml
        $back = Import-Clixml -LiteralPath $xml

        $back.Prompt | Should -Be 'a red kite'
        $back.Format | Should -Be 'png'
        $back.Bytes | Should -BeNullOrEmpty
        (Get-Item -LiteralPath $xml).Length | Should -BeLessThan 20KB
    }
}
