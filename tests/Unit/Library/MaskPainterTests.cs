using System.Buffers.Binary;
using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Resume;
using ModelverseImage.Saving;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// The mask the module writes (MaskDesign, MaskPainter, PngWriter, Adler32), read back by an independent decoder
/// (TestPngDecoder: CRCs, zlib with its Adler-32, every filter type) and compared pixel by pixel with the rule: a pixel
/// belongs to a region when its centre is inside it.
/// </summary>
public sealed class MaskPainterTests
{
    private static MaskDesign Design(bool fraction, bool invert, params MaskRegion[] regions) => new(regions, fraction, invert);

    private static MaskRegion Rect(double x, double y, double w, double h) => new(MaskShape.Rectangle, x, y, w, h);

    private static MaskRegion Ellipse(double x, double y, double w, double h) => new(MaskShape.Ellipse, x, y, w, h);

    /// <summary>The expected alpha: 0 where a pixel's centre is in a region (in pixels), 255 elsewhere; swapped when inverted.</summary>
    private static byte[,] Expected(int width, int height, bool invert, params MaskRegion[] pixelRegions)
    {
        var alpha = new byte[height, width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double cx = x + 0.5, cy = y + 0.5;
                bool inside = pixelRegions.Any(r => r.Shape == MaskShape.Rectangle
                    ? cx >= r.X && cx < r.X + r.Width && cy >= r.Y && cy < r.Y + r.Height
                    : Math.Pow((cx - r.X - r.Width / 2) / (r.Width / 2), 2) + Math.Pow((cy - r.Y - r.Height / 2) / (r.Height / 2), 2) <= 1);
                alpha[y, x] = (byte)(inside != invert ? 0 : 255);
            }
        }
        return alpha;
    }

    private static void AssertAlpha(byte[,] expected, byte[] png)
    {
        var actual = TestPngDecoder.Alpha(png);
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        var wrong = new List<string>();
        for (int y = 0; y < expected.GetLength(0); y++)
        {
            for (int x = 0; x < expected.GetLength(1); x++)
            {
                if (expected[y, x] != actual[y, x] && wrong.Count < 10) wrong.Add($"({x},{y}): {actual[y, x]}, expected {expected[y, x]}");
            }
        }
        Assert.True(wrong.Count == 0, "pixels differ: " + string.Join("; ", wrong));
    }

    [Fact]
    public void APixelRectangleIsTransparentExactlyOverItsPixels()
    {
        var png = Design(false, false, Rect(10, 10, 20, 20)).Paint(64, 48);
        var alpha = TestPngDecoder.Alpha(png);
        Assert.Equal(0, alpha[10, 10]);
        Assert.Equal(0, alpha[29, 29]);
        Assert.Equal(255, alpha[9, 10]);
        Assert.Equal(255, alpha[30, 29]);
        Assert.Equal(255, alpha[29, 30]);
        AssertAlpha(Expected(64, 48, false, Rect(10, 10, 20, 20)), png);
    }

    [Fact]
    public void EveryPixelIsOpaqueOrFullyTransparentBlack()
    {
        var (_, _, rgba) = TestPngDecoder.DecodeRgba(Design(false, false, Ellipse(3.3, 2.7, 40.1, 30.9)).Paint(50, 40));
        for (int i = 0; i < rgba.Length; i += 4)
        {
            Assert.Equal(0, rgba[i] | rgba[i + 1] | rgba[i + 2]);
            Assert.True(rgba[i + 3] is 0 or 255);
        }
    }

    [Theory]
    [InlineData(640, 480)]
    [InlineData(97, 61)]
    [InlineData(1, 1)]
    public void EllipsesRectanglesAndTheirOverlapsFollowTheCentreRule(int width, int height)
    {
        var regions = new[] { Ellipse(5.3, 4.1, width * 0.61, height * 0.47), Rect(width * 0.4, height * 0.3, width * 0.37, height * 0.55), Ellipse(-20.2, height * 0.8, 60.7, 41.3) };
        AssertAlpha(Expected(width, height, false, regions), Design(false, false, regions).Paint(width, height));
        AssertAlpha(Expected(width, height, true, regions), Design(false, true, regions).Paint(width, height));
    }

    [Fact]
    public void FractionsScaleToEachSize()
    {
        var design = Design(true, false, Rect(0, 0, 1, 0.333));
        foreach (var (width, height) in new[] { (1920, 1080), (1024, 1536), (333, 100) })
        {
            var alpha = TestPngDecoder.Alpha(design.Paint(width, height));
            int rows = Enumerable.Range(0, height).Count(y => alpha[y, 0] == 0);
            Assert.Equal(Enumerable.Range(0, height).Count(y => y + 0.5 < 0.333 * height), rows);
            Assert.All(Enumerable.Range(0, width), x => Assert.Equal(0, alpha[0, x]));
            Assert.Equal(255, alpha[height - 1, width / 2]);
        }
        Assert.Equal(360, Enumerable.Range(0, 1080).Count(y => TestPngDecoder.Alpha(design.Paint(8, 1080))[y, 0] == 0));

        var ellipse = Design(true, false, Ellipse(0.25, 0.25, 0.5, 0.5));
        AssertAlpha(Expected(200, 100, false, Ellipse(50, 25, 100, 50)), ellipse.Paint(200, 100));
    }

    [Fact]
    public void RegionsPartlyOutsideAreClipped()
    {
        var regions = new[] { Rect(-10, -10, 30, 25), Ellipse(50, 30, 40, 40) };
        var design = Design(false, false, regions);
        Assert.Equal(-1, design.FirstMisfit(64, 48, out var problem));
        Assert.Equal(MaskRegionProblem.None, problem);
        AssertAlpha(Expected(64, 48, false, regions), design.Paint(64, 48));
    }

    [Theory]
    [InlineData(200, 0, 10, 10, MaskRegionProblem.Outside)]
    [InlineData(-10, 0, 10, 10, MaskRegionProblem.Outside)]
    [InlineData(0, 100, 10, 10, MaskRegionProblem.Outside)]
    [InlineData(10.1, 10, 0.3, 5, MaskRegionProblem.NoPixel)]
    [InlineData(0, 0, 1, 0.333, MaskRegionProblem.NoPixel)]
    [InlineData(0, 0, 0, 10, MaskRegionProblem.NoArea)]
    [InlineData(0, 0, 10, -1, MaskRegionProblem.NoArea)]
    [InlineData(double.NaN, 0, 10, 10, MaskRegionProblem.NotFinite)]
    [InlineData(0, 0, double.PositiveInfinity, 10, MaskRegionProblem.NotFinite)]
    public void ARegionThatCoversNoPixelIsReported(double x, double y, double w, double h, MaskRegionProblem expected)
    {
        var design = Design(false, false, Rect(0, 0, 5, 5), Rect(x, y, w, h));
        Assert.Equal(1, design.FirstMisfit(100, 100, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void AnEllipseWhoseBoxOnlyTouchesACornerCoversNoPixel()
    {
        // The box overlaps the image's top-left 4x4 pixels; the ellipse inscribed in it does not reach them.
        var design = Design(false, false, Ellipse(-96, -96, 100, 100));
        Assert.Equal(0, design.FirstMisfit(100, 100, out var problem));
        Assert.Equal(MaskRegionProblem.NoPixel, problem);
    }

    [Fact]
    public void HugeNumbersAreClippedNotOverflowed()
    {
        var design = Design(true, false, Rect(-1e300, -1e300, 1e308, 1e308));
        Assert.Equal(-1, design.FirstMisfit(32, 16, out _));
        Assert.All(TestPngDecoder.Alpha(design.Paint(32, 16)).Cast<byte>(), a => Assert.Equal(0, a));

        // The ellipse in a box from (16, 8) to far away curves nowhere near the image's corner.
        var ellipse = Design(true, false, Ellipse(0.5, 0.5, 1e300, 1e300));
        Assert.Equal(0, ellipse.FirstMisfit(32, 16, out var problem));
        Assert.Equal(MaskRegionProblem.NoPixel, problem);
        Assert.All(TestPngDecoder.Alpha(Design(false, false, Ellipse(-1e308, -1e308, double.MaxValue, double.MaxValue)).Paint(32, 16)).Cast<byte>(), a => Assert.True(a is 0 or 255));
    }

    [Fact]
    public void TheFileIsOneColourTypeWithAZlibHeaderAndBoundedIdatChunks()
    {
        var png = Design(true, false, Ellipse(0.1, 0.1, 0.8, 0.8)).Paint(3840, 2160);
        var chunks = TestPng.Chunks(png).ToList();
        Assert.Equal(new[] { "IHDR", "IDAT", "IEND" }, chunks.Select(c => c.Type).Distinct());
        Assert.Equal(new byte[] { 8, 6, 0, 0, 0 }, chunks[0].Data[8..]);
        Assert.All(chunks.Where(c => c.Type == "IDAT"), c => Assert.InRange(c.Data.Length, 1, PngWriter.MaxIdatLength));
        var idat = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        Assert.Equal(0, (idat[0] * 256 + idat[1]) % 31);
        Assert.Equal(8, idat[0] & 0x0F);
        Assert.True(png.Length < 200_000, $"a 4K ellipse mask is {png.Length:N0} bytes");
        Assert.Equal(new ImageHeader(ImageFormat.Png, 3840, 2160, true), ImageSniffer.Read(png));
        var (_, _, rgba) = TestPngDecoder.DecodeRgba(png);
        Assert.Equal(3840 * 2160 * 4, rgba.Length);
    }

    [Fact]
    public void IdenticalRowsCompressToAlmostNothing()
    {
        var png = Design(true, false, Rect(0, 0, 1, 0.333)).Paint(3840, 2160);
        // 33 MB of rows; deflate cannot do better than about 1:1000.
        Assert.True(png.Length < 64 * 1024, $"a 4K top-third mask is {png.Length:N0} bytes");
    }

    [Fact]
    public void RowsStreamThroughTheDeflaterWithoutTheRawImage()
    {
        var design = Design(true, false, Ellipse(0.1, 0.1, 0.8, 0.8), Rect(0, 0, 1, 0.333));
        design.Paint(3840, 2160);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var png = design.Paint(3840, 2160);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The raw image is 33 MB; two rows are 31 KB. The output's buffers and the list of runs are the rest.
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated:N0} bytes allocated for a {png.Length:N0}-byte mask");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(5552)]
    [InlineData(70000)]
    [InlineData(200000)]
    public void Adler32OfRunsIsAdler32OfTheirBytes(int count)
    {
        var random = new Random(count);
        foreach (uint pixel in new uint[] { 0x000000FF, 0x00000000, 0xFFFFFFFF, (uint)random.Next() })
        {
            var bytes = new byte[2 + count * 4 + 9];
            bytes[0] = 1;
            bytes[1] = 200;
            for (int i = 0; i < count; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2 + i * 4), pixel);
            var byBytes = Adler32.Start;
            byBytes.Add(bytes, 0, bytes.Length);

            var byRuns = Adler32.Start;
            byRuns.Add(1);
            byRuns.Add(200);
            byRuns.AddPixels(pixel, count);
            byRuns.AddZeros(9);
            Assert.Equal(byBytes.Value, byRuns.Value);
        }
    }

    [Fact]
    public void Adler32OfNoBytesIsOneAndOfWikipediaIsKnown()
    {
        Assert.Equal(1u, Adler32.Start.Value);
        var adler = Adler32.Start;
        var text = "Wikipedia"u8.ToArray();
        adler.Add(text, 0, text.Length);
        Assert.Equal(0x11E60398u, adler.Value);
    }

    [Fact]
    public void TheContentKeyNamesWhatDecidesThePixels()
    {
        var design = Design(true, false, Rect(0, 0, 1, 0.333));
        string key = design.ContentKey(1024, 1024);
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, Design(true, false, Rect(0, 0, 1, 0.333)).ContentKey(1024, 1024));
        Assert.NotEqual(key, design.ContentKey(1024, 1536));
        Assert.NotEqual(key, Design(false, false, Rect(0, 0, 1, 0.333)).ContentKey(1024, 1024));
        Assert.NotEqual(key, Design(true, true, Rect(0, 0, 1, 0.333)).ContentKey(1024, 1024));
        Assert.NotEqual(key, Design(true, false, Ellipse(0, 0, 1, 0.333)).ContentKey(1024, 1024));
        Assert.NotEqual(key, Design(true, false, Rect(0, 0, 1, 0.334)).ContentKey(1024, 1024));

        // The rerun key takes it for the mask's bytes, which another deflater would write differently.
        var png = design.Paint(1024, 1024);
        var made = ImageUpload.FromMadeBytes(new ArraySegment<byte>(png), "mask.png", ImageFormat.Png, key);
        Assert.Equal(key, RequestKey.ContentHash(made));
        Assert.NotEqual(key, RequestKey.ContentHash(ImageUpload.FromBytes(new ArraySegment<byte>(png), "mask.png", ImageFormat.Png)));
    }

    [Theory]
    [InlineData("1024x1536", 1024, 1536)]
    [InlineData(" 1X1 ", 1, 1)]
    [InlineData("32768x32768", 32768, 32768)]
    [InlineData("32769x10", 0, 0)]
    [InlineData("0x10", 0, 0)]
    [InlineData("10x", 0, 0)]
    [InlineData("auto", 0, 0)]
    [InlineData("-5x10", 0, 0)]
    [InlineData("1e3x10", 0, 0)]
    [InlineData("0000000010x10", 0, 0)]
    public void MaskSizesAreWidthByHeightInPixels(string text, int width, int height)
    {
        bool ok = MaskDesign.TryParseSize(text, out int w, out int h);
        Assert.Equal(width > 0, ok);
        if (ok) Assert.Equal((width, height), (w, h));
    }

    [Theory]
    [InlineData("/photos/beach.jpg", 1, 1, "beach-mask.png")]
    [InlineData("C:\\photos\\My Photo [1].jpeg", 1, 1, "My-Photo-1-mask.png")]
    [InlineData("", 1536, 1024, "mask-1536x1024.png")]
    [InlineData(null, 64, 48, "mask-64x48.png")]
    public void MasksAreNamedAfterTheirImage(string? source, int width, int height, string expected) =>
        Assert.Equal(expected, FileNamer.ForMask(source, width, height));
}
