#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Masks as users type them (issue 26): New-MvImageMask read back by Pillow (alpha 0 inside each region, 255 outside),
# and Edit-MvImage -MaskRegion over photos of different sizes, checked on what the stand-in received.
# Pillow (Debian: python3-pil) is needed for the tests that read masks with it; they are skipped, saying so, without it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule

    # The first python3 that has Pillow (a pyenv or venv python3 on PATH may not have the Debian package's).
    $python = @(Get-Command python3, python -CommandType Application -All -ErrorAction Ignore | ForEach-Object Source) + '/usr/bin/python3' |
        Select-Object -Unique |
        Where-Object { (Test-Path -LiteralPath $_) -and $(& $_ -c 'import PIL' 2>$null; $LASTEXITCODE -eq 0) } |
        Select-Object -First 1

    # What Pillow reads: the mode, the size and the alpha of the pixels named "x,y" after the file.
    $pillowScript = Join-Path $TestDrive 'pillow-alpha.py'
    Set-Content -LiteralPath $pillowScript -Encoding utf8 -Value @'
import json, sys
from PIL import Image
im = Image.open(sys.argv[1])
im.load()
points = [tuple(int(v) for v in p.split(',')) for p in sys.argv[2:]]
print(json.dumps({'mode': im.mode, 'width': im.size[0], 'height': im.size[1], 'alpha': [im.getpixel(p)[3] for p in points]}))
'@
    function Read-AlphaWithPillow {
        param([Parameter(Mandatory)] [string] $LiteralPath, [Parameter(Mandatory)] [string[]] $Point)
        $text = & $python $pillowScript $LiteralPath @Point 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Pillow could not read '$LiteralPath': $text" }
        $text | ConvertFrom-Json
    }

    function Skip-WithoutPillow {
        if (-not $python) { Set-ItResult -Skipped -Because 'no python3 with Pillow is installed (Debian: apt-get install python3-pil)' }
    }

    # The mask part of each edit the stand-in received, written to a file: its bytes and its PNG size.
    function Get-SentMask {
        param([Parameter(Mandatory)] [string] $Folder)
        $null = New-Item -ItemType Directory -Path $Folder -Force
        $n = 0
        foreach ($request in @(Get-ModelverseRecordedRequest $standIn | Where-Object Path -Like '*/images/edits')) {
            $part = @($request.Parts | Where-Object Name -EQ 'mask')
            $part | Should -HaveCount 1
            $part[0].Content | Should -Not -BeNullOrEmpty
            $file = Join-Path $Folder ('sent-{0}.png' -f ++$n)
            [System.IO.File]::WriteAllBytes($file, [Convert]::FromBase64String($part[0].Content))
            $size = Get-PngDimension -LiteralPath $file
            [pscustomobject]@{ Path = $file; Width = $size.Width; Height = $size.Height; Size = '{0}x{1}' -f $size.Width, $size.Height; ContentType = $part[0].ContentType }
        }
    }
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'New-MvImageMask, read back by Pillow' {
    BeforeEach {
        $work = Enter-TestFolder
    }

    AfterEach {
        Pop-Location
    }

    It '<Name>: alpha 0 inside each region, 255 outside' -ForEach @(
        @{ Name = 'rectangles in pixels'; Command = 'New-MvImageMask -Size 200x100 -Rectangle (10, 10, 20, 20), (150, 50, 30, 30)'
            Inside = '10,10', '29,29', '150,50', '179,79'; Outside = '9,10', '30,29', '29,30', '149,50', '180,79', '100,5' }
        @{ Name = 'an ellipse in pixels'; Command = 'New-MvImageMask -Size 200x100 -Ellipse 50, 20, 100, 60'
            Inside = '100,50', '51,50', '148,50', '100,21', '100,78'; Outside = '49,50', '151,50', '100,18', '100,81', '55,25', '145,75' }
        @{ Name = 'the top third in fractions'; Command = 'New-MvImageMask -Size 300x1080 -Rectangle 0, 0, 1, 0.333 -Fraction'
            Inside = '0,0', '299,0', '150,359'; Outside = '150,360', '0,1079', '299,700' }
        @{ Name = 'an ellipse in fractions'; Command = 'New-MvImageMask -Size 400x200 -Ellipse 0.25, 0.25, 0.5, 0.5 -Fraction'
            Inside = '200,100', '101,100', '298,100', '200,51'; Outside = '99,100', '301,100', '200,49', '110,55' }
        @{ Name = '-Invert'; Command = 'New-MvImageMask -Size 200x100 -Rectangle 0, 0, 0.5, 1 -Fraction -Invert'
            Inside = '100,0', '199,99'; Outside = '0,0', '99,99' }
        @{ Name = 'regions partly outside, clipped'; Command = 'New-MvImageMask -Size 100x100 -Rectangle -50, -50, 60, 60 -Ellipse 80, 80, 40, 40'
            Inside = '0,0', '9,9', '99,99'; Outside = '10,10', '50,50', '81,81' }
    ) {
        Skip-WithoutPillow
        $mask = Invoke-Expression $Command
        $file = $mask | Save-MvImage -Path (Join-Path $work 'mask.png')

        $read = Read-AlphaWithPillow -LiteralPath $file.FullName -Point ($Inside + $Outside)

        $read.mode | Should -Be 'RGBA'
        "$($read.width)x$($read.height)" | Should -Be $mask.Size
        $read.alpha[0..($Inside.Count - 1)] | Should -Be (@(0) * $Inside.Count) -Because "the pixels $($Inside -join ' ') are in a region"
        $read.alpha[$Inside.Count..($Inside.Count + $Outside.Count - 1)] | Should -Be (@(255) * $Outside.Count) -Because "the pixels $($Outside -join ' ') are not"
    }

    It 'takes the size of each photo piped from Get-ChildItem, and saves each mask after its photo' {
        $null = New-MvImage 'a beach' -Size 1536x1024 -OutputFormat jpeg | Save-MvImage -Path ./beach.jpg
        $null = New-MvImage 'a tower' -Size 1024x1536 | Save-MvImage -Path ./tower.png

        $files = Get-ChildItem ./beach.jpg, ./tower.png | New-MvImageMask -Rectangle 0, 0, 1, 0.333 -Fraction | Save-MvImage -Directory ./masks

        $files.Name | Sort-Object | Should -Be @('beach-mask.png', 'tower-mask.png')
        (Get-PngDimension -LiteralPath (Join-Path $work 'masks/beach-mask.png')).Width | Should -Be 1536
        (Get-PngDimension -LiteralPath (Join-Path $work 'masks/tower-mask.png')).Height | Should -Be 1536
    }

    It 'refuses a region wholly outside with InvalidMaskRegion, and writes nothing' {
        { New-MvImageMask -Size 100x100 -Ellipse 200, 0, 10, 10 -ErrorAction Stop | Save-MvImage -Path ./never.png } |
            Should -Throw -ErrorId 'InvalidMaskRegion,*'

        './never.png' | Should -Not -Exist
    }

    It 'runs every example of its help' {
        # What the examples name: a room, a portrait, a product and a folder of photos, made by the stand-in.
        $null = New-MvImage 'a room' -Size 1024x1024 | Save-MvImage -Path ./room.png
        $null = New-MvImage 'a portrait' -Size 1024x1536 -OutputFormat jpeg | Save-MvImage -Path ./portrait.jpg
        $null = New-MvImage 'a product' -Size 1024x1024 | Save-MvImage -Path ./product.png
        $null = New-Item -ItemType Directory -Path ./photos
        $null = New-MvImage 'a beach' -Size 1536x1024 -OutputFormat jpeg | Save-MvImage -Path ./photos/beach.jpg
        $null = New-MvImage 'a hill' -Size 2048x1152 -OutputFormat jpeg | Save-MvImage -Path ./photos/hill.jpg

        $examples = @((Get-Help New-MvImageMask -Examples).examples.example) + @((Get-Help Edit-MvImage -Examples).examples.example | Where-Object { $_.code -match 'New-MvImageMask|-MaskRegion' })
        $examples.Count | Should -BeGreaterOrEqual 8
        foreach ($example in $examples) {
            $ran = & { $ErrorActionPreference = 'Stop'; Invoke-Expression $example.code } 6>$null
            $ran | Should -Not -BeNullOrEmpty -Because "'$($example.code)' outputs what it made"
        }
        './room-mask.png' | Should -Exist
        './masks/product-mask.png' | Should -Exist
        './masks/beach-mask.png' | Should -Exist
        './out' | Should -Exist
    }
}

Describe 'Edit-MvImage -MaskRegion over photos of different sizes' {
    BeforeAll {
        $work = Enter-TestFolder
        # Three photos of three sizes.
        $null = New-Item -ItemType Directory -Path ./photos
        $sizes = @{ 'beach.jpg' = '1536x1024'; 'tower.jpg' = '1024x1536'; 'square.jpg' = '1024x1024' }
        foreach ($name in $sizes.Keys) {
            $null = New-MvImage "a photo $name" -Size $sizes[$name] -OutputFormat jpeg | Save-MvImage -Path (Join-Path ./photos $name)
        }
        $null = Get-ModelverseRecordedRequest $standIn

        $saved = Get-ChildItem ./photos/*.jpg | Edit-MvImage 'a stormy sky' -MaskRegion @{ Rectangle = 0, 0, 1, 0.333; Fraction = $true } | Save-MvImage -Directory ./out

        $sent = @(Get-SentMask -Folder (Join-Path $work 'sent'))
    }

    AfterAll {
        Pop-Location
    }

    It 'sends three edits, one per photo, and saves three results' {
        $sent | Should -HaveCount 3
        $saved.Name | Sort-Object | Should -Be @('beach-edit-1.png', 'square-edit-1.png', 'tower-edit-1.png')
    }

    It 'sends each photo with a PNG mask of its own size' {
        $sent.ContentType | Should -Be @('image/png', 'image/png', 'image/png')
        $sent.Size | Sort-Object | Should -Be ($sizes.Values | Sort-Object)
    }

    It 'makes the top third of each mask transparent and the rest opaque (read by Pillow)' {
        Skip-WithoutPillow
        foreach ($mask in $sent) {
            $lastInside = [int][math]::Ceiling(0.333 * $mask.Height - 0.5) - 1
            $points = @('0,0', "$($mask.Width - 1),$lastInside", "$($mask.Width / 2),$($lastInside + 1)", "$($mask.Width - 1),$($mask.Height - 1)")

            $read = Read-AlphaWithPillow -LiteralPath $mask.Path -Point $points

            $read.mode | Should -Be 'RGBA'
            $read.alpha | Should -Be @(0, 0, 255, 255) -Because "the top third of the $($mask.Size) mask may change"
        }
    }

    It 'sends the mask New-MvImageMask makes with the same regions splatted' {
        $regions = @{ Ellipse = 0.3, 0.2, 0.4, 0.4; Fraction = $true }
        $made = New-MvImageMask ./photos/beach.jpg @regions
        $null = Get-ModelverseRecordedRequest $standIn

        $null = Edit-MvImage 'a stormy sky' ./photos/beach.jpg -MaskRegion $regions

        $one = @(Get-SentMask -Folder (Join-Path $work 'splatted'))
        $one | Should -HaveCount 1
        Get-TestSha256 -LiteralPath $one[0].Path | Should -Be (Get-TestSha256 $made.Bytes)
    }

    It 'refuses -Mask with -MaskRegion, and sends nothing' {
        $before = Get-ModelverseStandInRequestNumber

        { Edit-MvImage 'x' ./photos/beach.jpg -Mask ./photos/beach.jpg -MaskRegion @{ Rectangle = 0, 0, 1, 1; Fraction = $true } } |
            Should -Throw -ErrorId 'InvalidMaskRegion,*'

        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }
}
