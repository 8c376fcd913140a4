using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using ModelverseImage.TestKit;
using Base64Encoder = System.Buffers.Text.Base64;

namespace ModelverseImage.FakeApi;

internal enum ImageFormat
{
    Png,
    Jpeg,
    Webp,
}

/// <summary>An encoded image with its base64 text (as UTF-8 bytes), ready to be streamed into a JSON answer.</summary>
internal sealed class EncodedImage
{
    public EncodedImage(int width, int height, ImageFormat format, byte[] bytes)
    {
        Width = width;
        Height = height;
        Format = format;
        Bytes = bytes;

        Base64 = new byte[Base64Encoder.GetMaxEncodedToUtf8Length(bytes.Length)];
        Base64Encoder.EncodeToUtf8(bytes, Base64, out _, out var written);
        if (written != Base64.Length)
        {
            throw new InvalidOperationException("base64 length mismatch");
        }

        var plus = Base64.AsSpan().Count((byte)'+');
        var slash = Base64.AsSpan().Count((byte)'/');
        // '+' becomes \u002B (6 bytes instead of 1), '/' becomes \/ (2 bytes instead of 1).
        EscapedBase64Length = Base64.LongLength + 5L * plus + slash;
    }

    public int Width { get; }
    public int Height { get; }
    public ImageFormat Format { get; }
    public byte[] Bytes { get; }
    public byte[] Base64 { get; }
    public long EscapedBase64Length { get; }

    public string MediaType => Format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Webp => "image/webp",
        _ => "image/png",
    };

    public string Extension => Format switch
    {
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Webp => "webp",
        _ => "png",
    };
}

/// <summary>
/// Makes the pictures the stand-in returns: real PNGs (8-bit RGBA) and JPEG/WebP byte arrays whose headers carry
/// the right size but that need not decode. Results are cached for the life of the process, so a large
/// incompressible image is encoded once however many servers or requests use it.
/// </summary>
internal static class ImageEncoder
{
    /// <summary>Largest picture the stand-in makes (4096 x 4096 pixels); 3840x2160 fits.</summary>
    public const long MaxPixels = 4096L * 4096L;

    private static readonly ConcurrentDictionary<(int Width, int Height, ImageFormat Format, bool Incompressible), Lazy<EncodedImage>> Cache = new();

    public static EncodedImage Get(int width, int height, ImageFormat format, bool incompressible)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height > MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "image too large");
        }

        var lazy = Cache.GetOrAdd(
            (width, height, format, incompressible),
            key => new Lazy<EncodedImage>(
                () => new EncodedImage(key.Width, key.Height, key.Format, Encode(key.Width, key.Height, key.Format, key.Incompressible)),
                LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    private static byte[] Encode(int width, int height, ImageFormat format, bool incompressible) => format switch
    {
        ImageFormat.Jpeg => JpegShape(width, height, incompressible),
        ImageFormat.Webp => WebpShape(width, height, incompressible),
        _ => Png(width, height, incompressible),
    };

    /// <summary>The same seed for the same size, so every run serves the same bytes.</summary>
    private static Random SeededRandom(int width, int height) => new(unchecked(width * 7919 + height));

    // ---------------------------------------------------------------- PNG

    private static byte[] Png(int width, int height, bool incompressible)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 4]; // filter byte (0 = None) + RGBA pixels
            var random = incompressible ? SeededRandom(width, height) : null;
            for (var y = 0; y < height; y++)
            {
                if (random is not null)
                {
                    random.NextBytes(row.AsSpan(1));
                }
                else
                {
                    FillGradientRow(row.AsSpan(1), y, width, height);
                }

                zlib.Write(row);
            }
        }

        var ihdr = TestPng.Header(width, height, colourType: 6); // truecolour with alpha

        var output = new MemoryStream((int)compressed.Length + 1024);
        output.Write(TestPng.Signature);
        TestPng.WriteChunk(output, "IHDR", ihdr);
        const int idatSize = 1 << 20;
        var data = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        for (var offset = 0; offset < data.Length; offset += idatSize)
        {
            TestPng.WriteChunk(output, "IDAT", data.Slice(offset, Math.Min(idatSize, data.Length - offset)));
        }

        TestPng.WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void FillGradientRow(Span<byte> pixels, int y, int width, int height)
    {
        var g = (byte)(y * 255 / Math.Max(1, height - 1));
        for (var x = 0; x < width; x++)
        {
            var p = pixels.Slice(x * 4, 4);
            p[0] = (byte)(x * 255 / Math.Max(1, width - 1));
            p[1] = g;
            p[2] = (byte)((x + y) * 255 / Math.Max(1, width + height - 2));
            p[3] = 255;
        }
    }

    // ---------------------------------------------------------------- JPEG-shaped bytes

    /// <summary>
    /// SOI, APP0 (JFIF), SOF0 with the right size, SOS and filler "scan data" (no 0xFF bytes, so a marker scanner
    /// finds the end), EOI. Parsers that read the header see a baseline JPEG of width x height; it does not decode.
    /// </summary>
    private static byte[] JpegShape(int width, int height, bool incompressible)
    {
        var filler = FillerLength(width, height, incompressible);
        var output = new MemoryStream(filler + 64);
        output.Write([0xFF, 0xD8]); // SOI
        output.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        output.Write([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width,
            0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]); // SOF0: 8-bit, 3 components
        output.Write([0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00]); // SOS
        output.Write(FillerBytes(width, height, filler, incompressible));
        output.Write([0xFF, 0xD9]); // EOI
        return output.ToArray();
    }

    // ---------------------------------------------------------------- WebP-shaped bytes

    /// <summary>
    /// RIFF/WEBP with a VP8X chunk (canvas width-1 and height-1 as 24-bit little-endian fields) followed by a
    /// VP8L chunk whose header also carries the size, then filler. Headers are right; it does not decode.
    /// </summary>
    private static byte[] WebpShape(int width, int height, bool incompressible)
    {
        var filler = FillerBytes(width, height, FillerLength(width, height, incompressible), incompressible);

        var vp8x = new byte[10];
        WriteUInt24LittleEndian(vp8x.AsSpan(4), width - 1);
        WriteUInt24LittleEndian(vp8x.AsSpan(7), height - 1);

        var vp8l = new byte[5 + filler.Length];
        vp8l[0] = 0x2F; // VP8L signature
        var bits = (uint)((width - 1) & 0x3FFF) | ((uint)((height - 1) & 0x3FFF) << 14); // alpha hint 0, version 0
        BinaryPrimitives.WriteUInt32LittleEndian(vp8l.AsSpan(1), bits);
        filler.CopyTo(vp8l.AsSpan(5));

        var output = new MemoryStream(vp8l.Length + 64);
        output.Write("RIFF"u8);
        output.Write([0, 0, 0, 0]); // patched below
        output.Write("WEBP"u8);
        WriteRiffChunk(output, "VP8X", vp8x);
        WriteRiffChunk(output, "VP8L", vp8l);

        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    private static void WriteRiffChunk(Stream output, string fourCc, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        Encoding.ASCII.GetBytes(fourCc, header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)data.Length);
        output.Write(header);
        output.Write(data);
        if (data.Length % 2 == 1)
        {
            output.WriteByte(0); // chunks are padded to an even size
        }
    }

    private static void WriteUInt24LittleEndian(Span<byte> destination, int value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }

    // ---------------------------------------------------------------- filler for the lossy formats

    /// <summary>Roughly what a real encoder would produce: ~2 bits per pixel when "incompressible", far less otherwise.</summary>
    private static int FillerLength(int width, int height, bool incompressible) =>
        (int)Math.Max(256, (long)width * height / (incompressible ? 4 : 64));

    private static byte[] FillerBytes(int width, int height, int length, bool incompressible)
    {
        var filler = new byte[length];
        if (incompressible)
        {
            SeededRandom(width, height).NextBytes(filler);
            for (var i = 0; i < filler.Length; i++)
            {
                if (filler[i] == 0xFF)
                {
                    filler[i] = 0xFE; // no markers inside the "scan data"
                }
            }
        }
        else
        {
            for (var i = 0; i < filler.Length; i++)
            {
                filler[i] = (byte)(i / 97 % 200);
            }
        }

        return filler;
    }
}
