using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using ModelverseImage.Imaging;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// One pass over an image's chunk (PNG, WebP) or marker segment (JPEG) list, reading only their headers and
    /// seeking past their data: where XMP sits or would go, whether content credentials (C2PA) are present, and
    /// for WebP the VP8X chunk. Never decodes, never reads image data. Damaged or unknown input gives
    /// <see cref="Recognised"/> false, never an exception.
    /// </summary>
    internal sealed class ContainerScan
    {
        /// <summary>Steps a walk over a file on disk takes at most (the rerun index reads many files).</summary>
        internal const int FileWalkSteps = 4096;

        /// <summary>Steps a walk over an image in memory takes at most: a 4K PNG in 8 KB IDAT chunks has a few thousand.</summary>
        internal const int MemoryWalkSteps = 1 << 20;

        private const string XmpKeyword = "XML:com.adobe.xmp";
        internal static readonly byte[] JpegXmpNamespace = Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0");

        public ImageFormat Format { get; private set; }

        /// <summary>The walk understood the container up to where it had to (and, when writing, to its end).</summary>
        public bool Recognised { get; private set; }

        /// <summary>A PNG caBX chunk, a JPEG APP11 JUMBF segment or a WebP C2PA chunk was seen.</summary>
        public bool HasContentCredentials { get; private set; }

        /// <summary>Where the new XMP chunk or segment goes (PNG: before the first IDAT; JPEG: after SOI, JFIF and Exif; WebP: the end).</summary>
        public long InsertAt { get; private set; } = -1;

        /// <summary>An existing XMP chunk or segment, whole (header to padding), or -1.</summary>
        public long XmpStart { get; private set; } = -1;
        public long XmpEnd { get; private set; } = -1;

        /// <summary>Where the XMP packet itself lies inside that chunk or segment.</summary>
        public long XmpPacketStart { get; private set; } = -1;
        public int XmpPacketLength { get; private set; }

        /// <summary>WebP: offset of the VP8X chunk (-1 for a simple VP8/VP8L file) and where the RIFF data ends.</summary>
        public long Vp8xAt { get; private set; } = -1;
        public long RiffEnd { get; private set; } = -1;

        /// <summary>
        /// Walks <paramref name="stream"/> from its start. With <paramref name="headerOnly"/> a PNG or JPEG walk
        /// stops at the image data (IDAT, SOS), where no XMP of ours can follow; a WebP walk always reads every
        /// chunk header, as XMP comes after the image data there.
        /// </summary>
        public static ContainerScan Scan(Stream stream, bool headerOnly, int maxSteps)
        {
            var scan = new ContainerScan();
            try
            {
                var start = new byte[12];
                int read = ReadFully(stream, start, 12);
                var head = new ReadOnlySpan<byte>(start, 0, read);
                if (read >= 8 && start[0] == 0x89 && start[1] == 0x50 && start[2] == 0x4E && start[3] == 0x47)
                {
                    scan.Format = ImageFormat.Png;
                    scan.WalkPng(stream, headerOnly, maxSteps);
                }
                else if (read >= 3 && start[0] == 0xFF && start[1] == 0xD8 && start[2] == 0xFF)
                {
                    scan.Format = ImageFormat.Jpeg;
                    scan.WalkJpeg(stream, maxSteps);
                }
                else if (read == 12 && ImageSniffer.IsFourCC(head, 0, "RIFF") && ImageSniffer.IsFourCC(head, 8, "WEBP"))
                {
                    scan.Format = ImageFormat.Webp;
                    scan.WalkWebp(stream, BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(4)), maxSteps);
                }
            }
            catch (IOException)
            {
                scan.Recognised = false;
            }
            return scan;
        }

        /// <summary>The existing XMP packet's bytes, read from the stream the scan walked; null when there is none.</summary>
        public byte[]? ReadXmp(Stream stream)
        {
            if (XmpPacketStart < 0 || XmpPacketLength <= 0) return null;
            stream.Position = XmpPacketStart;
            var packet = new byte[XmpPacketLength];
            return ReadFully(stream, packet, packet.Length) == packet.Length ? packet : null;
        }

        private void WalkPng(Stream stream, bool headerOnly, int maxSteps)
        {
            long length = stream.Length;
            long pos = 8;
            var header = new byte[8];
            var keyword = new byte[XmpKeyword.Length + 1];
            for (int steps = 0; steps < maxSteps; steps++)
            {
                if (pos + 12 > length) return; // no IEND: damaged
                stream.Position = pos;
                if (ReadFully(stream, header, 8) != 8) return;
                long dataLength = BinaryPrimitives.ReadUInt32BigEndian(header);
                long next = pos + 12 + dataLength;
                if (dataLength > int.MaxValue || next > length) return;
                var type = new ReadOnlySpan<byte>(header, 4, 4);
                if (ImageSniffer.IsFourCC(type, 0, "IDAT") || ImageSniffer.IsFourCC(type, 0, "IEND"))
                {
                    if (InsertAt < 0) InsertAt = pos;
                    if (ImageSniffer.IsFourCC(type, 0, "IEND") || headerOnly)
                    {
                        Recognised = steps > 0 && InsertAt > 8;
                        return;
                    }
                }
                else if (ImageSniffer.IsFourCC(type, 0, "caBX"))
                {
                    HasContentCredentials = true;
                }
                else if (ImageSniffer.IsFourCC(type, 0, "iTXt") && XmpStart < 0 && dataLength > keyword.Length + 4
                    && ReadFully(stream, keyword, keyword.Length) == keyword.Length
                    && Encoding.ASCII.GetString(keyword, 0, XmpKeyword.Length) == XmpKeyword && keyword[XmpKeyword.Length] == 0)
                {
                    // keyword\0, compression flag, method, language\0, translated keyword\0, text
                    int flag = stream.ReadByte();
                    stream.ReadByte();
                    long textStart = SkipPastZero(stream, pos + 8 + dataLength, 2);
                    if (flag == 0 && textStart > 0)
                    {
                        XmpStart = pos;
                        XmpEnd = next;
                        XmpPacketStart = textStart;
                        XmpPacketLength = (int)(pos + 8 + dataLength - textStart);
                    }
                }
                pos = next;
            }
        }

        private void WalkJpeg(Stream stream, int maxSteps)
        {
            long length = stream.Length;
            long pos = 2;
            bool leading = true; // still in the run of APP0 (JFIF) and APP1 (Exif) right after SOI
            InsertAt = 2;
            var header = new byte[4];
            var ident = new byte[JpegXmpNamespace.Length];
            for (int steps = 0; steps < maxSteps; steps++)
            {
                stream.Position = pos;
                if (ReadFully(stream, header, 4) != 4 || header[0] != 0xFF) return;
                int marker = header[1];
                if (marker == 0xFF)
                {
                    pos++; // fill byte
                    continue;
                }
                if (marker == 0xDA)
                {
                    Recognised = true; // the scan starts: everything of interest comes before it
                    return;
                }
                if (marker == 0xD9 || marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) return;
                int segmentLength = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(header, 2, 2));
                long next = pos + 2 + segmentLength;
                if (segmentLength < 2 || next > length) return;
                int identLength = ReadFully(stream, ident, Math.Min(ident.Length, segmentLength - 2));
                bool isXmp = marker == 0xE1 && identLength == ident.Length && ident.AsSpan().SequenceEqual(JpegXmpNamespace);
                bool isExif = marker == 0xE1 && identLength >= 6 && ident[0] == (byte)'E' && ident[1] == (byte)'x' && ident[2] == (byte)'i' && ident[3] == (byte)'f' && ident[4] == 0;
                if (marker == 0xEB && identLength >= 2 && ident[0] == (byte)'J' && ident[1] == (byte)'P') HasContentCredentials = true;
                if (isXmp && XmpStart < 0)
                {
                    XmpStart = pos;
                    XmpEnd = next;
                    XmpPacketStart = pos + 4 + ident.Length;
                    XmpPacketLength = segmentLength - 2 - ident.Length;
                }
                if (leading && (marker == 0xE0 || isExif))
                {
                    InsertAt = next;
                }
                else
                {
                    leading = false;
                }
                pos = next;
            }
        }

        private void WalkWebp(Stream stream, uint riffSize, int maxSteps)
        {
            long length = stream.Length;
            long end = 8L + riffSize;
            if (end > length || riffSize < 4) return;
            RiffEnd = end;
            long pos = 12;
            var header = new byte[8];
            for (int steps = 0; steps < maxSteps; steps++)
            {
                if (pos == end)
                {
                    InsertAt = end;
                    Recognised = steps > 0;
                    return;
                }
                stream.Position = pos;
                if (pos + 8 > end || ReadFully(stream, header, 8) != 8) return;
                long size = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(header, 4, 4));
                long next = pos + 8 + size + (size & 1);
                if (next > end && pos + 8 + size == end) next = end; // a last odd chunk without its pad byte
                if (next > end) return;
                var type = new ReadOnlySpan<byte>(header, 0, 4);
                if (steps == 0)
                {
                    if (ImageSniffer.IsFourCC(type, 0, "VP8X")) Vp8xAt = pos;
                    else if (!ImageSniffer.IsFourCC(type, 0, "VP8 ") && !ImageSniffer.IsFourCC(type, 0, "VP8L")) return;
                }
                if (ImageSniffer.IsFourCC(type, 0, "C2PA")) HasContentCredentials = true;
                if (ImageSniffer.IsFourCC(type, 0, "XMP ") && XmpStart < 0)
                {
                    XmpStart = pos;
                    XmpEnd = next;
                    XmpPacketStart = pos + 8;
                    XmpPacketLength = (int)size;
                }
                pos = next;
            }
        }

        /// <summary>Skips <paramref name="count"/> zero-terminated strings; the position after them, or -1 past <paramref name="limit"/>.</summary>
        private static long SkipPastZero(Stream stream, long limit, int count)
        {
            while (count > 0)
            {
                if (stream.Position >= limit) return -1;
                int b = stream.ReadByte();
                if (b < 0) return -1;
                if (b == 0) count--;
            }
            return stream.Position;
        }

        private static int ReadFully(Stream stream, byte[] buffer, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = stream.Read(buffer, total, count - total);
                if (read <= 0) break;
                total += read;
            }
            return total;
        }
    }
}
