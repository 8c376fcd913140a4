using System.Buffers.Binary;
using System.Text;
using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

/// <summary>The XMP chunk and segment writers: where the record goes, what stays untouched, and that it reads back.</summary>
public sealed class XmpEmbedderTests
{
    private static ImageRecord Record(string prompt = "a red kite") => new()
    {
        Prompt = prompt,
        Model = "gpt-image-2",
        Size = "1024x1024",
        Index = 2,
        RequestKey = "0123456789abcdef0123456789abcdef",
        Occurrence = 3,
        CreatorTool = "ModelverseImage 0.1.0",
    };

    private static byte[] Joined(ArraySegment<byte>[] parts) => parts.SelectMany(p => p.ToArray()).ToArray();

    private static byte[] Mark(byte[] image, ImageRecord? record = null)
    {
        Assert.Equal(MarkOutcome.Marked, XmpEmbedder.Plan(new ArraySegment<byte>(image), record ?? Record(), out var parts));
        return Joined(parts);
    }

    private static ImageRecord? ReadBack(byte[] file)
    {
        using var stream = new MemoryStream(file);
        var xmp = ImageSniffer.Walk(stream, WalkGoal.Record).Xmp;
        return xmp == null ? null : XmpPacket.Parse(xmp);
    }

    // ---- PNG ----

    [Fact]
    public void PngGetsAnUncompressedItxtChunkBeforeTheFirstIdat()
    {
        var png = TestImages.Png(8, 6, colourType: 6);
        var marked = Mark(png);

        var chunks = TestPng.Chunks(marked).ToList();
        int itxt = chunks.FindIndex(c => c.Type == "iTXt");
        Assert.Equal(itxt + 1, chunks.FindIndex(c => c.Type == "IDAT"));
        var data = chunks[itxt].Data;
        Assert.StartsWith("XML:com.adobe.xmp\0\0\0\0\0", Encoding.Latin1.GetString(data));
        Assert.Equal(TestKit.Crc32.Finish(TestKit.Crc32.Update(TestKit.Crc32.Start, Encoding.ASCII.GetBytes("iTXt").Concat(data).ToArray())), chunks[itxt].Crc);
        // Nothing else changed: the original chunks follow, byte for byte.
        Assert.Equal(png.Length + 12 + data.Length, marked.Length);
        Assert.Equal(ImageSniffer.Read(png), ImageSniffer.Read(marked));
        var back = ReadBack(marked)!;
        Assert.Equal("a red kite", back.Prompt);
        Assert.Equal(("0123456789abcdef0123456789abcdef", 3, 2), (back.RequestKey, back.Occurrence, back.Index));
    }

    [Fact]
    public void PngXmpAlreadyThereIsReplacedNotAddedTwice()
    {
        var once = Mark(TestImages.Png(4, 4, colourType: 2));
        var twice = Mark(once, Record("a blue kite"));

        Assert.Single(TestPng.Chunks(twice), c => c.Type == "iTXt");
        Assert.Equal("a blue kite", ReadBack(twice)!.Prompt);
    }

    [Fact]
    public void PngWithContentCredentialsIsLeftExactlyAsItCame()
    {
        var png = InsertPngChunk(TestImages.Png(4, 4, colourType: 2), "caBX", new byte[40]);

        Assert.Equal(MarkOutcome.ContentCredentials, XmpEmbedder.Plan(new ArraySegment<byte>(png), Record(), out var parts));
        Assert.Equal(png, Joined(parts));
    }

    [Fact]
    public void DamagedPngIsLeftAsItCame()
    {
        var png = TestImages.Png(4, 4, colourType: 2);
        var cut = png.AsSpan(0, png.Length - 20).ToArray();
        Assert.Equal(MarkOutcome.Unmarked, XmpEmbedder.Plan(new ArraySegment<byte>(cut), Record(), out var parts));
        Assert.Equal(cut, Joined(parts));
    }

    // ---- JPEG ----

    [Fact]
    public void JpegGetsAnApp1SegmentAfterJfifAndExif()
    {
        var jpeg = TestImages.Jpeg(320, 200, sof: 0xC0, app1Length: 300, scanBytes: 500);
        var marked = Mark(jpeg);

        var segments = Segments(marked);
        Assert.Equal(new byte[] { 0xE0, 0xE1, 0xE1, 0xDB }, segments.Take(4).Select(s => s.Marker).ToArray());
        Assert.StartsWith("Exif\0", Encoding.Latin1.GetString(segments[1].Payload));
        Assert.StartsWith("http://ns.adobe.com/xap/1.0/\0<?xpacket", Encoding.Latin1.GetString(segments[2].Payload));
        Assert.Equal(ImageSniffer.Read(jpeg), ImageSniffer.Read(marked));
        Assert.Equal("a red kite", ReadBack(marked)!.Prompt);
    }

    [Fact]
    public void JpegPayloadStaysWithinOneSegmentByShorteningTheText()
    {
        var jpeg = TestImages.Jpeg(64, 64, sof: 0xC0, app1Length: 0, scanBytes: 100);
        string prompt = string.Concat(Enumerable.Repeat("a kite & <a crow> über 猫 ", 5000)); // ~130,000 characters
        var marked = Mark(jpeg, Record(prompt));

        var xmp = Segments(marked).Single(s => s.Marker == 0xE1);
        Assert.True(xmp.Payload.Length <= XmpEmbedder.MaxJpegPayload, $"payload {xmp.Payload.Length}");
        Assert.True(xmp.Payload.Length > 60_000);
        var back = ReadBack(marked)!;
        Assert.EndsWith("\u2026", back.Prompt);
        Assert.StartsWith(back.Prompt.TrimEnd('\u2026'), prompt);
        Assert.Equal("0123456789abcdef0123456789abcdef", back.RequestKey); // the rerun record is never cut
    }

    [Fact]
    public void JpegWithJumbfApp11IsLeftExactlyAsItCame()
    {
        var jpeg = TestImages.Jpeg(64, 64, sof: 0xC0, app1Length: 0, scanBytes: 100);
        var app11 = new byte[] { 0xFF, 0xEB, 0x00, 0x0A, (byte)'J', (byte)'P', 0x00, 0x01, 0, 0, 0, 1 };
        var withCredentials = jpeg.Take(2).Concat(app11).Concat(jpeg.Skip(2)).ToArray();

        Assert.Equal(MarkOutcome.ContentCredentials, XmpEmbedder.Plan(new ArraySegment<byte>(withCredentials), Record(), out var parts));
        Assert.Equal(withCredentials, Joined(parts));
    }

    // ---- WebP ----

    [Fact]
    public void SimpleLossyWebpBecomesExtendedWithTheCanvasSize()
    {
        var webp = TestImages.WebpVp8(300, 150, scaleBits: 0);
        var marked = Mark(webp);

        var chunks = RiffChunks(marked);
        Assert.Equal(new[] { "VP8X", "VP8 ", "XMP " }, chunks.Select(c => c.FourCC).ToArray());
        var vp8x = chunks[0].Data;
        Assert.Equal(0x04, vp8x[0]); // XMP, no alpha
        Assert.Equal(new ImageHeader(ImageFormat.Webp, 300, 150, false), ImageSniffer.Read(marked));
        Assert.Equal(marked.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(marked.AsSpan(4)));
        Assert.Equal("a red kite", ReadBack(marked)!.Prompt);
    }

    [Fact]
    public void SimpleLosslessWebpWithAlphaKeepsTheAlphaFlag()
    {
        var marked = Mark(TestImages.WebpVp8L(33, 17, alpha: true));

        var chunks = RiffChunks(marked);
        Assert.Equal(0x14, chunks[0].Data[0]); // XMP + alpha
        Assert.Equal(new ImageHeader(ImageFormat.Webp, 33, 17, true), ImageSniffer.Read(marked));
        Assert.Equal(marked.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(marked.AsSpan(4)));
    }

    [Fact]
    public void ExtendedWebpGetsTheXmpFlagAndKeepsItsOtherFlags()
    {
        var webp = TestImages.WebpVp8X(640, 480, flags: 0x10);
        var marked = Mark(webp);

        var chunks = RiffChunks(marked);
        Assert.Equal(new[] { "VP8X", "ALPH", "XMP " }, chunks.Select(c => c.FourCC).ToArray());
        Assert.Equal(0x14, chunks[0].Data[0]);
        Assert.Equal(marked.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(marked.AsSpan(4)));
        Assert.Equal("a red kite", ReadBack(marked)!.Prompt);
    }

    [Fact]
    public void OddSizedXmpChunkIsPadded()
    {
        // Prompts one character apart: one of the two packets has an odd length.
        foreach (var prompt in new[] { "a", "ab" })
        {
            var marked = Mark(TestImages.WebpVp8(10, 10, 0), Record(prompt));
            Assert.Equal(0, marked.Length % 2);
            var xmp = RiffChunks(marked).Last();
            Assert.Equal("XMP ", xmp.FourCC);
            Assert.Equal(prompt, ReadBack(marked)!.Prompt);
        }
    }

    [Fact]
    public void WebpWithC2paChunkIsLeftExactlyAsItCame()
    {
        var webp = TestImages.WebpVp8X(64, 64, flags: 0);
        var c2pa = XmpEmbedder.WebpChunk("C2PA", new byte[21]);
        var withCredentials = webp.Concat(c2pa).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(withCredentials.AsSpan(4), withCredentials.Length - 8);

        Assert.Equal(MarkOutcome.ContentCredentials, XmpEmbedder.Plan(new ArraySegment<byte>(withCredentials), Record(), out var parts));
        Assert.Equal(withCredentials, Joined(parts));
    }

    [Fact]
    public void UnknownBytesAreLeftAsTheyCame()
    {
        var bytes = Encoding.ASCII.GetBytes("not an image at all");
        Assert.Equal(MarkOutcome.Unmarked, XmpEmbedder.Plan(new ArraySegment<byte>(bytes), Record(), out var parts));
        Assert.Equal(bytes, Joined(parts));
    }

    // ---- the packet ----

    [Fact]
    public void PacketEscapesTextAndReadsItBack()
    {
        string prompt = "cats & <dogs> \"quoted\"\r\nline two\u0001 \U0001F431";
        var packet = XmpPacket.Build(Record(prompt));
        string text = Encoding.UTF8.GetString(packet);

        Assert.StartsWith("<?xpacket begin=\"\uFEFF\"", text);
        Assert.EndsWith("<?xpacket end=\"w\"?>", text);
        Assert.Contains(XmpPacket.TrainedAlgorithmicMedia, text);
        Assert.Equal("cats & <dogs> \"quoted\"\r\nline two\uFFFD \U0001F431", XmpPacket.Parse(packet)!.Prompt);
    }

    [Fact]
    public void PacketWithoutOurNamespaceIsNotOurs()
    {
        var packet = Encoding.UTF8.GetBytes("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\"/></rdf:RDF></x:xmpmeta>");
        Assert.Null(XmpPacket.Parse(packet));
        Assert.Null(XmpPacket.Parse(Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>")));
    }

    // ---- helpers ----

    internal static byte[] InsertPngChunk(byte[] png, string type, byte[] data)
    {
        using var chunk = new MemoryStream();
        TestPng.WriteChunk(chunk, type, data);
        int ihdrEnd = 8 + 12 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8));
        return png.Take(ihdrEnd).Concat(chunk.ToArray()).Concat(png.Skip(ihdrEnd)).ToArray();
    }

    private static List<(byte Marker, byte[] Payload)> Segments(byte[] jpeg)
    {
        var list = new List<(byte, byte[])>();
        int pos = 2;
        while (pos + 4 <= jpeg.Length && jpeg[pos] == 0xFF && jpeg[pos + 1] != 0xDA)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(pos + 2));
            list.Add((jpeg[pos + 1], jpeg.AsSpan(pos + 4, length - 2).ToArray()));
            pos += 2 + length;
        }
        return list;
    }

    private static List<(string FourCC, byte[] Data)> RiffChunks(byte[] webp)
    {
        var list = new List<(string, byte[])>();
        int pos = 12;
        while (pos + 8 <= webp.Length)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(pos + 4));
            list.Add((Encoding.ASCII.GetString(webp, pos, 4), webp.AsSpan(pos + 8, size).ToArray()));
            pos += 8 + size + (size & 1);
        }
        Assert.Equal(webp.Length, pos);
        return list;
    }
}
