using System;
using System.Buffers.Binary;

namespace ModelverseImage.Imaging
{
    /// <summary>Reads a PNG's size from IHDR and its alpha from the colour type or a tRNS chunk before the image data.</summary>
    internal static class PngReader
    {
        public static bool IsPng(ReadOnlySpan<byte> b) =>
            b.Length >= SignatureLength &&
            b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 &&
            b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A;

        // 8-byte signature, then the IHDR chunk (length, type, 13 data bytes, CRC).
        private const int SignatureLength = 8;
        private const int IhdrDataLength = 13;
        private const int HeaderLength = 16 + IhdrDataLength; // 29: enough for size and colour type

        /// <summary>Reads from the cursor at the signature's first byte.</summary>
        public static ImageHeader Read(ref ByteCursor cursor)
        {
            if (!cursor.TryRead(HeaderLength, out var header)
                || !TryParseIhdr(header, out int width, out int height, out bool hasAlpha, out long ihdrLength))
            {
                return new ImageHeader(ImageFormat.Png, 0, 0, false);
            }
            // Walk the chunks after IHDR (length, type, data, CRC) up to the image data, looking for tRNS.
            if (!hasAlpha && cursor.Skip(ihdrLength - IhdrDataLength + 4))
            {
                for (int steps = 0; steps < ImageSniffer.MaxWalkSteps && cursor.TryRead(8, out var chunk); steps++)
                {
                    uint length = BinaryPrimitives.ReadUInt32BigEndian(chunk);
                    Chunk kind = Classify(chunk.Slice(4));
                    if (kind == Chunk.Transparency)
                    {
                        hasAlpha = true;
                        break;
                    }
                    if (kind == Chunk.End || !cursor.Skip(length + 4L))
                    {
                        break;
                    }
                }
            }
            return new ImageHeader(ImageFormat.Png, width, height, hasAlpha);
        }

        private static bool TryParseIhdr(ReadOnlySpan<byte> bytes, out int width, out int height, out bool hasAlpha, out long ihdrLength)
        {
            width = height = 0;
            hasAlpha = false;
            ihdrLength = 0;
            if (!ImageSniffer.IsFourCC(bytes, 12, "IHDR"))
            {
                return false;
            }
            ihdrLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(8));
            uint w = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(16));
            uint h = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(20));
            if (ihdrLength < IhdrDataLength || w > int.MaxValue || h > int.MaxValue)
            {
                return false;
            }
            byte colourType = bytes[25];
            width = (int)w;
            height = (int)h;
            hasAlpha = colourType == 4 || colourType == 6; // grey + alpha, RGBA
            return true;
        }

        private enum Chunk { Other, Transparency, End }

        private static Chunk Classify(ReadOnlySpan<byte> type)
        {
            if (ImageSniffer.IsFourCC(type, 0, "tRNS"))
            {
                return Chunk.Transparency;
            }
            // A tRNS chunk must come before the image data, so the walk ends there.
            return ImageSniffer.IsFourCC(type, 0, "IDAT") || ImageSniffer.IsFourCC(type, 0, "IEND") ? Chunk.End : Chunk.Other;
        }
    }
}
