#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Issue #24 item 2: what Save-MvImage writes, Import-MvImage and -Resume read back; a file that cannot be marked is
# still saved, with one warning saying why; only regular files are read. The hostile files are built here.
# exiftool (Debian: libimage-exiftool-perl) is needed by two tests, which are skipped, saying so, without it.

BeforeDiscovery {
    $canMakeFifo = [bool](Get-Command mkfifo -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'BoundedPwsh.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
    $moduleManifest = Get-ModelverseManifestPath
    Import-ModelverseTestKit
    $exiftool = Get-Command exiftool -CommandType Application -ErrorAction Ignore | Select-Object -First 1 -ExpandProperty Source
    $aiSource = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'

    function Move-PngChunkAfterIdat {
        # The PNG with its first chunk of $Type moved, unchanged, to just after its last IDAT (spec-legal for iTXt).
        param([byte[]] $Bytes, [string] $Type)
        $chunks = [System.Collections.Generic.List[object]]::new()
        for ($pos = 8; $pos -lt $Bytes.Length; $pos += 12 + $length) {
            $length = ([int]$Bytes[$pos] -shl 24) -bor ([int]$Bytes[$pos + 1] -shl 16) -bor ([int]$Bytes[$pos + 2] -shl 8) -bor $Bytes[$pos + 3]
            $chunks.Add([pscustomobject]@{ Type = [System.Text.Encoding]::ASCII.GetString($Bytes, $pos + 4, 4); Start = $pos; Length = 12 + $length })
        }
        $moving = $chunks | Where-Object Type -EQ $Type | Select-Object -First 1
        $null = $chunks.Remove($moving)
        $lastIdat = $chunks.FindLastIndex({ param($c) $c.Type -eq 'IDAT' })
        $chunks.Insert($lastIdat + 1, $moving)
        $out = [System.IO.MemoryStream]::new()
        $out.Write($Bytes, 0, 8)
        foreach ($chunk in $chunks) { $out.Write($Bytes, $chunk.Start, $chunk.Length) }
        , $out.ToArray()
    }
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'A PNG whose XMP comes after its image data' {
    BeforeEach { $null = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'Import-MvImage gives its prompt, and New-MvImage -Resume does not send it again' {
        $file = New-MvImage 'kite' | Save-MvImage -Directory rb
        $moved = Move-PngChunkAfterIdat -Bytes ([System.IO.File]::ReadAllBytes($file.FullName)) -Type 'iTXt'
        [System.IO.File]::WriteAllBytes($file.FullName, $moved)

        (Import-MvImage -LiteralPath $file.FullName).Prompt | Should -Be 'kite'
        $null = Get-ModelverseRecordedRequest $standIn
        New-MvImage 'kite' -Resume rb 6>$null | Should -BeNullOrEmpty
        @(Get-ModelverseRecordedRequest $standIn) | Should -HaveCount 0
    }
}

Describe 'exiftool reads every marked file' {
    BeforeEach { $null = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'a JPEG whose model is 70,000 characters is saved, and exiftool reads it as AI-generated' {
        if (-not $exiftool) { Set-ItResult -Skipped -Because 'exiftool is not installed (Debian: apt-get install libimage-exiftool-perl)'; return }

        $null = New-MvImage 'm' -Model ('m' * 70000) -OutputFormat jpeg | Save-MvImage -Path x.jpg

        Test-Path -LiteralPath x.jpg | Should -BeTrue
        (& $exiftool -XMP:all -j x.jpg | ConvertFrom-Json).DigitalSourceType | Should -Be $aiSource
        (Import-MvImage x.jpg).Model | Should -Match '^m{1000,}…$'
    }

    It 'exiftool -j of a marked edit has one SourceFile, the file itself' {
        if (-not $exiftool) { Set-ItResult -Skipped -Because 'exiftool is not installed (Debian: apt-get install libimage-exiftool-perl)'; return }
        $null = New-MvImage 'a cat' | Save-MvImage -Path ./cat.png

        $null = Edit-MvImage 'add snow' ./cat.png | Save-MvImage -Path ./snowy.png

        $json = & $exiftool -j ./snowy.png | Out-String
        [regex]::Matches($json, '"SourceFile"').Count | Should -Be 1
        ($json | ConvertFrom-Json).SourceFile | Should -Be './snowy.png'
        (Import-MvImage ./snowy.png).SourcePath | Should -Be 'cat.png'
    }
}

Describe 'Save-MvImage with a file it cannot walk' {
    BeforeEach { $work = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'saves <name> byte for byte, with one warning saying it is unmarked and why' -ForEach @(
        @{ name = 'a PNG without IEND'; ext = 'png'; why = 'IEND'; make = { $p = New-TestPngBytes; , $p[0..($p.Length - 13)] } }
        @{ name = 'a JPEG cut before SOS'; ext = 'jpg'; why = 'SOS'; make = {
                $j = [ModelverseImage.TestKit.TestImages]::Jpeg(64, 48, 0xC0, 0, 100)
                $sos = (0..($j.Length - 2)).Where({ $j[$_] -eq 0xFF -and $j[$_ + 1] -eq 0xDA }, 'First')[0]
                , $j[0..($sos - 1)] } }
        @{ name = 'a JPEG segment length past the end'; ext = 'jpg'; why = 'past the end'; make = {
                $j = [ModelverseImage.TestKit.TestImages]::Jpeg(64, 48, 0xC0, 0, 100)
                $j[4] = 0xFF; $j[5] = 0xF0; , $j } }
        @{ name = 'a WebP with a wrong RIFF size'; ext = 'webp'; why = 'past the end'; make = {
                $w = [ModelverseImage.TestKit.TestImages]::WebpVp8(16, 16, 0)
                $w[5] = 0x10; , $w } }
        @{ name = 'a WebP whose VP8X chunk is empty'; ext = 'webp'; why = 'damaged'; make = { , [System.Text.Encoding]::ASCII.GetBytes("RIFF`f`0`0`0WEBPVP8X`0`0`0`0") } }
    ) {
        [byte[]] $bytes = & $make
        $image = [ModelverseImage.Output.MvImage]::new($bytes, 'unknown', 16, 16)

        $file = $image | Save-MvImage -Path "./x.$ext" -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -HaveCount 0
        $file | Should -HaveCount 1
        Get-TestSha256 -LiteralPath (Join-Path $work "x.$ext") | Should -Be (Get-TestSha256 $bytes)
        $warned | Should -HaveCount 1
        "$warned" | Should -Match 'unmarked'
        "$warned" | Should -Match $why
    }
}

Describe 'Import-MvImage and -Resume read only regular files, and no more than an image can be' {
    BeforeEach { $work = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'a named pipe, and a link to one, given to Import-MvImage are NotAFile, and nothing hangs' -Skip:(-not $canMakeFifo) {
        mkfifo ./pipe.png
        $null = New-Item -ItemType SymbolicLink -Path ./link.png -Target (Join-Path $work 'pipe.png')
        $script = @'
param($Manifest)
Import-Module $Manifest
$null = Import-MvImage -LiteralPath ./pipe.png, ./link.png -ErrorVariable failed -ErrorAction SilentlyContinue
$failed | ForEach-Object { "error $($_.FullyQualifiedErrorId)" }
'done'
'@
        $result = Invoke-BoundedPwsh -Script $script -TimeoutSec 60 -ArgumentList $moduleManifest

        $result.TimedOut | Should -BeFalse -Because $result.Output
        [regex]::Matches($result.Output, 'error NotAFile').Count | Should -Be 2 -Because $result.Output
        $result.Output | Should -Match 'done'
    }

    It 'a named pipe named x.png in the -Resume folder is passed over, and nothing hangs' -Skip:(-not $canMakeFifo) {
        $null = New-Item -ItemType Directory ./rb
        mkfifo ./rb/x.png
        $script = @'
param($Manifest, $BaseUri, $ApiKey)
Import-Module $Manifest
New-MvImage 'kite' -Resume ./rb -BaseUri $BaseUri -ApiKey $ApiKey | Save-MvImage -Directory ./rb | ForEach-Object { "saved $($_.Name)" }
'done'
'@
        $result = Invoke-BoundedPwsh -Script $script -TimeoutSec 60 -ArgumentList $moduleManifest, $standIn.BaseUri, $standIn.ApiKey

        $result.TimedOut | Should -BeFalse -Because $result.Output
        $result.Output | Should -Match 'saved kite-1\.png'
        $result.Output | Should -Match 'done'
    }

    It 'a 1.9 GB sparse file that begins like a PNG is ImageTooLarge, and is not read' {
        $stream = [System.IO.File]::Create((Join-Path $work 'big.png'))
        try {
            $png = New-TestPngBytes
            $stream.Write($png, 0, 33)
            $stream.SetLength(1.9GB)
        }
        finally { $stream.Dispose() }

        $images = Import-MvImage ./big.png -ErrorVariable failed -ErrorAction SilentlyContinue

        $images | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ImageTooLarge*'
    }
}
