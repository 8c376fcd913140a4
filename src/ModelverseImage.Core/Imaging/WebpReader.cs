using System;
using System.Buffers.Binary;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// The one walk over a WebP's RIFF chunks: its size and alpha from the first chunk (VP8, VP8L or VP8X), its XMP
    /// ("XMP " chunk), content credentials ("C2PA" chunk), the VP8X chunk and where the RIFF data ends (a new XMP
    /// chunk goes there).
    /// </summary>
    internal static class WebpReader
    {
        /// <summary>The bytes needed to tell it from the other formats ("RIFF....WEBP").</summary>
        public const int SniffLength = 12;

        // The first chunk's data starts at 20; its header fields lie in its first 10 bytes.
        private const int FirstChunkHeader = 10;

        public static bool IsWebp(ReadOnlySpan<byte> b) =>
            b.Length >= SniffLength && ImageSniffer.IsFourCC(b, 0, "RIFF") && ImageSniffer.IsFourCC(b, 8, "WEBP");

        /// <summary>Walks from the cursor at "RIFF", as far as <paramref name="goal"/> asks.</summary>
        public static void Walk(ref ByteCursor cursor, ImageLayout layout, WalkGoal goal, int maxSteps)
        {
            if (!cursor.TryRead(SniffLength, out var riff))
            {
                layout.Fault = ImageFault.EndsEarly;
                return;
            }
            uint riffSize = BinaryPrimitives.ReadUInt32LittleEndian(riff.Slice(4));
            long end = 8L + riffSize;
            layout.RiffEnd = end;
            if (!cursor.TryRead(8, out var first))
            {
                layout.Fault = ImageFault.LengthPastEnd;
                return;
            }
            // Read out before the next read: from a stream, both come through one scratch buffer.
            var kind = ImageSniffer.IsFourCC(first, 0, "VP8X") ? FirstChunk.Extended
                : ImageSniffer.IsFourCC(first, 0, "VP8 ") ? FirstChunk.Lossy
                : ImageSniffer.IsFourCC(first, 0, "VP8L") ? FirstChunk.Lossless
                : FirstChunk.Other;
            bool vp8x = kind == FirstChunk.Extended;
            long size = BinaryPrimitives.ReadUInt32LittleEndian(first.Slice(4));
            if (!cursor.TryRead((int)Math.Min(size, FirstChunkHeader), out var data))
            {
                layout.Fault = ImageFault.LengthPastEnd;
                return;
            }
            layout.Header = ReadHeader(kind, data);
            if (goal == WalkGoal.Header)
            {
                return;
            }
            if (vp8x)
            {
                layout.Vp8xAt = SniffLength;
                layout.Vp8xSize = (int)Math.Min(size, int.MaxValue);
            }
            if (riffSize < 4 || kind == FirstChunk.Other || (vp8x && size < FirstChunkHeader))
            {
                layout.Fault = ImageFault.Malformed;
                return;
            }
            long at = SniffLength;
            for (int steps = 1; ; steps++)
            {
                long next = at + 8 + size + (size & 1);
                if (next > end && at + 8 + size == end)
                {
                    next = end; // a last odd chunk without its pad byte
                }
                if (next > end || !cursor.Skip(next - cursor.Position))
                {
                    layout.Fault = ImageFault.LengthPastEnd; // past the RIFF size, or the file ends before it
                    return;
                }
                if (next == end)
                {
                    layout.InsertAt = end;
                    return;
                }
                if (steps >= maxSteps)
                {
                    layout.Fault = ImageFault.TooLong;
                    return;
                }
                at = next;
                if (!cursor.TryRead(8, out var chunk))
                {
                    layout.Fault = ImageFault.LengthPastEnd;
                    return;
                }
                size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.Slice(4));
                if (ImageSniffer.IsFourCC(chunk, 0, "C2PA"))
                {
                    layout.HasContentCredentials = true;
                }
                else if (ImageSniffer.IsFourCC(chunk, 0, "XMP "))
                {
                    layout.XmpBlocks.Add((at, Math.Min(at + 8 + size + (size & 1), end)));
                    if (goal == WalkGoal.Record && layout.XmpBlocks.Count == 1)
                    {
                        if (size <= XmpPacket.MaxBytes && at + 8 + size <= end)
                        {
                            var packet = new byte[size];
                            layout.Xmp = cursor.TryReadInto(packet) ? packet : null;
                        }
                        return; // the header came first
                    }
                }
            }
        }

        private enum FirstChunk { Other, Lossy, Lossless, Extended }

        /// <summary>Size and alpha from up to 10 bytes of the first chunk's data.</summary>
        private static ImageHeader ReadHeader(FirstChunk kind, ReadOnlySpan<byte> data)
        {
            var none = new ImageHeader(ImageFormat.Webp, 0, 0, false);
            if (kind == FirstChunk.Lossy)
            {
                // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (2 scale bits above).
                if (data.Length < 10 || data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
                {
                    return none;
                }
                int width = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(6)) & 0x3FFF;
                int height = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(8)) & 0x3FFF;
                return new ImageHeader(ImageFormat.Webp, width, height, false);
            }
            if (kind == FirstChunk.Lossless)
            {
                // Lossless: signature 0x2F, then width-1 (14 bits), height-1 (14 bits), alpha hint (1 bit).
                if (data.Length < 5 || data[0] != 0x2F)
                {
                    return none;
                }
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(1));
                return new ImageHeader(ImageFormat.Webp, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, ((bits >> 28) & 1) != 0);
            }
            if (kind == FirstChunk.Extended && data.Length >= 10)
            {
                // Extended: flags (alpha = 0x10), 3 reserved bytes, canvas width-1 and height-1 as 24-bit values.
                return new ImageHeader(ImageFormat.Webp, ReadUInt24LittleEndian(data.Slice(4)) + 1, ReadUInt24LittleEndian(data.Slice(7)) + 1, (data[0] & 0x10) != 0);
            }
            return none;
        }

        private static int ReadUInt24LittleEndian(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);
    }
}
