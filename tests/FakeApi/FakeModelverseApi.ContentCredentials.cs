using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using ModelverseImage.TestKit;

namespace ModelverseImage.FakeApi;

// Answers whose images carry content credentials (C2PA), as some providers sign what they make.
public sealed partial class FakeModelverseApi
{
    private volatile bool _contentCredentials;

    /// <summary>
    /// Every image answered carries a C2PA manifest store: a PNG caBX chunk after IHDR, a JPEG APP11 JUMBF segment
    /// after APP0, a WebP C2PA chunk at the end. The box inside is a stand-in, not a signed manifest.
    /// </summary>
    public bool ContentCredentials
    {
        get => _contentCredentials;
        set => _contentCredentials = value;
    }

    /// <summary>The image of an answer: <see cref="ImageEncoder.Get"/>, with content credentials when <see cref="ContentCredentials"/> is set.</summary>
    private EncodedImage AnswerImage(ImageRequest parsed)
    {
        var image = ImageEncoder.Get(parsed.Width, parsed.Height, parsed.Format, IncompressibleImages);
        return ContentCredentials ? SignedImages.Of(image) : image;
    }
}

/// <summary>Copies of the stand-in's images with a C2PA manifest store added, made once per image.</summary>
internal static class SignedImages
{
    private static readonly ConcurrentDictionary<EncodedImage, Lazy<EncodedImage>> Cache = new();

    // A JUMBF superbox ("jumb") with a description box labelled c2pa: the shape, not a real manifest.
    private static readonly byte[] Jumbf = Box("jumb", Box("jumd", [.. Encoding.ASCII.GetBytes("c2pa"), 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71, 0x03, 0x03, (byte)'c', (byte)'2', (byte)'p', (byte)'a', 0x00]));

    public static EncodedImage Of(EncodedImage image) =>
        Cache.GetOrAdd(image, i => new Lazy<EncodedImage>(() => new EncodedImage(i.Width, i.Height, i.Format, Sign(i)))).Value;

    private static byte[] Sign(EncodedImage image)
    {
        var bytes = image.Bytes;
        switch (image.Format)
        {
            case ImageFormat.Png:
                var chunk = new MemoryStream();
                TestPng.WriteChunk(chunk, "caBX", Jumbf);
                var ihdrEnd = 8 + 12 + BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
                return [.. bytes.AsSpan(0, ihdrEnd), .. chunk.ToArray(), .. bytes.AsSpan(ihdrEnd)];
            case ImageFormat.Jpeg:
                // APP11: common identifier "JP", instance 1, sequence 1, then the box.
                byte[] payload = [(byte)'J', (byte)'P', 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, .. Jumbf];
                byte[] segment = [0xFF, 0xEB, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];
                var app0End = 2 + 2 + BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4));
                return [.. bytes.AsSpan(0, app0End), .. segment, .. bytes.AsSpan(app0End)];
            default:
                var c2pa = new byte[8 + Jumbf.Length + (Jumbf.Length & 1)];
                Encoding.ASCII.GetBytes("C2PA", c2pa);
                BinaryPrimitives.WriteUInt32LittleEndian(c2pa.AsSpan(4), (uint)Jumbf.Length);
                Jumbf.CopyTo(c2pa, 8);
                byte[] webp = [.. bytes, .. c2pa];
                BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4), (uint)(webp.Length - 8));
                return webp;
        }
    }

    private static byte[] Box(string type, byte[] content)
    {
        var box = new byte[8 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        content.CopyTo(box, 8);
        return box;
    }
}
