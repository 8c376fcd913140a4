using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ModelverseImage.Imaging;
using Xunit;

namespace ModelverseImage.Tests.Library;

public sealed class ImageSnifferTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mvi-sniff-" + Guid.NewGuid().ToString("N"));

    public ImageSnifferTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---- PNG ----

    [Fact]
    public void RgbPngHasSizeAndNoAlpha()
    {
        var png = SnifferTestImages.Png(3, 2, colourType: 2);
        AssertEverywhere(png, new ImageHeader(ImageFormat.Png, 3, 2, false));
    }

    [Fact]
    public void RgbaPngHasAlpha()
    {
        var png = SnifferTestImages.Png(640, 480, colourType: 6);
        AssertEverywhere(png, new ImageHeader(ImageFormat.Png, 640, 480, true));
    }

    [Fact]
    public void GreyAlphaPngHasAlpha() =>
        AssertEverywhere(SnifferTestImages.Png(5, 7, colourType: 4), new ImageHeader(ImageFormat.Png, 5, 7, true));

    [Fact]
    public void PalettePngHasAlphaOnlyWithTrns()
    {
        var opaque = SnifferTestImages.Png(4, 4, colourType: 3);
        var transparent = SnifferTestImages.Png(4, 4, colourType: 3, transparency: true);
        AssertEverywhere(opaque, new ImageHeader(ImageFormat.Png, 4, 4, false));
        AssertEverywhere(transparent, new ImageHeader(ImageFormat.Png, 4, 4, true));
    }

    [Fact]
    public void TrnsAfterImageDataDoesNotCount()
    {
        var png = SnifferTestImages.Png(4, 4, colourType: 2, trnsAfterIdat: true);
        AssertEverywhere(png, new ImageHeader(ImageFormat.Png, 4, 4, false));
    }

    [Fact]
    public void LargePngSizesAreBigEndian()
    {
        var png = SnifferTestImages.PngHeaderOnly(70_000, 0x01020304, colourType: 2);
        Assert.Equal(new ImageHeader(ImageFormat.Png, 70_000, 0x01020304, false), ImageSniffer.Read(png));
    }

    [Fact]
    public void TestPngIsAValidZlibImage()
    {
        // The encoder used by these tests really produces decodable data: one filter byte plus 3 bytes per pixel a row.
        var png = SnifferTestImages.Png(3, 2, colourType: 2);
        var idat = TestPng.Chunks(png).Single(c => c.Type == "IDAT").Data;
        using var z = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        Assert.Equal(2 * (1 + 3 * 3), raw.Length);
        Assert.All(TestPng.Chunks(png), c => Assert.Equal(Crc32.Compute(Encoding.ASCII.GetBytes(c.Type).Concat(c.Data).ToArray()), c.Crc));
    }

    [Fact]
    public void PngStreamReadStopsAtImageData()
    {
        var png = SnifferTestImages.Png(256, 256, colourType: 2, noise: true);
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
        var jpeg = SnifferTestImages.Jpeg(1920, 1080, sof: 0xC0, app1Length: 70 * 1024, scanBytes: 50_000);
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
        var jpeg = SnifferTestImages.Jpeg(801, 599, sof: 0xC2, app1Length: 0, scanBytes: 100);
        AssertEverywhere(jpeg, new ImageHeader(ImageFormat.Jpeg, 801, 599, false));
    }

    [Theory]
    [InlineData(0xC1)]
    [InlineData(0xC3)]
    [InlineData(0xCF)]
    public void OtherFrameTypesAreRead(int sof) =>
        AssertEverywhere(SnifferTestImages.Jpeg(17, 33, (byte)sof, 0, 10), new ImageHeader(ImageFormat.Jpeg, 17, 33, false));

    [Fact]
    public void DhtAndDacSegmentsAreNotTakenForFrameHeaders()
    {
        // DHT (C4), JPG (C8) and DAC (CC) lie in the SOF range; their bytes would give 0x1111 x 0x2222 if misread.
        var jpeg = SnifferTestImages.Jpeg(64, 48, 0xC0, 0, 10, extraSegmentsBeforeSof: new byte[] { 0xC4, 0xC8, 0xCC });
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
        var webp = SnifferTestImages.WebpVp8(1536, 1024, scaleBits: 3);
        AssertEverywhere(webp, new ImageHeader(ImageFormat.Webp, 1536, 1024, false));
    }

    [Theory]
    [InlineData(1000, 750, false)]
    [InlineData(1, 1, true)]
    [InlineData(16384, 16384, true)]
    public void LosslessWebpSizeAndAlphaHint(int width, int height, bool alpha) =>
        AssertEverywhere(SnifferTestImages.WebpVp8L(width, height, alpha), new ImageHeader(ImageFormat.Webp, width, height, alpha));

    [Theory]
    [InlineData(20_000, 3, 0x10, true)]
    [InlineData(1024, 1536, 0x08, false)] // EXIF flag only
    [InlineData(16_777_216, 1, 0x3E, true)]
    public void ExtendedWebpCanvasAndAlphaFlag(int width, int height, byte flags, bool alpha) =>
        AssertEverywhere(SnifferTestImages.WebpVp8X(width, height, flags), new ImageHeader(ImageFormat.Webp, width, height, alpha));

    [Fact]
    public void WebpWithUnknownFirstChunkIsWebpWithoutSize() =>
        AssertEverywhere(SnifferTestImages.Riff("WEBP", "ABCD", new byte[20]), new ImageHeader(ImageFormat.Webp, 0, 0, false));

    [Fact]
    public void LossyWebpWithoutStartCodeHasNoSize()
    {
        var webp = SnifferTestImages.WebpVp8(100, 100, 0);
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
        AssertEverywhere(SnifferTestImages.Png(10, 10, 2).AsSpan(0, 8).ToArray(), new ImageHeader(ImageFormat.Png, 0, 0, false));

    [Fact]
    public void TruncatedHeadersGiveZeroSizeNeverAnException()
    {
        var samples = new (byte[] Bytes, ImageHeader Full)[]
        {
            (SnifferTestImages.Png(33, 44, 6), new ImageHeader(ImageFormat.Png, 33, 44, true)),
            (SnifferTestImages.Png(33, 44, 3, transparency: true), new ImageHeader(ImageFormat.Png, 33, 44, true)),
            (SnifferTestImages.Jpeg(55, 66, 0xC0, 300, 20), new ImageHeader(ImageFormat.Jpeg, 55, 66, false)),
            (SnifferTestImages.WebpVp8(77, 88, 0), new ImageHeader(ImageFormat.Webp, 77, 88, false)),
            (SnifferTestImages.WebpVp8L(77, 88, true), new ImageHeader(ImageFormat.Webp, 77, 88, true)),
            (SnifferTestImages.WebpVp8X(77, 88, 0x10), new ImageHeader(ImageFormat.Webp, 77, 88, true)),
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
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 0, 0, false), ImageSniffer.Read(SnifferTestImages.Jpeg(55, 66, 0xC0, 300, 20).AsSpan(0, 100)));
    }

    [Fact]
    public void DamagedHeadersNeverThrow()
    {
        var random = new Random(12345);
        var samples = new[]
        {
            SnifferTestImages.Png(9, 9, 3, transparency: true),
            SnifferTestImages.Jpeg(55, 66, 0xC2, 2000, 20),
            SnifferTestImages.WebpVp8(77, 88, 0),
            SnifferTestImages.WebpVp8L(77, 88, true),
            SnifferTestImages.WebpVp8X(77, 88, 0x10),
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
        File.WriteAllBytes(path, SnifferTestImages.WebpVp8L(12, 34, false));
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

    private void AssertEverywhere(byte[] bytes, ImageHeader expected)
    {
        Assert.Equal(expected, ImageSniffer.Read(bytes));
        Assert.Equal(expected, ImageSniffer.Read(new CountingStream(bytes, seekable: true)));
        Assert.Equal(expected, ImageSniffer.Read(new CountingStream(bytes, seekable: false)));
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".dat");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(expected, ImageSniffer.ReadFile(path));
    }

    /// <summary>A read-only stream over bytes that counts what was read and can refuse to seek.</summary>
    private sealed class CountingStream : Stream
    {
        private readonly MemoryStream _inner;
        private readonly bool _seekable;

        public CountingStream(byte[] bytes, bool seekable)
        {
            _inner = new MemoryStream(bytes, writable: false);
            _seekable = seekable;
        }

        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => _seekable;
        public override bool CanWrite => false;
        public override long Length => _seekable ? _inner.Length : throw new NotSupportedException();

        public override long Position
        {
            get => _seekable ? _inner.Position : throw new NotSupportedException();
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Hand out at most 7 bytes at a time, as a slow network stream might.
            int read = _inner.Read(buffer, offset, Math.Min(count, 7));
            BytesRead += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            _seekable ? _inner.Seek(offset, origin) : throw new NotSupportedException();

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void APngOfMillionsOfEmptyChunksIsWalkedOnlyAsFarAsTheLimit()
    {
        var png = SnifferTestImages.Png(16, 16, 2);
        int ihdrEnd = 8 + 12 + 13;
        var crafted = new MemoryStream();
        crafted.Write(png, 0, ihdrEnd);
        var empty = new byte[] { 0, 0, 0, 0, (byte)'a', (byte)'b', (byte)'C', (byte)'d', 0, 0, 0, 0 };
        for (int i = 0; i < 1_000_000; i++) crafted.Write(empty);   // 12 MB of zero-length chunks
        crafted.Write(png, ihdrEnd, png.Length - ihdrEnd);
        var bytes = crafted.ToArray();

        var stream = new CountingStream(bytes, seekable: false);
        var header = ImageSniffer.Read(stream);
        Assert.Equal((ImageFormat.Png, 16, 16), (header.Format, header.Width, header.Height));
        Assert.True(stream.BytesRead < 256 * 1024, $"read {stream.BytesRead} bytes of {bytes.Length}");
        Assert.Equal(ImageFormat.Png, ImageSniffer.Read(bytes).Format);
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
        Assert.True(stream.BytesRead < 256 * 1024, $"read {stream.BytesRead} bytes of {bytes.Length}");
        Assert.Equal(0, ImageSniffer.Read(bytes).Width);
    }
}

/// <summary>Builds small but well-formed test images byte by byte.</summary>
internal static class SnifferTestImages
{
    public static byte[] Png(int width, int height, byte colourType, bool transparency = false, bool trnsAfterIdat = false, bool noise = false)
    {
        int channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colourType)) };
        using var png = new MemoryStream();
        png.Write(TestPng.Signature);
        TestPng.WriteChunk(png, "IHDR", TestPng.Header(width, height, colourType));
        TestPng.WriteChunk(png, "tEXt", Encoding.Latin1.GetBytes("Comment\0made by a test"));
        if (colourType == 3)
        {
            TestPng.WriteChunk(png, "PLTE", new byte[] { 0, 0, 0, 255, 255, 255 });
            if (transparency)
            {
                TestPng.WriteChunk(png, "tRNS", new byte[] { 0 });
            }
        }

        var random = new Random(width * 31 + height);
        using var raw = new MemoryStream();
        var row = new byte[1 + width * channels];
        for (int y = 0; y < height; y++)
        {
            if (noise)
            {
                random.NextBytes(row);
            }
            row[0] = 0; // filter: none
            if (colourType == 3)
            {
                for (int i = 1; i < row.Length; i++)
                {
                    row[i] &= 1;
                }
            }
            raw.Write(row);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }
        TestPng.WriteChunk(png, "IDAT", compressed.ToArray());
        if (trnsAfterIdat)
        {
            TestPng.WriteChunk(png, "tRNS", new byte[] { 0, 1, 0, 2, 0, 3 });
        }
        TestPng.WriteChunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    public static byte[] PngHeaderOnly(int width, int height, byte colourType)
    {
        using var png = new MemoryStream();
        png.Write(TestPng.Signature);
        TestPng.WriteChunk(png, "IHDR", TestPng.Header(width, height, colourType));
        return png.ToArray();
    }

    /// <summary>SOI, APP0 (JFIF), an optional APP1 of the given total length, DQT, the frame header, DHT, SOS, scan data, EOI.</summary>
    public static byte[] Jpeg(int width, int height, byte sof, int app1Length, int scanBytes, byte[]? extraSegmentsBeforeSof = null)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write(new byte[] { 0xFF, 0xD8 });
        Segment(jpeg, 0xE0, Encoding.ASCII.GetBytes("JFIF\0").Concat(new byte[] { 1, 1, 0, 0, 1, 0, 1, 0, 0 }).ToArray());
        if (app1Length > 0)
        {
            var exif = new byte[app1Length - 2];
            Encoding.ASCII.GetBytes("Exif\0\0").CopyTo(exif, 0);
            for (int i = 6; i < exif.Length; i++)
            {
                exif[i] = (byte)(i % 7 == 0 ? 0xFF : i % 7 == 1 ? 0xC0 : i); // marker-like bytes inside must be skipped
            }
            // Several APP1 segments if one cannot hold it all (a segment holds at most 65,533 bytes).
            for (int offset = 0; offset < exif.Length; offset += 65_533)
            {
                Segment(jpeg, 0xE1, exif.AsSpan(offset, Math.Min(65_533, exif.Length - offset)).ToArray());
            }
        }
        Segment(jpeg, 0xDB, new byte[65]);
        foreach (byte marker in extraSegmentsBeforeSof ?? Array.Empty<byte>())
        {
            Segment(jpeg, marker, new byte[] { 8, 0x11, 0x11, 0x22, 0x22, 3 });
        }
        var frame = new byte[] { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0 };
        Segment(jpeg, sof, frame);
        Segment(jpeg, 0xC4, new byte[] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        Segment(jpeg, 0xDA, new byte[] { 1, 1, 0, 0, 63, 0 });
        var random = new Random(scanBytes);
        var scan = new byte[scanBytes];
        random.NextBytes(scan);
        for (int i = 0; i < scan.Length; i++)
        {
            if (scan[i] == 0xFF)
            {
                scan[i] = 0xFE;
            }
        }
        jpeg.Write(scan);
        jpeg.Write(new byte[] { 0xFF, 0xD9 });
        return jpeg.ToArray();
    }

    private static void Segment(Stream jpeg, byte marker, byte[] data)
    {
        int length = data.Length + 2;
        jpeg.Write(new byte[] { 0xFF, marker, (byte)(length >> 8), (byte)length });
        jpeg.Write(data);
    }

    public static byte[] WebpVp8(int width, int height, int scaleBits)
    {
        var data = new byte[10 + 20];
        data[0] = 0x10; // frame tag: key frame, version 0, shown
        data[1] = 0x02;
        data[2] = 0x00;
        data[3] = 0x9D;
        data[4] = 0x01;
        data[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), (ushort)(width | (scaleBits << 14)));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), (ushort)(height | (scaleBits << 14)));
        return Riff("WEBP", "VP8 ", data);
    }

    public static byte[] WebpVp8L(int width, int height, bool alpha)
    {
        var data = new byte[5 + 10];
        data[0] = 0x2F;
        uint bits = (uint)(width - 1) | ((uint)(height - 1) << 14) | (alpha ? 1u << 28 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(1), bits);
        return Riff("WEBP", "VP8L", data);
    }

    public static byte[] WebpVp8X(int width, int height, byte flags)
    {
        var data = new byte[10];
        data[0] = flags;
        WriteUInt24(data.AsSpan(4), width - 1);
        WriteUInt24(data.AsSpan(7), height - 1);
        // An extended file goes on with more chunks, e.g. ALPH and VP8.
        var rest = Riff("WEBP", "ALPH", new byte[8]).AsSpan(12).ToArray();
        return Riff("WEBP", "VP8X", data.Concat(rest).ToArray(), firstChunkLength: data.Length);
    }

    public static byte[] Riff(string form, string fourCC, byte[] data, int? firstChunkLength = null)
    {
        using var riff = new MemoryStream();
        var header = new byte[20];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 12 + data.Length);
        Encoding.ASCII.GetBytes(form).CopyTo(header, 8);
        Encoding.ASCII.GetBytes(fourCC).CopyTo(header, 12);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), firstChunkLength ?? data.Length);
        riff.Write(header);
        riff.Write(data);
        return riff.ToArray();
    }

    private static void WriteUInt24(Span<byte> span, int value)
    {
        span[0] = (byte)value;
        span[1] = (byte)(value >> 8);
        span[2] = (byte)(value >> 16);
    }
}
