using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ModelverseImage.TestKit;

/// <summary>The pieces of a PNG file: signature, IHDR, chunks with their CRC, and a reader of chunks.</summary>
public static class TestPng
{
    private static readonly byte[] SignatureBytes = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The eight bytes every PNG starts with.</summary>
    public static ReadOnlySpan<byte> Signature => SignatureBytes;

    /// <summary>The 13 bytes of an IHDR chunk: width, height, bit depth 8, the colour type, deflate, no interlace.</summary>
    public static byte[] Header(int width, int height, byte colourType)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;          // bit depth
        ihdr[9] = colourType; // 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
        return ihdr;          // compression, filter and interlace: 0
    }

    /// <summary>Writes one chunk: length, type, data, CRC-32 of type and data.</summary>
    public static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);

        var crc = Crc32.Update(Crc32.Start, header[4..]);
        crc = Crc32.Update(crc, data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, Crc32.Finish(crc));
        output.Write(crcBytes);
    }

    /// <summary>The chunks after the signature, in order, with the CRC as stored.</summary>
    public static IEnumerable<(string Type, byte[] Data, uint Crc)> Chunks(byte[] png)
    {
        var pos = 8;
        while (pos + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            yield return (type, data, crc);
            pos += 12 + length;
        }
    }

    /// <summary>
    /// A small valid PNG with every pixel zero: 8-bit RGB, or RGBA with <paramref name="alpha"/>
    /// (what the Pester suite's New-TestPngBytes returns).
    /// </summary>
    public static byte[] Blank(int width, int height, bool alpha)
    {
        var channels = alpha ? 4 : 3;
        var scanlines = new byte[(width * channels + 1) * height]; // each row: filter byte 0, then zero pixels
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(scanlines);
        }

        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", Header(width, height, alpha ? (byte)6 : (byte)2));
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }
}
