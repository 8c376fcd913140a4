using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace ModelverseImage.Imaging
{
    /// <summary>What <see cref="XmpEmbedder.Plan"/> decided for an image.</summary>
    public enum MarkOutcome
    {
        /// <summary>The parts hold the image with its one XMP chunk or segment (any old ones left out).</summary>
        Marked,

        /// <summary>The image carries content credentials (C2PA): saved exactly as it came.</summary>
        ContentCredentials,

        /// <summary>The walk did not understand the image to its end (the <see cref="ImageFault"/> says why): saved exactly as it came.</summary>
        Unmarked,
    }

    /// <summary>
    /// Puts an XMP packet into an image without re-encoding it: the result is a list of parts, slices of the
    /// original bytes around one small new chunk or segment, written out one after the other (no second copy of
    /// the image). PNG: an uncompressed iTXt "XML:com.adobe.xmp" before the first IDAT. JPEG: an APP1 segment
    /// after SOI, APP0 (JFIF) and Exif. WebP: an "XMP " chunk at the end, with the XMP flag set in VP8X (a VP8X
    /// chunk is added to a simple VP8/VP8L file) and the RIFF size fixed. XMP chunks already there, wherever they lie
    /// and compressed or not, are left out: the file has one packet, where a reader looks first.
    /// </summary>
    internal static class XmpEmbedder
    {
        /// <summary>A JPEG segment holds at most 65,535 bytes less the 2 of its length field.</summary>
        internal const int MaxJpegPayload = 65533;

        private const byte XmpFlag = 0x04, AlphaFlag = 0x10;

        private static readonly byte[] PngXmpPrefix = Encoding.ASCII.GetBytes("XML:com.adobe.xmp\0\0\0\0\0");

        /// <summary>A stretch of the image [Start, End) replaced by <c>Insert</c> (nothing when null).</summary>
        private readonly struct Edit
        {
            public Edit(long start, long end, byte[]? insert)
            {
                Start = start;
                End = end;
                Insert = insert;
            }

            public long Start { get; }
            public long End { get; }
            public byte[]? Insert { get; }
        }

        public static MarkOutcome Plan(ArraySegment<byte> image, ImageRecord record, out ArraySegment<byte>[] parts) =>
            Plan(image, record, out parts, out _);

        /// <param name="fault">Why the image is <see cref="MarkOutcome.Unmarked"/>; None otherwise.</param>
        public static MarkOutcome Plan(ArraySegment<byte> image, ImageRecord record, out ArraySegment<byte>[] parts, out ImageFault fault)
        {
            parts = new[] { image };
            var layout = ImageSniffer.Walk(image.AsSpan(), WalkGoal.Whole);
            fault = layout.Fault;
            if (layout.HasContentCredentials) return MarkOutcome.ContentCredentials;
            if (fault != ImageFault.None) return MarkOutcome.Unmarked;
            var edits = new List<Edit>();
            foreach (var (start, end) in layout.XmpBlocks) edits.Add(new Edit(start, end, null));
            switch (layout.Format)
            {
                case ImageFormat.Png:
                    edits.Add(new Edit(layout.InsertAt, layout.InsertAt, PngChunk(XmpPacket.Build(record))));
                    parts = Apply(image, edits, image.Count);
                    return MarkOutcome.Marked;
                case ImageFormat.Jpeg:
                    edits.Add(new Edit(layout.InsertAt, layout.InsertAt, JpegSegment(XmpPacket.Build(record, MaxJpegPayload - JpegReader.XmpNamespace.Length))));
                    parts = Apply(image, edits, image.Count);
                    return MarkOutcome.Marked;
                default:
                    var webp = WebpParts(image, layout, edits, XmpPacket.Build(record));
                    if (webp == null)
                    {
                        fault = ImageFault.Malformed;
                        return MarkOutcome.Unmarked;
                    }
                    parts = webp;
                    return MarkOutcome.Marked;
            }
        }

        /// <summary>The image up to <paramref name="length"/> with the edits made, in order (they never overlap: each is a whole chunk or a point between two).</summary>
        private static ArraySegment<byte>[] Apply(ArraySegment<byte> image, List<Edit> edits, long length)
        {
            edits.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
            var parts = new List<ArraySegment<byte>>(edits.Count * 2 + 1);
            long at = 0;
            foreach (var edit in edits)
            {
                if (edit.Start > at) parts.Add(Slice(image, at, edit.Start - at));
                if (edit.Insert != null) parts.Add(new ArraySegment<byte>(edit.Insert));
                at = Math.Max(at, edit.End);
            }
            if (at < length) parts.Add(Slice(image, at, length - at));
            return parts.ToArray();
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
            var ns = JpegReader.XmpNamespace;
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

        /// <summary>A new RIFF header, the VP8X chunk with its XMP flag set (added to a simple file), the chunks but old XMP, the XMP chunk; null when the canvas size is unknown.</summary>
        private static ArraySegment<byte>[]? WebpParts(ArraySegment<byte> image, ImageLayout layout, List<Edit> edits, byte[] packet)
        {
            var riffHeader = Copy(image, 0, 12);
            edits.Add(new Edit(0, 12, riffHeader));
            if (layout.Vp8xAt >= 0)
            {
                int length = 8 + layout.Vp8xSize + (layout.Vp8xSize & 1);
                var vp8x = Copy(image, layout.Vp8xAt, Math.Min(length, layout.RiffEnd - layout.Vp8xAt));
                vp8x[8] |= XmpFlag;
                edits.Add(new Edit(layout.Vp8xAt, layout.Vp8xAt + vp8x.Length, vp8x));
            }
            else
            {
                // A simple file: a VP8X chunk goes first, with the canvas size the VP8/VP8L header gives.
                var header = layout.Header;
                if (header.Width <= 0 || header.Height <= 0) return null;
                var data = new byte[10];
                data[0] = (byte)(XmpFlag | (header.HasAlpha ? AlphaFlag : 0));
                WriteUInt24(data, 4, header.Width - 1);
                WriteUInt24(data, 7, header.Height - 1);
                edits.Add(new Edit(12, 12, WebpChunk("VP8X", data)));
            }
            var parts = new List<ArraySegment<byte>>(Apply(image, edits, layout.RiffEnd));
            long total = 0;
            foreach (var part in parts) total += part.Count;
            // A last chunk of odd size that lacks its pad byte gets one, so the XMP chunk starts on an even offset.
            if ((total & 1) == 1)
            {
                parts.Add(new ArraySegment<byte>(new byte[1]));
                total++;
            }
            var xmp = WebpChunk("XMP ", packet);
            parts.Add(new ArraySegment<byte>(xmp));
            total += xmp.Length;
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

        private static byte[] Copy(ArraySegment<byte> image, long offset, long count)
        {
            var copy = new byte[count];
            Buffer.BlockCopy(image.Array!, image.Offset + (int)offset, copy, 0, (int)count);
            return copy;
        }

        private static ArraySegment<byte> Slice(ArraySegment<byte> image, long offset, long count) =>
            new ArraySegment<byte>(image.Array!, image.Offset + (int)offset, (int)count);
    }
}
