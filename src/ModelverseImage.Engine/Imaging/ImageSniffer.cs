using System;
using System.Buffers.Binary;
using System.IO;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Recognises PNG, JPEG and WebP images by their leading bytes (never by file name) and reads their pixel size
    /// and alpha from the header alone. Unrecognised or damaged input gives <see cref="ImageFormat.Unknown"/> or a
    /// zero size, never an exception.
    /// </summary>
    public static class ImageSniffer
    {
        // PNG: 8-byte signature, then the IHDR chunk (length, type, 13 data bytes, CRC).
        private const int PngSignatureLength = 8;
        private const int PngIhdrDataOffset = 16;
        private const int PngIhdrDataLength = 13;
        private const int PngHeaderLength = PngIhdrDataOffset + PngIhdrDataLength; // 29: enough for size and colour type

        // WebP: "RIFF" size "WEBP", then the first chunk's FourCC and size; its data starts at 20.
        private const int WebpChunkDataOffset = 20;
        private const int WebpHeaderLength = 30; // the longest header read (VP8 and VP8X) ends at byte 30

        // The most bytes needed to tell the formats apart ("RIFF....WEBP").
        private const int SniffLength = 12;

        private const int SkipBufferSize = 8192;

        public static ImageHeader Read(ReadOnlySpan<byte> bytes)
        {
            if (IsPng(bytes))
            {
                return ReadPng(bytes);
            }
            if (IsJpeg(bytes))
            {
                return ReadJpeg(bytes);
            }
            if (IsWebp(bytes))
            {
                return ReadWebp(bytes);
            }
            return default;
        }

        /// <summary>
        /// Reads the header from the stream's current position, consuming only what it needs: a few dozen bytes
        /// for PNG and WebP (plus the chunk headers before IDAT for PNG), and for JPEG the marker segments before
        /// the frame header, which are skipped by seeking when the stream can seek and by reading past them when
        /// it cannot. The stream is left wherever reading stopped.
        /// </summary>
        public static ImageHeader Read(Stream stream)
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            var start = new byte[WebpHeaderLength];
            int count = ReadFully(stream, start, 0, SniffLength);
            var sniffed = new ReadOnlySpan<byte>(start, 0, count);

            if (IsPng(sniffed))
            {
                var cursor = new StreamCursor(stream, start, PngSignatureLength, count);
                return ReadPng(cursor, start);
            }
            if (IsJpeg(sniffed))
            {
                // The walk starts at the first marker's 0xFF, byte 2.
                return ReadJpeg(new StreamCursor(stream, start, 2, count));
            }
            if (IsWebp(sniffed))
            {
                count += ReadFully(stream, start, count, WebpHeaderLength - count);
                return ReadWebp(new ReadOnlySpan<byte>(start, 0, count));
            }
            return default;
        }

        /// <summary>Opens the file for reading (others may read it too) and reads its header.</summary>
        public static ImageHeader ReadFile(string path)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.None))
            {
                return Read(stream);
            }
        }

        public static string MimeType(ImageFormat format)
        {
            switch (format)
            {
                case ImageFormat.Png: return "image/png";
                case ImageFormat.Jpeg: return "image/jpeg";
                case ImageFormat.Webp: return "image/webp";
                default: return "application/octet-stream";
            }
        }

        public static string Extension(ImageFormat format)
        {
            switch (format)
            {
                case ImageFormat.Png: return ".png";
                case ImageFormat.Jpeg: return ".jpg";
                case ImageFormat.Webp: return ".webp";
                default: return ".bin";
            }
        }

        public static string Name(ImageFormat format)
        {
            switch (format)
            {
                case ImageFormat.Png: return "png";
                case ImageFormat.Jpeg: return "jpeg";
                case ImageFormat.Webp: return "webp";
                default: return "unknown";
            }
        }

        // ---- recognition ----

        private static bool IsPng(ReadOnlySpan<byte> b) =>
            b.Length >= PngSignatureLength &&
            b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 &&
            b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A;

        private static bool IsJpeg(ReadOnlySpan<byte> b) =>
            b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;

        private static bool IsWebp(ReadOnlySpan<byte> b) =>
            b.Length >= SniffLength && IsFourCC(b, 0, "RIFF") && IsFourCC(b, 8, "WEBP");

        private static bool IsFourCC(ReadOnlySpan<byte> b, int offset, string fourCC) =>
            b.Length >= offset + 4 &&
            b[offset] == fourCC[0] && b[offset + 1] == fourCC[1] && b[offset + 2] == fourCC[2] && b[offset + 3] == fourCC[3];

        /// <summary>
        /// The most chunks (PNG) or markers and fill bytes (JPEG) a header walk looks at. Real files reach the
        /// image data within a few dozen; a crafted file of millions of empty chunks would otherwise take seconds
        /// to walk, during which Ctrl+C is not seen. Past the limit the walk stops with what it found.
        /// </summary>
        internal const int MaxWalkSteps = 1024;

        // ---- PNG ----

        private static ImageHeader ReadPng(ReadOnlySpan<byte> bytes)
        {
            if (!TryParseIhdr(bytes, out int width, out int height, out bool hasAlpha, out long ihdrLength))
            {
                return new ImageHeader(ImageFormat.Png, 0, 0, false);
            }
            if (!hasAlpha)
            {
                // Walk the chunks after IHDR (length, type, data, CRC) up to the image data, looking for tRNS.
                long pos = PngIhdrDataOffset + ihdrLength + 4;
                for (int steps = 0; pos + 8 <= bytes.Length && steps < MaxWalkSteps; steps++)
                {
                    var chunk = bytes.Slice((int)pos, 8);
                    uint length = BinaryPrimitives.ReadUInt32BigEndian(chunk);
                    PngChunk kind = ClassifyPngChunk(chunk.Slice(4));
                    if (kind == PngChunk.Transparency)
                    {
                        hasAlpha = true;
                        break;
                    }
                    if (kind == PngChunk.End)
                    {
                        break;
                    }
                    pos += 12L + length;
                }
            }
            return new ImageHeader(ImageFormat.Png, width, height, hasAlpha);
        }

        private static ImageHeader ReadPng(StreamCursor cursor, byte[] buffer)
        {
            // buffer already holds the signature and a little more (the sniff); complete the IHDR data.
            int have = cursor.PrefixEnd;
            cursor.SkipPrefix();
            have += cursor.Read(buffer, have, PngHeaderLength - have);
            if (!TryParseIhdr(new ReadOnlySpan<byte>(buffer, 0, have), out int width, out int height, out bool hasAlpha, out long ihdrLength))
            {
                return new ImageHeader(ImageFormat.Png, 0, 0, false);
            }
            if (!hasAlpha && cursor.Skip(ihdrLength - PngIhdrDataLength + 4))
            {
                var chunk = new byte[8];
                for (int steps = 0; steps < MaxWalkSteps && cursor.Read(chunk, 0, 8) == 8; steps++)
                {
                    uint length = BinaryPrimitives.ReadUInt32BigEndian(chunk);
                    PngChunk kind = ClassifyPngChunk(new ReadOnlySpan<byte>(chunk, 4, 4));
                    if (kind == PngChunk.Transparency)
                    {
                        hasAlpha = true;
                        break;
                    }
                    if (kind == PngChunk.End || !cursor.Skip(length + 4L))
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
            if (bytes.Length < PngHeaderLength || !IsFourCC(bytes, 12, "IHDR"))
            {
                return false;
            }
            ihdrLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(8));
            uint w = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(16));
            uint h = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(20));
            if (ihdrLength < PngIhdrDataLength || w > int.MaxValue || h > int.MaxValue)
            {
                return false;
            }
            byte colourType = bytes[25];
            width = (int)w;
            height = (int)h;
            hasAlpha = colourType == 4 || colourType == 6; // grey + alpha, RGBA
            return true;
        }

        private enum PngChunk { Other, Transparency, End }

        private static PngChunk ClassifyPngChunk(ReadOnlySpan<byte> type)
        {
            if (IsFourCC(type, 0, "tRNS"))
            {
                return PngChunk.Transparency;
            }
            // A tRNS chunk must come before the image data, so the walk ends there.
            return IsFourCC(type, 0, "IDAT") || IsFourCC(type, 0, "IEND") ? PngChunk.End : PngChunk.Other;
        }

        // ---- JPEG ----

        // Frame headers SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
        private static bool IsStartOfFrame(int marker) =>
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;

        // Markers with no length field: TEM, RST0-7, SOI.
        private static bool IsStandalone(int marker) => marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8);

        // EOI, SOS (entropy-coded data follows; a frame header would have come first) or a stuffed zero.
        private static bool EndsWalk(int marker) => marker == 0xD9 || marker == 0xDA || marker == 0x00;

        private static ImageHeader ReadJpeg(ReadOnlySpan<byte> bytes)
        {
            var none = new ImageHeader(ImageFormat.Jpeg, 0, 0, false);
            long pos = 2;
            for (int steps = 0; steps < MaxWalkSteps; steps++)
            {
                if (pos >= bytes.Length || bytes[(int)pos] != 0xFF)
                {
                    return none;
                }
                while (pos < bytes.Length && bytes[(int)pos] == 0xFF && steps++ < MaxWalkSteps)
                {
                    pos++; // fill bytes
                }
                if (pos >= bytes.Length)
                {
                    return none;
                }
                int marker = bytes[(int)pos++];
                if (EndsWalk(marker))
                {
                    return none;
                }
                if (IsStandalone(marker))
                {
                    continue;
                }
                if (pos + 2 > bytes.Length)
                {
                    return none;
                }
                int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice((int)pos));
                if (length < 2)
                {
                    return none;
                }
                if (IsStartOfFrame(marker))
                {
                    // length(2) precision(1) height(2) width(2)
                    if (length < 7 || pos + 7 > bytes.Length)
                    {
                        return none;
                    }
                    return FrameHeader(bytes.Slice((int)pos + 3, 4));
                }
                pos += length;
            }
            return none;
        }

        private static ImageHeader ReadJpeg(StreamCursor cursor)
        {
            var none = new ImageHeader(ImageFormat.Jpeg, 0, 0, false);
            var field = new byte[7];
            int b = cursor.ReadByte();
            for (int steps = 0; steps < MaxWalkSteps; steps++)
            {
                if (b != 0xFF)
                {
                    return none;
                }
                while (b == 0xFF && steps++ < MaxWalkSteps)
                {
                    b = cursor.ReadByte(); // fill bytes
                }
                if (b < 0)
                {
                    return none;
                }
                int marker = b;
                if (EndsWalk(marker))
                {
                    return none;
                }
                if (!IsStandalone(marker))
                {
                    if (cursor.Read(field, 0, 2) != 2)
                    {
                        return none;
                    }
                    int length = BinaryPrimitives.ReadUInt16BigEndian(field);
                    if (length < 2)
                    {
                        return none;
                    }
                    if (IsStartOfFrame(marker))
                    {
                        if (length < 7 || cursor.Read(field, 2, 5) != 5)
                        {
                            return none;
                        }
                        return FrameHeader(new ReadOnlySpan<byte>(field, 3, 4));
                    }
                    if (!cursor.Skip(length - 2))
                    {
                        return none;
                    }
                }
                b = cursor.ReadByte();
            }
            return none;
        }

        private static ImageHeader FrameHeader(ReadOnlySpan<byte> heightThenWidth) =>
            new ImageHeader(
                ImageFormat.Jpeg,
                BinaryPrimitives.ReadUInt16BigEndian(heightThenWidth.Slice(2)),
                BinaryPrimitives.ReadUInt16BigEndian(heightThenWidth),
                false);

        // ---- WebP ----

        private static ImageHeader ReadWebp(ReadOnlySpan<byte> bytes)
        {
            var none = new ImageHeader(ImageFormat.Webp, 0, 0, false);
            const int d = WebpChunkDataOffset;
            if (IsFourCC(bytes, 12, "VP8 "))
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
            if (IsFourCC(bytes, 12, "VP8L"))
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
            if (IsFourCC(bytes, 12, "VP8X"))
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

        // ---- stream helpers ----

        private static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = stream.Read(buffer, offset + total, count - total);
                if (read <= 0)
                {
                    break;
                }
                total += read;
            }
            return total;
        }

        /// <summary>Reads first from bytes already taken from the stream, then from the stream itself.</summary>
        private sealed class StreamCursor
        {
            private readonly Stream _stream;
            private readonly byte[] _prefix;
            private int _prefixPos;
            private byte[]? _skipBuffer;

            public StreamCursor(Stream stream, byte[] prefix, int prefixPos, int prefixEnd)
            {
                _stream = stream;
                _prefix = prefix;
                _prefixPos = Math.Min(prefixPos, prefixEnd);
                PrefixEnd = prefixEnd;
            }

            public int PrefixEnd { get; }

            public void SkipPrefix() => _prefixPos = PrefixEnd;

            public int ReadByte()
            {
                if (_prefixPos < PrefixEnd)
                {
                    return _prefix[_prefixPos++];
                }
                return _stream.ReadByte();
            }

            private bool TrySeek(long count, out bool inside)
            {
                long remaining;
                try
                {
                    remaining = _stream.Length - _stream.Position;
                }
                catch (NotSupportedException)
                {
                    inside = false;
                    return false; // claims to seek but cannot say where it is: read past instead
                }
                inside = count <= remaining;
                // Never seek beyond the end: some streams refuse to, and nothing is there to read anyway.
                _stream.Seek(inside ? count : Math.Max(remaining, 0), SeekOrigin.Current);
                return true;
            }

            /// <summary>Reads up to count bytes; fewer only at the end of the stream.</summary>
            public int Read(byte[] buffer, int offset, int count)
            {
                int fromPrefix = Math.Min(count, PrefixEnd - _prefixPos);
                if (fromPrefix > 0)
                {
                    Buffer.BlockCopy(_prefix, _prefixPos, buffer, offset, fromPrefix);
                    _prefixPos += fromPrefix;
                }
                return fromPrefix + ReadFully(_stream, buffer, offset + fromPrefix, count - fromPrefix);
            }

            /// <summary>Moves past count bytes, by seeking when the stream can; false when its end came first.</summary>
            public bool Skip(long count)
            {
                if (count < 0)
                {
                    return false;
                }
                int fromPrefix = (int)Math.Min(count, PrefixEnd - _prefixPos);
                _prefixPos += fromPrefix;
                count -= fromPrefix;
                if (count == 0)
                {
                    return true;
                }
                if (_stream.CanSeek && TrySeek(count, out bool inside))
                {
                    return inside;
                }
                _skipBuffer ??= new byte[SkipBufferSize];
                while (count > 0)
                {
                    int read = _stream.Read(_skipBuffer, 0, (int)Math.Min(count, _skipBuffer.Length));
                    if (read <= 0)
                    {
                        return false;
                    }
                    count -= read;
                }
                return true;
            }
        }
    }
}
