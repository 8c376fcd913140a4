using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ModelverseImage.Tests.Harness;

/// <summary>
/// Small well-formed image files for the runspace tests to hand to Edit-MvImage, built byte by byte (the same bytes
/// as the library tests' SnifferTestImages, which this project cannot use: it checks them with the engine's sniffer).
/// </summary>
public static class TestImages
{
    /// <summary>A PNG of flat pixels: colour type 2 (RGB) or 6 (RGBA).</summary>
    public static byte[] Png(int width, int height, byte colourType)
    {
        int channels = colourType switch { 2 => 3, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colourType)) };
        using var png = new MemoryStream();
        png.Write(TestPng.Signature);
        TestPng.WriteChunk(png, "IHDR", TestPng.Header(width, height, colourType));
        TestPng.WriteChunk(png, "tEXt", Encoding.Latin1.GetBytes("Comment\0made by a test"));
        using var raw = new MemoryStream();
        var row = new byte[1 + width * channels]; // filter none, then zeros
        for (int y = 0; y < height; y++)
        {
            raw.Write(row);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }
        TestPng.WriteChunk(png, "IDAT", compressed.ToArray());
        TestPng.WriteChunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    /// <summary>The width and height in a PNG's IHDR; fails when the bytes do not start as a PNG does.</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(TestPng.Signature), "not a PNG signature");
        var (type, ihdr, _) = TestPng.Chunks(png).First();
        Assert.Equal("IHDR", type);
        return (BinaryPrimitives.ReadInt32BigEndian(ihdr), BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
    }

    /// <summary>SOI, APP0 (JFIF), an optional APP1 of the given total length, DQT, the frame header, DHT, SOS, scan data, EOI.</summary>
    public static byte[] Jpeg(int width, int height, byte sof, int app1Length, int scanBytes)
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
            Segment(jpeg, 0xE1, exif);
        }
        Segment(jpeg, 0xDB, new byte[65]);
        var frame = new byte[] { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0 };
        Segment(jpeg, sof, frame);
        Segment(jpeg, 0xC4, new byte[] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        Segment(jpeg, 0xDA, new byte[] { 1, 1, 0, 0, 63, 0 });
        var scan = new byte[scanBytes];
        new Random(scanBytes).NextBytes(scan);
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

    public static byte[] WebpVp8L(int width, int height, bool alpha)
    {
        var data = new byte[5 + 10];
        data[0] = 0x2F;
        uint bits = (uint)(width - 1) | ((uint)(height - 1) << 14) | (alpha ? 1u << 28 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(1), bits);
        return Riff("VP8L", data);
    }

    public static byte[] WebpVp8X(int width, int height, byte flags)
    {
        var data = new byte[10];
        data[0] = flags;
        WriteUInt24(data.AsSpan(4), width - 1);
        WriteUInt24(data.AsSpan(7), height - 1);
        // An extended file goes on with more chunks, e.g. ALPH and VP8.
        var rest = Riff("ALPH", new byte[8]).AsSpan(12).ToArray();
        return Riff("VP8X", data.Concat(rest).ToArray(), firstChunkLength: data.Length);
    }

    private static byte[] Riff(string fourCC, byte[] data, int? firstChunkLength = null)
    {
        var header = new byte[20];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 12 + data.Length);
        Encoding.ASCII.GetBytes("WEBP").CopyTo(header, 8);
        Encoding.ASCII.GetBytes(fourCC).CopyTo(header, 12);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), firstChunkLength ?? data.Length);
        return header.Concat(data).ToArray();
    }

    private static void Segment(Stream jpeg, byte marker, byte[] data)
    {
        int length = data.Length + 2;
        jpeg.Write(new byte[] { 0xFF, marker, (byte)(length >> 8), (byte)length });
        jpeg.Write(data);
    }

    private static void WriteUInt24(Span<byte> span, int value)
    {
        span[0] = (byte)value;
        span[1] = (byte)(value >> 8);
        span[2] = (byte)(value >> 16);
    }
}
