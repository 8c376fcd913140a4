#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Every saved image says it is AI-generated and how it was made (XMP, read by exiftool and Pillow), content
# credentials are left intact, and Import-MvImage reads the description back. Against the local API stand-in.
# exiftool (Debian: libimage-exiftool-perl) and Pillow (python3-pil) are needed; tests that use them are skipped,
# saying which is missing, when they are not installed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule

    $exiftool = Get-Command exiftool -CommandType Application -ErrorAction Ignore | Select-Object -First 1 -ExpandProperty Source
    # The first python3 that has Pillow (a pyenv or venv python3 on PATH may not have the Debian package's).
    $python = @(Get-Command python3, python -CommandType Application -All -ErrorAction Ignore | ForEach-Object Source) + '/usr/bin/python3' |
        Select-Object -Unique |
        Where-Object { (Test-Path -LiteralPath $_) -and $(& $_ -c 'import PIL' 2>$null; $LASTEXITCODE -eq 0) } |
        Select-Object -First 1
    $aiSource = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'

    # What Pillow sees: format, size, whether the pixels decode (a hash of them), and the XMP text it finds.
    $pillowScript = Join-Path $TestDrive 'pillow-read.py'
    Set-Content -LiteralPath $pillowScript -Encoding utf8 -Value @'
import hashlib, json, sys
from PIL import Image
im = Image.open(sys.argv[1])
xmp = im.info.get('xmp') or im.info.get('XML:com.adobe.xmp')
for segment, content in getattr(im, 'applist', []):
    if xmp is None and segment == 'APP1' and content.startswith(b'http://ns.adobe.com/xap/1.0/\x00'):
        xmp = content.split(b'\x00', 1)[1]
if isinstance(xmp, bytes):
    xmp = xmp.decode('utf-8')
pixels = None
if len(sys.argv) > 2:
    im.load()
    pixels = hashlib.sha256(im.tobytes()).hexdigest()
print(json.dumps({'format': im.format, 'width': im.size[0], 'height': im.size[1], 'xmp': xmp, 'pixels': pixels}))
'@
    function Read-WithPillow {
        param([Parameter(Mandatory)] [string] $LiteralPath, [switch] $Decode)
        $arguments = @($pillowScript, $LiteralPath)
        if ($Decode) { $arguments += 'decode' }
        $text = & $python @arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Pillow could not open '$LiteralPath': $text" }
        $text | ConvertFrom-Json
    }

    function Read-WithExiftool {
        param([Parameter(Mandatory)] [string] $LiteralPath)
        $text = & $exiftool -XMP:all -j $LiteralPath 2>&1
        if ($LASTEXITCODE -ne 0) { throw "exiftool failed on '$LiteralPath': $text" }
        @($text | ConvertFrom-Json)[0]
    }

    function Skip-Without {
        param([string[]] $Tool)
        if ('exiftool' -in $Tool -and -not $exiftool) { Set-ItResult -Skipped -Because 'exiftool is not installed (Debian: apt-get install libimage-exiftool-perl)' }
        if ('pillow' -in $Tool -and -not $python) { Set-ItResult -Skipped -Because 'no python3 with Pillow is installed (Debian: apt-get install python3-pil)' }
    }
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'Save-MvImage marks what it saves' {
    BeforeEach {
        $work = Enter-TestFolder
    }

    AfterEach {
        Pop-Location
    }

    It 'writes a PNG that Pillow opens and whose XMP says it is AI-generated and holds the prompt' {
        Skip-Without exiftool, pillow

        $file = New-MvImage 'a red kite' | Save-MvImage

        $pillow = Read-WithPillow -LiteralPath $file.FullName -Decode
        $pillow.format | Should -Be 'PNG'
        $pillow.width | Should -Be 1024
        $pillow.pixels | Should -Not -BeNullOrEmpty
        $pillow.xmp | Should -Match ([regex]::Escape($aiSource))
        $pillow.xmp | Should -Match 'a red kite'
        $exif = Read-WithExiftool -LiteralPath $file.FullName
        $exif.DigitalSourceType | Should -Be $aiSource
        $exif.Description | Should -Be 'a red kite'
        $exif.CreatorTool | Should -Match '^ModelverseImage \d+\.\d+\.\d+$'
        $exif.Model | Should -Be 'gpt-image-2'
        $exif.RequestId | Should -Match '^req_\d+$'
        $exif.RequestKey | Should -Match '^[0-9a-f]{32}$'
    }

    It 'writes the same into a JPEG (-OutputFormat jpeg)' {
        Skip-Without exiftool, pillow

        $file = New-MvImage 'a red kite' -OutputFormat jpeg | Save-MvImage

        $file.Extension | Should -Be '.jpg'
        $exif = Read-WithExiftool -LiteralPath $file.FullName
        $exif.DigitalSourceType | Should -Be $aiSource
        $exif.Description | Should -Be 'a red kite'
        # The stand-in's JPEG has the right header but no real scan data: Pillow opens it, without decoding.
        $pillow = Read-WithPillow -LiteralPath $file.FullName
        $pillow.format | Should -Be 'JPEG'
        $pillow.xmp | Should -Match ([regex]::Escape($aiSource))
    }

    It 'writes the same into a WebP (-OutputFormat webp)' {
        Skip-Without exiftool

        $file = New-MvImage 'a red kite' -OutputFormat webp | Save-MvImage

        $exif = Read-WithExiftool -LiteralPath $file.FullName
        $exif.DigitalSourceType | Should -Be $aiSource
        $exif.Description | Should -Be 'a red kite'
    }

    It 'keeps real <Kind> images decoding to the same pixels' -ForEach @(
        @{ Kind = 'PNG'; Extension = 'png'; Save = "format='PNG'" }
        @{ Kind = 'JPEG'; Extension = 'jpg'; Save = "format='JPEG', quality=85" }
        @{ Kind = 'lossy WebP'; Extension = 'webp'; Save = "format='WEBP', quality=80" }
        @{ Kind = 'lossless WebP'; Extension = 'webp'; Save = "format='WEBP', lossless=True" }
    ) {
        Skip-Without pillow, exiftool
        # A real image made by Pillow (the stand-in's JPEG and WebP do not decode), marked by Save-MvImage.
        $original = Join-Path $work "original.$Extension"
        & $python -c "from PIL import Image; Image.radial_gradient('L').convert('RGB').resize((96, 64)).save(r'$original', $Save)"
        $bytes = [System.IO.File]::ReadAllBytes($original)
        $image = [ModelverseImage.Output.MvImage]::new($bytes, 'unknown', 96, 64)

        $file = $image | Save-MvImage -Directory out

        $before = Read-WithPillow -LiteralPath $original -Decode
        $after = Read-WithPillow -LiteralPath $file.FullName -Decode
        $after.pixels | Should -Be $before.pixels
        $after.width | Should -Be 96
        $after.xmp | Should -Match ([regex]::Escape($aiSource))
        (Read-WithExiftool -LiteralPath $file.FullName).DigitalSourceType | Should -Be $aiSource
    }

    It 'saves an answer with content credentials (caBX) byte for byte as it came' {
        $signed = Start-ModelverseStandIn -ApiKey 'sk-signed' -ContentCredentials
        try {
            $image = New-MvImage 'a signed kite' -BaseUri $signed.BaseUri -ApiKey $signed.ApiKey

            $file = $image | Save-MvImage

            [System.Text.Encoding]::ASCII.GetString($image.Bytes, 0, 200) | Should -Match 'caBX'
            Get-TestSha256 -LiteralPath $file.FullName | Should -Be (Get-TestSha256 $image.Bytes)
        }
        finally {
            Stop-ModelverseStandIn $signed
        }
    }

    It 'saves the API''s bytes unchanged with -NoMetadata' {
        $image = New-MvImage 'a plain kite'

        $file = $image | Save-MvImage -NoMetadata

        Get-TestSha256 -LiteralPath $file.FullName | Should -Be (Get-TestSha256 $image.Bytes)
        (Import-MvImage -LiteralPath $file.FullName).Prompt | Should -BeNullOrEmpty
    }
}

Describe 'Import-MvImage' {
    BeforeEach {
        $work = Enter-TestFolder
    }

    AfterEach {
        Pop-Location
    }

    It 'gives back the prompt, model, size, request id, usage and bytes of a saved file' {
        $made = New-MvImage 'a lighthouse at dawn' -Size 1536x1024 -Quality low
        $file = $made | Save-MvImage

        $image = Import-MvImage $file.Name

        $image | Should -BeOfType ([ModelverseImage.Output.MvImage])
        $image.Prompt | Should -Be 'a lighthouse at dawn'
        $image.Model | Should -Be 'gpt-image-2'
        $image.Size | Should -Be '1536x1024'
        $image.Quality | Should -Be 'low'
        $image.RequestId | Should -Be $made.RequestId
        $image.Usage.TotalTokens | Should -Be $made.Usage.TotalTokens
        # The engine's type (loaded in the module's own load context, so compared by name).
        $image.Usage.GetType().FullName | Should -Be 'ModelverseImage.Api.TokenUsage'
        $image.Usage.GetType() | Should -Be $made.Usage.GetType()
        $image.Index | Should -Be 1
        $image.Path | Should -Be $file.FullName
        $image.Format | Should -Be 'png'
        $image.Width | Should -Be 1536
        Get-TestSha256 $image.Bytes | Should -Be (Get-TestSha256 -LiteralPath $file.FullName)
    }

    It 'imports files piped from Get-ChildItem, a file without our XMP with an empty description' {
        $null = New-MvImage 'a red kite' | Save-MvImage -Directory './renders [1]'
        [System.IO.File]::WriteAllBytes((Join-Path $work 'renders [1]/plain.png'), (New-TestPngBytes -Width 32 -Height 16))

        $images = Get-ChildItem -LiteralPath './renders [1]' | Import-MvImage | Sort-Object Path

        $images | Should -HaveCount 2
        $images[0].Prompt | Should -Be 'a red kite'
        $images[1].Prompt | Should -BeNullOrEmpty
        $images[1].Width | Should -Be 32
        $images[1].Height | Should -Be 16
        $images[1].Path | Should -Be (Join-Path $work 'renders [1]/plain.png')
    }

    It 'keeps the chain: an edit of an imported image records its source file and prompt' {
        $null = New-MvImage 'a red kite' | Save-MvImage -Directory renders

        $edited = Get-ChildItem ./renders | Import-MvImage | Edit-MvImage 'add snow' | Save-MvImage -Directory snowy -PassThru

        $edited.SourcePath | Should -Be (Join-Path $work 'renders/a-red-kite-1.png')
        $back = Import-MvImage -LiteralPath $edited.Path
        $back.Prompt | Should -Be 'add snow'
        $back.SourcePath | Should -Be 'a-red-kite-1.png'
        # The same edit of the same content again: already saved in ./snowy, not sent.
        Get-ChildItem ./renders | Import-MvImage | Edit-MvImage 'add snow' -Resume snowy 6>$null | Should -BeNullOrEmpty
    }

    It 'writes an error for a file that is not an image and goes on' {
        Set-Content -LiteralPath 'notes.png' -Value 'not an image'
        $null = New-MvImage 'a red kite' | Save-MvImage

        $images = Import-MvImage ./*.png -ErrorVariable problems -ErrorAction SilentlyContinue

        $images | Should -HaveCount 1
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'UnsupportedImageType,ModelverseImage.Commands.ImportMvImageCommand'
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}
