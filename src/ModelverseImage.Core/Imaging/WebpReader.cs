using System;
using System.Buffers.Binary;

namespace ModelverseImage.Imaging
{
    /// <summary>Reads a WebP's size and alpha from its first chunk (VP8, VP8L or VP8X), all within the first 30 bytes.</summary>
    internal static class WebpReader
    {
        // "RIFF" size "WEBP", then the first chunk's FourCC and size; its data starts at 20.
        private const int ChunkDataOffset = 20;

        /// <summary>The longest header read (VP8 and VP8X) ends at byte 30.</summary>
        public const int HeaderLength = 30;

        /// <summary>The bytes needed to tell it from the other formats ("RIFF....WEBP").</summary>
        public const int SniffLength = 12;

        public static bool IsWebp(ReadOnlySpan<byte> b) =>
            b.Length >= SniffLength && ImageSniffer.IsFourCC(b, 0, "RIFF") && ImageSniffer.IsFourCC(b, 8, "WEBP");

        public static ImageHeader Read(ReadOnlySpan<byte> bytes)
        {
            var none = new ImageHeader(ImageFormat.Webp, 0, 0, false);
            const int d = ChunkDataOffset;
            if (ImageSniffer.IsFourCC(bytes, 12, "VP8 "))
            {
                // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (2 scale bits above).
                if (bytes.Length < d + 10 || bytes[d + 3] != 0x9D || bytes[d + 4] != 0x01 || bytes[d + 5] != 0x2A)
                {
                    return none;
                }
                int width = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(d + 6)) & 0x3FFF;
                int height = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(d + 8)) & 0x3FFF;
                return new ImageHeader(ImageFormat.Webp, width, height, false);
            }
            if (ImageSniffer.IsFourCC(bytes, 12, "VP8L"))
            {
                // Lossless: signature 0x2F, then width-1 (14 bits), height-1 (14 bits), alpha hint (1 bit).
                if (bytes.Length < d + 5 || bytes[d] != 0x2F)
                {
                    return none;
                }
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(d + 1));
                int width = (int)(bits & 0x3FFF) + 1;
                int height = (int)((bits >> 14) & 0x3FFF) + 1;
                bool alpha = ((bits >> 28) & 1) != 0;
                return new ImageHeader(ImageFormat.Webp, width, height, alpha);
            }
            if (ImageSniffer.IsFourCC(bytes, 12, "VP8X"))
            {
                // Extended: flags (alpha = 0x10), 3 reserved bytes, canvas width-1 and height-1 as 24-bit values.
                if (bytes.Length < d + 10)
                {
                    return none;
                }
                bool alpha = (bytes[d] & 0x10) != 0;
                int width = ReadUInt24LittleEndian(bytes.Slice(d + 4)) + 1;
                int height = ReadUInt24LittleEndian(bytes.Slice(d + 7)) + 1;
                return new ImageHeader(ImageFormat.Webp, width, height, alpha);
            }
            return none;
        }

        private static int ReadUInt24LittleEndian(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);
    }
}
