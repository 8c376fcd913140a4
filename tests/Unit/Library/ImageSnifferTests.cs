using System.Text;
using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

public sealed class ImageSnifferTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mvi-sniff-" + Guid.NewGuid().ToString("N"));

    public ImageSnifferTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void AssertEverywhere(byte[] bytes, ImageHeader expected) => SnifferTestImages.AssertReadEverywhere(_dir, bytes, expected);

    // ---- PNG ----

    [Fact]
    public void RgbPngHasSizeAndNoAlpha()
    {
        var png = TestImages.Png(3, 2, colourType: 2);
        AssertEverywhere(png, new ImageHeader(ImageFormat.Png, 3, 2, false));
    }

    [Fact]
    public void RgbaPngHasAlpha()
    {
        var png = TestImages.Png(640, 480, colourType: 6);
        AssertEverywhere(png, new ImageHeader(ImageFormat.Png, 640, 480, true));
    }

    [Fact]
    public void GreyAlphaPngHasAlpha() =>
        AssertEverywhere(TestImages.Png(5, 7, colourType: 4), new ImageHeader(ImageFormat.Png, 5, 7, true));

    [Fact]
    public void PalettePngHasAlphaOnlyWithTrns()
    {
        var opaque = TestImages.Png(4, 4, colourType: 3);
        var transparent = TestImages.Png(4, 4, colourType: 3, transparency: true);
        AssertEverywhere(opaque, new ImageHeader(ImageFormat.Png, 4, 4, false));
        AssertEverywhere(transparent, new ImageHeader(ImageFormat.Png, 4, 4, true));
    }

    [Fact]
    public void TrnsAfterImageDataDoesNotCount()
    {
        var png = TestImages.Png(4, 4, colourType: 2, trnsAfterIdat: true);
        AssertEverywhere(png, new ImageHeader(ImageFormat.Png, 4, 4, false));
    }

    [Fact]
    public void LargePngSizesAreBigEndian()
    {
        var png = TestImages.PngHeaderOnly(70_000, 0x01020304, colourType: 2);
        Assert.Equal(new ImageHeader(ImageFormat.Png, 70_000, 0x01020304, false), ImageSniffer.Read(png));
    }

    [Fact]
    public void PngStreamReadStopsAtImageData()
    {
        var png = TestImages.Png(256, 256, colourType: 2, noise: true);
        Assert.True(png.Length > 100_000);
        foreach (bool seekable in new[] { true, false })
        {
            using var stream = new CountingStream(png, seekable);
            Assert.Equal(new ImageHeader(ImageFormat.Png, 256, 256, false), ImageSniffer.Read(stream));
            Assert.InRange(stream.BytesRead, 29, 200);
        }
    }

    // ---- JPEG ----

    [Fact]
    public void JpegSkipsA70KbExifSegmentBeforeSof0()
    {
        var jpeg = TestImages.Jpeg(1920, 1080, sof: 0xC0, app1Length: 70 * 1024, scanBytes: 50_000);
        var expected = new ImageHeader(ImageFormat.Jpeg, 1920, 1080, false);
        AssertEverywhere(jpeg, expected);

        // Seeking past the segment: only the marker headers are read.
        using (var seekable = new CountingStream(jpeg, seekable: true))
        {
            Assert.Equal(expected, ImageSniffer.Read(seekable));
            Assert.InRange(seekable.BytesRead, 1, 1024);
        }
        // Without seeking it must read past the segment, but never into the scan data.
        using (var forwardOnly = new CountingStream(jpeg, seekable: false))
        {
            Assert.Equal(expected, ImageSniffer.Read(forwardOnly));
            Assert.InRange(forwardOnly.BytesRead, 70 * 1024, 70 * 1024 + 1024);
        }
    }

    [Fact]
    public void ProgressiveJpegSof2IsRead()
    {
        var jpeg = TestImages.Jpeg(801, 599, sof: 0xC2, app1Length: 0, scanBytes: 100);
        AssertEverywhere(jpeg, new ImageHeader(ImageFormat.Jpeg, 801, 599, false));
    }

    [Theory]
    [InlineData(0xC1)]
    [InlineData(0xC3)]
    [InlineData(0xCF)]
    public void OtherFrameTypesAreRead(int sof) =>
        AssertEverywhere(TestImages.Jpeg(17, 33, (byte)sof, 0, 10), new ImageHeader(ImageFormat.Jpeg, 17, 33, false));

    [Fact]
    public void DhtAndDacSegmentsAreNotTakenForFrameHeaders()
    {
        // DHT (C4), JPG (C8) and DAC (CC) lie in the SOF range; their bytes would give 0x1111 x 0x2222 if misread.
        var jpeg = TestImages.Jpeg(64, 48, 0xC0, 0, 10, extraSegmentsBeforeSof: new byte[] { 0xC4, 0xC8, 0xCC });
        AssertEverywhere(jpeg, new ImageHeader(ImageFormat.Jpeg, 64, 48, false));
    }

    [Fact]
    public void JpegWithScanBeforeFrameHasNoSize()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xFF, 0xC0, 0x00, 0x11, 8, 0, 10, 0, 10 };
        AssertEverywhere(jpeg, new ImageHeader(ImageFormat.Jpeg, 0, 0, false));
    }

    [Fact]
    public void JpegFillBytesAndStandaloneMarkersAreSkipped()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xD0, 0xFF, 0x01, 0xFF, 0xC0, 0x00, 0x0B, 8, 0x01, 0x02, 0x03, 0x04, 1, 1, 0x11, 0 };
        AssertEverywhere(jpeg, new ImageHeader(ImageFormat.Jpeg, 0x0304, 0x0102, false));
    }

    // ---- WebP ----

    [Fact]
    public void LossyWebpMasksTheScaleBits()
    {
        var webp = TestImages.WebpVp8(1536, 1024, scaleBits: 3);
        AssertEverywhere(webp, new ImageHeader(ImageFormat.Webp, 1536, 1024, false));
    }

    [Theory]
    [InlineData(1000, 750, false)]
    [InlineData(1, 1, true)]
    [InlineData(16384, 16384, true)]
    public void LosslessWebpSizeAndAlphaHint(int width, int height, bool alpha) =>
        AssertEverywhere(TestImages.WebpVp8L(width, height, alpha), new ImageHeader(ImageFormat.Webp, width, height, alpha));

    [Theory]
    [InlineData(20_000, 3, 0x10, true)]
    [InlineData(1024, 1536, 0x08, false)] // EXIF flag only
    [InlineData(16_777_216, 1, 0x3E, true)]
    public void ExtendedWebpCanvasAndAlphaFlag(int width, int height, byte flags, bool alpha) =>
        AssertEverywhere(TestImages.WebpVp8X(width, height, flags), new ImageHeader(ImageFormat.Webp, width, height, alpha));

    [Fact]
    public void WebpWithUnknownFirstChunkIsWebpWithoutSize() =>
        AssertEverywhere(TestImages.Riff("WEBP", "ABCD", new byte[20]), new ImageHeader(ImageFormat.Webp, 0, 0, false));

    [Fact]
    public void LossyWebpWithoutStartCodeHasNoSize()
    {
        var webp = TestImages.WebpVp8(100, 100, 0);
        webp[23] = 0; // break 9D 01 2A
        AssertEverywhere(webp, new ImageHeader(ImageFormat.Webp, 0, 0, false));
    }

    // ---- not images ----

    [Fact]
    public void TextFileNamedPngIsUnknown()
    {
        string path = Path.Combine(_dir, "looks-like.png");
        File.WriteAllText(path, "This is not a PNG, just text that is long enough to be sniffed properly.\n");
        Assert.Equal(default, ImageSniffer.ReadFile(path));
        Assert.Equal(ImageFormat.Unknown, ImageSniffer.ReadFile(path).Format);
    }

    [Theory]
    [InlineData("GIF89a\x01\x00\x01\x00\x80\x00\x00")]
    [InlineData("RIFF\x10\x00\x00\x00WAVEfmt ")]
    [InlineData("\x89PNG\r\n\x1A")] // one byte short of the signature
    [InlineData("\xFF\xD8")]       // JPEG needs FF D8 FF
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("")]
    public void OtherDataIsUnknown(string latin1) =>
        AssertEverywhere(Encoding.Latin1.GetBytes(latin1), default);

    [Fact]
    public void PngSignatureAloneIsPngWithoutSize() =>
        AssertEverywhere(TestImages.Png(10, 10, 2).AsSpan(0, 8).ToArray(), new ImageHeader(ImageFormat.Png, 0, 0, false));

    [Fact]
    public void TruncatedHeadersGiveZeroSizeNeverAnException()
    {
        var samples = new (byte[] Bytes, ImageHeader Full)[]
        {
            (TestImages.Png(33, 44, 6), new ImageHeader(ImageFormat.Png, 33, 44, true)),
            (TestImages.Png(33, 44, 3, transparency: true), new ImageHeader(ImageFormat.Png, 33, 44, true)),
            (TestImages.Jpeg(55, 66, 0xC0, 300, 20), new ImageHeader(ImageFormat.Jpeg, 55, 66, false)),
            (TestImages.WebpVp8(77, 88, 0), new ImageHeader(ImageFormat.Webp, 77, 88, false)),
            (TestImages.WebpVp8L(77, 88, true), new ImageHeader(ImageFormat.Webp, 77, 88, true)),
            (TestImages.WebpVp8X(77, 88, 0x10), new ImageHeader(ImageFormat.Webp, 77, 88, true)),
        };
        foreach (var (bytes, full) in samples)
        {
            for (int length = 0; length <= bytes.Length; length++)
            {
                var prefix = bytes.AsSpan(0, length).ToArray();
                var fromSpan = ImageSniffer.Read(prefix);
                Assert.Equal(fromSpan, ImageSniffer.Read(new CountingStream(prefix, seekable: true)));
                Assert.Equal(fromSpan, ImageSniffer.Read(new CountingStream(prefix, seekable: false)));
                Assert.True(fromSpan.Format == ImageFormat.Unknown || fromSpan.Format == full.Format);
                if (fromSpan.Width != 0 || fromSpan.Height != 0)
                {
                    Assert.Equal(full.Width, fromSpan.Width);
                    Assert.Equal(full.Height, fromSpan.Height);
                }
                if (length == bytes.Length)
                {
                    Assert.Equal(full, fromSpan);
                }
            }
        }
        // A header cut inside the JPEG's first segment is a JPEG of unknown size.
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 0, 0, false), ImageSniffer.Read(TestImages.Jpeg(55, 66, 0xC0, 300, 20).AsSpan(0, 100)));
    }

    [Fact]
    public void DamagedHeadersNeverThrow()
    {
        var random = new Random(12345);
        var samples = new[]
        {
            TestImages.Png(9, 9, 3, transparency: true),
            TestImages.Jpeg(55, 66, 0xC2, 2000, 20),
            TestImages.WebpVp8(77, 88, 0),
            TestImages.WebpVp8L(77, 88, true),
            TestImages.WebpVp8X(77, 88, 0x10),
        };
        foreach (var sample in samples)
        {
            for (int round = 0; round < 300; round++)
            {
                var damaged = (byte[])sample.Clone();
                int flips = random.Next(1, 6);
                for (int i = 0; i < flips; i++)
                {
                    // Mostly in the header, where the parser looks.
                    int at = random.Next(3, Math.Min(damaged.Length, 64));
                    damaged[at] = random.Next(4) == 0 ? (byte)0xFF : (byte)random.Next(256);
                }
                var fromSpan = ImageSniffer.Read(damaged);
                Assert.Equal(fromSpan, ImageSniffer.Read(new CountingStream(damaged, seekable: true)));
                Assert.Equal(fromSpan, ImageSniffer.Read(new CountingStream(damaged, seekable: false)));
            }
        }
    }

    // ---- files and names ----

    [Fact]
    public void ReadFileWorksWhileAnotherReaderHasTheFileOpen()
    {
        string path = Path.Combine(_dir, "photo.jpeg.bin"); // the extension is irrelevant
        File.WriteAllBytes(path, TestImages.WebpVp8L(12, 34, false));
        using var other = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Assert.Equal(new ImageHeader(ImageFormat.Webp, 12, 34, false), ImageSniffer.ReadFile(path));
    }

    [Fact]
    public void ReadFileOfAMissingFileThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => ImageSniffer.ReadFile(Path.Combine(_dir, "missing.png")));

    [Theory]
    [InlineData(ImageFormat.Png, "image/png", ".png", "png")]
    [InlineData(ImageFormat.Jpeg, "image/jpeg", ".jpg", "jpeg")]
    [InlineData(ImageFormat.Webp, "image/webp", ".webp", "webp")]
    [InlineData(ImageFormat.Unknown, "application/octet-stream", ".bin", "unknown")]
    public void NamesOfFormats(ImageFormat format, string mime, string extension, string name)
    {
        Assert.Equal(mime, ImageSniffer.MimeType(format));
        Assert.Equal(extension, ImageSniffer.Extension(format));
        Assert.Equal(name, ImageSniffer.Name(format));
    }

    [Fact]
    public void APngOfMillionsOfEmptyChunksIsWalkedOnlyAsFarAsTheLimit()
    {
        var png = TestImages.Png(16, 16, 2);
        int ihdrEnd = 8 + 12 + 13;
        var crafted = new MemoryStream();
        crafted.Write(png, 0, ihdrEnd);
        var empty = new byte[] { 0, 0, 0, 0, (byte)'a', (byte)'b', (byte)'C', (byte)'d', 0, 0, 0, 0 };
        int chunks = ImageLayout.MaxSteps + 100_000; // 13.8 MB of zero-length chunks, more than any walk takes
        for (int i = 0; i < chunks; i++) crafted.Write(empty);
        crafted.Write(png, ihdrEnd, png.Length - ihdrEnd);
        var bytes = crafted.ToArray();

        var stream = new CountingStream(bytes, seekable: false);
        var header = ImageSniffer.Read(stream);
        Assert.Equal((ImageFormat.Png, 16, 16), (header.Format, header.Width, header.Height));
        Assert.True(stream.BytesRead <= ihdrEnd + 12L * ImageLayout.MaxSteps + 64, $"read {stream.BytesRead} bytes of {bytes.Length}");
        Assert.Equal(ImageFormat.Png, ImageSniffer.Read(bytes).Format);
        Assert.Equal(ImageFault.TooLong, ImageSniffer.Walk(bytes, WalkGoal.Whole).Fault);
    }

    [Fact]
    public void AJpegOfEndlessFillBytesIsWalkedOnlyAsFarAsTheLimit()
    {
        var bytes = new byte[8 * 1024 * 1024];
        bytes.AsSpan().Fill(0xFF);
        bytes[1] = 0xD8;
        var stream = new CountingStream(bytes, seekable: false);
        var header = ImageSniffer.Read(stream);
        Assert.Equal(ImageFormat.Jpeg, header.Format);
        Assert.Equal(0, header.Width);
        Assert.True(stream.BytesRead <= ImageLayout.MaxSteps + 64, $"read {stream.BytesRead} bytes of {bytes.Length}");
        Assert.Equal(0, ImageSniffer.Read(bytes).Width);
    }
}
