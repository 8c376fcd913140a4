using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ModelverseImage.Imaging;

namespace ModelverseImage.Imaging
{
    /// <summary>What <see cref="XmpEmbedder.Plan"/> decided for an image.</summary>
    public enum MarkOutcome
    {
        /// <summary>The parts hold the image with the XMP chunk or segment inserted (or an old one replaced).</summary>
        Marked,

        /// <summary>The image carries content credentials (C2PA): saved exactly as it came.</summary>
        ContentCredentials,

        /// <summary>Not a PNG, JPEG or WebP the walk understood: saved exactly as it came.</summary>
        NotRecognised,
    }

    /// <summary>
    /// Puts an XMP packet into an image without re-encoding it: the result is a list of parts, slices of the
    /// original bytes around one small new chunk or segment, written out one after the other (no second copy of
    /// the image). PNG: an uncompressed iTXt "XML:com.adobe.xmp" before the first IDAT. JPEG: an APP1 segment
    /// after SOI, APP0 (JFIF) and Exif. WebP: an "XMP " chunk at the end, with the XMP flag set in VP8X (a VP8X
    /// chunk is added to a simple VP8/VP8L file) and the RIFF size fixed. An XMP chunk already there is replaced.
    /// </summary>
    internal static class XmpEmbedder
    {
        /// <summary>A JPEG segment holds at most 65,535 bytes less the 2 of its length field.</summary>
        internal const int MaxJpegPayload = 65533;

        private static readonly byte[] PngXmpPrefix = Encoding.ASCII.GetBytes("XML:com.adobe.xmp\0\0\0\0\0");

        public static MarkOutcome Plan(ArraySegment<byte> image, ImageRecord record, out ArraySegment<byte>[] parts)
        {
            parts = new[] { image };
            ContainerScan scan;
            using (var stream = new MemoryStream(image.Array!, image.Offset, image.Count, writable: false))
            {
                scan = ContainerScan.Scan(stream, headerOnly: false, ContainerScan.MemoryWalkSteps);
            }
            if (scan.HasContentCredentials) return MarkOutcome.ContentCredentials;
            if (!scan.Recognised || scan.InsertAt < 0) return MarkOutcome.NotRecognised;
            switch (scan.Format)
            {
                case ImageFormat.Png:
                    parts = Splice(image, scan, PngChunk(XmpPacket.Build(record)));
                    return MarkOutcome.Marked;
                case ImageFormat.Jpeg:
                    parts = Splice(image, scan, JpegSegment(XmpPacket.Build(record, MaxJpegPayload - ContainerScan.JpegXmpNamespace.Length)));
                    return MarkOutcome.Marked;
                case ImageFormat.Webp:
                    var webp = WebpParts(image, scan, XmpPacket.Build(record));
                    if (webp == null) return MarkOutcome.NotRecognised;
                    parts = webp;
                    return MarkOutcome.Marked;
                default:
                    return MarkOutcome.NotRecognised;
            }
        }

        /// <summary>The head, the new chunk, and the rest; an existing XMP chunk is left out, the new one in its place.</summary>
        private static ArraySegment<byte>[] Splice(ArraySegment<byte> image, ContainerScan scan, byte[] chunk)
        {
            int at = (int)(scan.XmpStart >= 0 ? scan.XmpStart : scan.InsertAt);
            int resume = (int)(scan.XmpStart >= 0 ? scan.XmpEnd : scan.InsertAt);
            return new[]
            {
                Slice(image, 0, at),
                new ArraySegment<byte>(chunk),
                Slice(image, resume, image.Count - resume),
            };
        }

        internal static byte[] PngChunk(byte[] packet)
        {
            int dataLength = PngXmpPrefix.Length + packet.Length;
            var chunk = new byte[12 + dataLength];
            BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)dataLength);
            Encoding.ASCII.GetBytes("iTXt", 0, 4, chunk, 4);
            Buffer.BlockCopy(PngXmpPrefix, 0, chunk, 8, PngXmpPrefix.Length);
            Buffer.BlockCopy(packet, 0, chunk, 8 + PngXmpPrefix.Length, packet.Length);
            BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + dataLength), Crc32.Compute(chunk, 4, 4 + dataLength));
            return chunk;
        }

        internal static byte[] JpegSegment(byte[] packet)
        {
            var ns = ContainerScan.JpegXmpNamespace;
            int payload = ns.Length + packet.Length;
            if (payload > MaxJpegPayload) throw new ArgumentException("The XMP packet is too long for one JPEG segment.", nameof(packet));
            var segment = new byte[4 + payload];
            segment[0] = 0xFF;
            segment[1] = 0xE1;
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload + 2));
            Buffer.BlockCopy(ns, 0, segment, 4, ns.Length);
            Buffer.BlockCopy(packet, 0, segment, 4 + ns.Length, packet.Length);
            return segment;
        }

        internal static byte[] WebpChunk(string fourCC, byte[] data)
        {
            var chunk = new byte[8 + data.Length + (data.Length & 1)];
            Encoding.ASCII.GetBytes(fourCC, 0, 4, chunk, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
            Buffer.BlockCopy(data, 0, chunk, 8, data.Length); // the pad byte, if any, stays zero
            return chunk;
        }

        private const byte XmpFlag = 0x04, AlphaFlag = 0x10;

        private static ArraySegment<byte>[]? WebpParts(ArraySegment<byte> image, ContainerScan scan, byte[] packet)
        {
            var xmp = WebpChunk("XMP ", packet);
            var parts = new List<ArraySegment<byte>>(6);
            var riffHeader = new byte[12];
            Buffer.BlockCopy(image.Array!, image.Offset, riffHeader, 0, 12);
            parts.Add(new ArraySegment<byte>(riffHeader));
            long bodyStart;
            if (scan.Vp8xAt >= 0)
            {
                // The VP8X chunk again, its XMP flag set.
                var vp8x = new byte[18];
                Buffer.BlockCopy(image.Array!, image.Offset + (int)scan.Vp8xAt, vp8x, 0, 18);
                vp8x[8] |= XmpFlag;
                parts.Add(new ArraySegment<byte>(vp8x));
                bodyStart = scan.Vp8xAt + 18;
            }
            else
            {
                // A simple file: a VP8X chunk goes first, with the canvas size the VP8/VP8L header gives.
                var header = ImageSniffer.Read(image.AsSpan());
                if (header.Width <= 0 || header.Height <= 0) return null;
                var data = new byte[10];
                data[0] = (byte)(XmpFlag | (header.HasAlpha ? AlphaFlag : 0));
                WriteUInt24(data, 4, header.Width - 1);
                WriteUInt24(data, 7, header.Height - 1);
                parts.Add(new ArraySegment<byte>(WebpChunk("VP8X", data)));
                bodyStart = 12;
            }
            long end = scan.RiffEnd;
            if (scan.XmpStart >= 0)
            {
                parts.Add(Slice(image, (int)bodyStart, (int)(scan.XmpStart - bodyStart)));
                parts.Add(new ArraySegment<byte>(xmp));
                parts.Add(Slice(image, (int)scan.XmpEnd, (int)(end - scan.XmpEnd)));
            }
            else
            {
                var body = Slice(image, (int)bodyStart, (int)(end - bodyStart));
                // A last chunk of odd size that lacks its pad byte gets one, so the XMP chunk starts on an even offset.
                parts.Add(body);
                if (((end - 12) & 1) == 1) parts.Add(new ArraySegment<byte>(new byte[1]));
                parts.Add(new ArraySegment<byte>(xmp));
            }
            long total = 0;
            foreach (var part in parts) total += part.Count;
            if (total - 8 > uint.MaxValue) return null;
            BinaryPrimitives.WriteUInt32LittleEndian(riffHeader.AsSpan(4), (uint)(total - 8));
            return parts.ToArray();
        }

        private static void WriteUInt24(byte[] b, int offset, int value)
        {
            b[offset] = (byte)value;
            b[offset + 1] = (byte)(value >> 8);
            b[offset + 2] = (byte)(value >> 16);
        }

        private static ArraySegment<byte> Slice(ArraySegment<byte> image, int offset, int count) =>
            new ArraySegment<byte>(image.Array!, image.Offset + offset, count);
    }
}
