using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ModelverseImage.TestKit;

/// <summary>
/// Small but well-formed PNG, JPEG and WebP images built byte by byte, for the library tests (which read their
/// headers) and the module tests (which upload them): one builder for both.
/// </summary>
public static class TestImages
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
