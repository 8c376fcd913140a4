using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// The one walk over a PNG's chunks: its size from IHDR, its alpha from the colour type or a tRNS chunk before
    /// the image data, its XMP (an iTXt "XML:com.adobe.xmp", compressed or not, before or after the image data),
    /// content credentials (caBX), and where a new XMP chunk goes (before the first IDAT).
    /// </summary>
    internal static class PngReader
    {
        public static bool IsPng(ReadOnlySpan<byte> b) =>
            b.Length >= SignatureLength &&
            b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 &&
            b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A;

        /// <summary>The keyword that opens an XMP iTXt chunk, with its terminating zero.</summary>
        internal static readonly byte[] XmpKeyword = Encoding.ASCII.GetBytes("XML:com.adobe.xmp\0");

        // 8-byte signature, then the IHDR chunk (length, type, 13 data bytes, CRC).
        private const int SignatureLength = 8;
        private const int IhdrDataLength = 13;
        private const int HeaderLength = 16 + IhdrDataLength; // 29: enough for size and colour type

        /// <summary>Walks from the cursor at the signature's first byte, as far as <paramref name="goal"/> asks.</summary>
        public static void Walk(ref ByteCursor cursor, ImageLayout layout, WalkGoal goal, int maxSteps)
        {
            if (!cursor.TryRead(HeaderLength, out var header))
            {
                layout.Fault = ImageFault.EndsEarly;
                return;
            }
            if (!TryParseIhdr(header, out int width, out int height, out bool hasAlpha, out long ihdrLength))
            {
                layout.Fault = ImageFault.Malformed;
                return;
            }
            layout.Header = new ImageHeader(ImageFormat.Png, width, height, hasAlpha);
            if (goal == WalkGoal.Header && hasAlpha)
            {
                return; // nothing more to learn
            }
            if (!cursor.Skip(ihdrLength - IhdrDataLength + 4))
            {
                layout.Fault = ImageFault.LengthPastEnd;
                return;
            }
            bool inImage = false;
            for (int steps = 0; ; steps++)
            {
                if (steps >= maxSteps)
                {
                    layout.Fault = ImageFault.TooLong;
                    return;
                }
                long at = cursor.Position;
                if (!cursor.TryRead(8, out var chunk))
                {
                    layout.Fault = ImageFault.EndsEarly; // no IEND
                    return;
                }
                long length = BinaryPrimitives.ReadUInt32BigEndian(chunk);
                if (length > int.MaxValue)
                {
                    layout.Fault = ImageFault.Malformed;
                    return;
                }
                var type = chunk.Slice(4, 4);
                long end = at + 12 + length;
                bool isEnd = ImageSniffer.IsFourCC(type, 0, "IEND");
                if (isEnd || ImageSniffer.IsFourCC(type, 0, "IDAT"))
                {
                    if (!inImage)
                    {
                        layout.InsertAt = at;
                        inImage = true;
                    }
                }
                else if (!inImage && ImageSniffer.IsFourCC(type, 0, "tRNS"))
                {
                    layout.Header = new ImageHeader(ImageFormat.Png, width, height, true);
                    if (goal == WalkGoal.Header)
                    {
                        return;
                    }
                }
                else if (ImageSniffer.IsFourCC(type, 0, "caBX"))
                {
                    layout.HasContentCredentials = true;
                }
                else if (ImageSniffer.IsFourCC(type, 0, "iTXt"))
                {
                    ReadText(ref cursor, layout, goal, at, length);
                }
                // A tRNS chunk must come before the image data, so the header is known there; XMP may come later.
                if (inImage && (goal == WalkGoal.Header || (goal == WalkGoal.Record && layout.XmpBlocks.Count > 0)))
                {
                    return;
                }
                if (!cursor.Skip(end - cursor.Position))
                {
                    layout.Fault = ImageFault.LengthPastEnd;
                    return;
                }
                if (isEnd)
                {
                    return;
                }
            }
        }

        /// <summary>An iTXt chunk: noted when it is XMP, and its text read when the walk reads the record.</summary>
        private static void ReadText(ref ByteCursor cursor, ImageLayout layout, WalkGoal goal, long at, long length)
        {
            // keyword\0, compression flag, method, language\0, translated keyword\0, text
            if (length < XmpKeyword.Length || !cursor.TryRead(XmpKeyword.Length, out var keyword) || !keyword.SequenceEqual(XmpKeyword))
            {
                return;
            }
            layout.XmpBlocks.Add((at, at + 12 + length));
            long rest = length - XmpKeyword.Length;
            if (goal != WalkGoal.Record || layout.XmpBlocks.Count > 1 || rest > XmpPacket.MaxBytes + 1024)
            {
                return;
            }
            var data = new byte[rest];
            if (cursor.TryReadInto(data))
            {
                layout.Xmp = TextOf(data);
            }
        }

        /// <summary>The text of an iTXt chunk's data after the keyword: stored, or inflated (zlib) up to <see cref="XmpPacket.MaxBytes"/>.</summary>
        private static byte[]? TextOf(byte[] data)
        {
            if (data.Length < 4)
            {
                return null;
            }
            int flag = data[0], method = data[1];
            int at = 2;
            for (int zeros = 0; zeros < 2; at++)
            {
                if (at >= data.Length)
                {
                    return null;
                }
                if (data[at] == 0)
                {
                    zeros++;
                }
            }
            if (flag == 0)
            {
                var text = new byte[data.Length - at];
                Buffer.BlockCopy(data, at, text, 0, text.Length);
                return text;
            }
            return flag == 1 && method == 0 ? Inflate(data, at, data.Length - at, XmpPacket.MaxBytes) : null;
        }

        /// <summary>A zlib stream inflated; null when it is damaged or inflates past <paramref name="maxBytes"/>.</summary>
        private static byte[]? Inflate(byte[] data, int offset, int count, int maxBytes)
        {
            if (count < 2 || (data[offset] & 0x0F) != 8)
            {
                return null; // a zlib header names deflate (method 8)
            }
            try
            {
                using (var inflater = new DeflateStream(new MemoryStream(data, offset + 2, count - 2, writable: false), CompressionMode.Decompress))
                using (var output = new MemoryStream())
                {
                    var buffer = new byte[8192];
                    int read;
                    while ((read = inflater.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        if (output.Length + read > maxBytes)
                        {
                            return null;
                        }
                        output.Write(buffer, 0, read);
                    }
                    return output.ToArray();
                }
            }
            catch (InvalidDataException)
            {
                return null;
            }
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
            if (ihdrLength < IhdrDataLength || ihdrLength > int.MaxValue || w > int.MaxValue || h > int.MaxValue)
            {
                return false;
            }
            byte colourType = bytes[25];
            width = (int)w;
            height = (int)h;
            hasAlpha = colourType == 4 || colourType == 6; // grey + alpha, RGBA
            return true;
        }
    }
}
