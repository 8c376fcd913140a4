using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ModelverseImage.Imaging;
using ModelverseImage.Resume;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// Issue #24 item 2: whatever Save-MvImage writes, Import-MvImage and -Resume read back, and hostile or unusual
/// files (XMP after IDAT, thousands of segments, compressed XMP, records over 64 KB, a VP8X of size 0) neither
/// lose the record nor the image. The files are built here, byte by byte.
/// </summary>
public sealed class HostileImageFileTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private readonly string _dir = Directory.CreateTempSubdirectory("mvi-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ImageRecord Record(string prompt = "a red kite", string? model = "gpt-image-2") => new()
    {
        Prompt = prompt,
        Model = model,
        Index = 1,
        RequestKey = Key,
        Occurrence = 1,
        CreatorTool = "ModelverseImage 0.1.0",
    };

    private static byte[] Mark(byte[] image, ImageRecord? record = null)
    {
        Assert.Equal(MarkOutcome.Marked, XmpEmbedder.Plan(new ArraySegment<byte>(image), record ?? Record(), out var parts));
        return parts.SelectMany(p => p.ToArray()).ToArray();
    }

    /// <summary>The record as Import-MvImage reads it (the whole file) and as -Resume reads it (the record alone): they must agree.</summary>
    private ImageRecord? ReadBack(byte[] file)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".img");
        File.WriteAllBytes(path, file);
        var imported = ImageFile.Read(path).Record;
        var indexed = SavedIndex.ReadRecord(path);
        Assert.Equal(imported?.Prompt, indexed?.Prompt);
        Assert.Equal(imported?.RequestKey, indexed?.RequestKey);
        return imported;
    }

    // ---- item 1: XMP after IDAT ----

    [Fact]
    public void APngWhoseXmpComesAfterIdatReadsBack()
    {
        var moved = MoveChunkAfterIdat(Mark(TestImages.Png(8, 6, 2)), "iTXt");
        Assert.True(ChunkIndex(moved, "iTXt") > ChunkIndex(moved, "IDAT"));

        var back = ReadBack(moved);

        Assert.Equal("a red kite", back?.Prompt);
        Assert.Equal(Key, back?.RequestKey);
    }

    [Fact]
    public void SavingAPngWhoseXmpComesAfterIdatPutsTheOneNewXmpBeforeIdat()
    {
        var moved = MoveChunkAfterIdat(Mark(TestImages.Png(8, 6, 2)), "iTXt");

        var again = Mark(moved, Record("a blue kite"));

        Assert.Single(TestPng.Chunks(again), c => c.Type == "iTXt");
        Assert.True(ChunkIndex(again, "iTXt") < ChunkIndex(again, "IDAT"));
        Assert.Equal("a blue kite", ReadBack(again)?.Prompt);
    }

    // ---- item 2: the same bounds for writing and reading ----

    public static TheoryData<string> LongWalks => new() { "jpeg: 5,000 leading Exif APP1 segments", "jpeg: 100,000 fill bytes", "png: 5,000 tEXt chunks before IDAT" };

    [Theory]
    [MemberData(nameof(LongWalks))]
    public void WhatIsMarkedOnSaveReadsBack(string kind)
    {
        var image = kind switch
        {
            "jpeg: 5,000 leading Exif APP1 segments" => InsertAfterSoi(TestImages.Jpeg(64, 48, 0xC0, 0, 100), Repeat(new byte[] { 0xFF, 0xE1, 0x00, 0x08, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0 }, 5_000)),
            "jpeg: 100,000 fill bytes" => InsertAfterSoi(TestImages.Jpeg(64, 48, 0xC0, 0, 100), Repeat(new byte[] { 0xFF }, 100_000)),
            _ => InsertBeforeIdat(TestImages.Png(8, 6, 2), Repeat(PngChunk("tEXt", Encoding.Latin1.GetBytes("k\0v")), 5_000)),
        };

        var marked = Mark(image);

        Assert.Equal("a red kite", ReadBack(marked)?.Prompt);
    }

    // ---- item 3: compressed XMP ----

    [Fact]
    public void ACompressedXmpChunkIsReadAndReplacedNotAddedTo()
    {
        var ours = Encoding.UTF8.GetString(XmpPacket.Build(Record("an old kite")));
        var png = InsertBeforeIdat(TestImages.Png(8, 6, 2), PngChunk("iTXt", CompressedXmpText(ours)));
        Assert.Equal("an old kite", ReadBack(png)?.Prompt);

        var marked = Mark(png, Record("a new kite"));

        Assert.Single(TestPng.Chunks(marked), c => c.Type == "iTXt" && Encoding.Latin1.GetString(c.Data).StartsWith("XML:com.adobe.xmp\0", StringComparison.Ordinal));
        Assert.Equal("a new kite", ReadBack(marked)?.Prompt);
    }

    // ---- item 5: a JPEG record over 64 KB ----

    [Theory]
    [InlineData("m", 70_000)]
    [InlineData("\"", 12_000)] // 72 KB once escaped as &quot;
    public void AJpegRecordOver64KbIsShortenedToFitAndTheImageIsMarked(string character, int count)
    {
        var jpeg = TestImages.Jpeg(64, 48, 0xC0, 0, 100);
        string model = string.Concat(Enumerable.Repeat(character, count));

        var marked = Mark(jpeg, Record(model: model));

        var back = ReadBack(marked)!;
        Assert.Equal("a red kite", back.Prompt);
        Assert.Equal(Key, back.RequestKey);
        Assert.EndsWith("\u2026", back.Model);
        Assert.StartsWith(back.Model!.TrimEnd('\u2026'), model);
        Assert.Equal(ImageSniffer.Read(jpeg), ImageSniffer.Read(marked));
    }

    // ---- item 7: WebP VP8X of size 0 ----

    [Fact]
    public void AWebpWhoseVp8xChunkIsEmptyIsSavedAsItCame()
    {
        var webp = Encoding.ASCII.GetBytes("RIFF\x0C\0\0\0WEBPVP8X\0\0\0\0");

        var outcome = XmpEmbedder.Plan(new ArraySegment<byte>(webp), Record(), out var parts);

        Assert.NotEqual(MarkOutcome.Marked, outcome);
        Assert.Equal(webp, parts.SelectMany(p => p.ToArray()).ToArray());
    }

    // ---- building hostile files ----

    internal static byte[] PngChunk(string type, byte[] data)
    {
        using var chunk = new MemoryStream();
        TestPng.WriteChunk(chunk, type, data);
        return chunk.ToArray();
    }

    /// <summary>An iTXt "XML:com.adobe.xmp" whose text is zlib-compressed (compression flag 1, method 0).</summary>
    internal static byte[] CompressedXmpText(string xmp)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(Encoding.UTF8.GetBytes(xmp));
        return Encoding.Latin1.GetBytes("XML:com.adobe.xmp\0\x01\0\0\0").Concat(compressed.ToArray()).ToArray();
    }

    private static byte[] Repeat(byte[] piece, int count) => Enumerable.Repeat(piece, count).SelectMany(p => p).ToArray();

    private static byte[] InsertAfterSoi(byte[] jpeg, byte[] bytes) => jpeg.Take(2).Concat(bytes).Concat(jpeg.Skip(2)).ToArray();

    private static int ChunkIndex(byte[] png, string type) => TestPng.Chunks(png).ToList().FindIndex(c => c.Type == type);

    private static int IdatOffset(byte[] png)
    {
        int pos = 8;
        while (Encoding.ASCII.GetString(png, pos + 4, 4) != "IDAT") pos += 12 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
        return pos;
    }

    internal static byte[] InsertBeforeIdat(byte[] png, byte[] chunks)
    {
        int at = IdatOffset(png);
        return png.Take(at).Concat(chunks).Concat(png.Skip(at)).ToArray();
    }

    /// <summary>Moves the first chunk of <paramref name="type"/> to just after the last IDAT (spec-legal for iTXt).</summary>
    internal static byte[] MoveChunkAfterIdat(byte[] png, string type)
    {
        var chunks = TestPng.Chunks(png).ToList();
        var moving = chunks.First(c => c.Type == type);
        chunks.Remove(moving);
        chunks.Insert(chunks.FindLastIndex(c => c.Type == "IDAT") + 1, moving);
        using var output = new MemoryStream();
        output.Write(png, 0, 8);
        foreach (var chunk in chunks) TestPng.WriteChunk(output, chunk.Type, chunk.Data);
        return output.ToArray();
    }
}
