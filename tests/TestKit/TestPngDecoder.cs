using System.Buffers.Binary;
using System.IO.Compression;

namespace ModelverseImage.TestKit;

/// <summary>
/// A strict reader of 8-bit RGBA PNGs (colour type 6, no interlace), written apart from the module's writer so that
/// tests can check what it wrote: every chunk's CRC, the zlib stream (ZLibStream checks its Adler-32), every filter type.
/// </summary>
public static class TestPngDecoder
{
    /// <summary>The width, the height and the pixels, 4 bytes each (R, G, B, A), row by row.</summary>
    public static (int Width, int Height, byte[] Rgba) DecodeRgba(byte[] png)
    {
        if (!png.AsSpan(0, 8).SequenceEqual(TestPng.Signature)) throw new InvalidDataException("not a PNG signature");
        var chunks = TestPng.Chunks(png).ToList();
        foreach (var (type, data, crc) in chunks)
        {
            var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            if (Crc32.Compute(typed) != crc) throw new InvalidDataException($"bad CRC in {type}");
        }
        if (chunks[0].Type != "IHDR" || chunks[^1].Type != "IEND") throw new InvalidDataException("IHDR first and IEND last");
        var ihdr = chunks[0].Data;
        int width = BinaryPrimitives.ReadInt32BigEndian(ihdr), height = BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4));
        if (ihdr[8] != 8 || ihdr[9] != 6 || ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] != 0) throw new InvalidDataException("not 8-bit RGBA without interlace");

        using var compressed = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var filtered = raw.ToArray();
        int stride = width * 4;
        if (filtered.Length != height * (stride + 1)) throw new InvalidDataException($"{filtered.Length} bytes of rows, {height * (stride + 1)} expected");

        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= 4 ? pixels[y * stride + x - 4] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4] : 0;
                int value = filtered[y * (stride + 1) + 1 + x];
                value += filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter type {filter}"),
                };
                pixels[y * stride + x] = (byte)value;
            }
        }
        return (width, height, pixels);
    }

    /// <summary>The alpha of every pixel, [y, x].</summary>
    public static byte[,] Alpha(byte[] png)
    {
        var (width, height, rgba) = DecodeRgba(png);
        var alpha = new byte[height, width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++) alpha[y, x] = rgba[(y * width + x) * 4 + 3];
        }
        return alpha;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
