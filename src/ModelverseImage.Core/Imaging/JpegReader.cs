using System;
using System.Buffers.Binary;
using System.Text;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// The one walk over a JPEG's marker segments, up to its scan (SOS): its size from the frame header (SOFn), its
    /// XMP (an APP1 segment with Adobe's namespace), content credentials (an APP11 JUMBF segment), and where a new XMP
    /// segment goes (after SOI, JFIF and Exif).
    /// </summary>
    internal static class JpegReader
    {
        public static bool IsJpeg(ReadOnlySpan<byte> b) =>
            b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;

        /// <summary>What an XMP APP1 segment's payload begins with.</summary>
        internal static readonly byte[] XmpNamespace = Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0");

        private const int App0 = 0xE0, App1 = 0xE1, App11 = 0xEB, StartOfScan = 0xDA, EndOfImage = 0xD9;

        // Frame headers SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
        private static bool IsStartOfFrame(int marker) =>
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;

        // Markers with no length field: TEM, RST0-7, SOI.
        private static bool IsStandalone(int marker) => marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8);

        /// <summary>Walks from the cursor at the first marker's 0xFF (byte 2, after SOI), as far as <paramref name="goal"/> asks.</summary>
        public static void Walk(ref ByteCursor cursor, ImageLayout layout, WalkGoal goal, int maxSteps)
        {
            layout.InsertAt = cursor.Position;
            bool leading = true; // still in the run of APP0 (JFIF) and APP1 (Exif) right after SOI
            bool framed = false;
            int steps = 0;
            while (true)
            {
                if (framed && (goal == WalkGoal.Header || (goal == WalkGoal.Record && layout.XmpBlocks.Count > 0)))
                {
                    return;
                }
                int b = cursor.ReadByte();
                if (b != 0xFF)
                {
                    layout.Fault = b < 0 ? ImageFault.EndsEarly : ImageFault.Malformed;
                    return;
                }
                do
                {
                    if (++steps > maxSteps)
                    {
                        layout.Fault = ImageFault.TooLong;
                        return;
                    }
                    b = cursor.ReadByte(); // fill bytes, then the marker
                }
                while (b == 0xFF);
                if (b < 0)
                {
                    layout.Fault = ImageFault.EndsEarly;
                    return;
                }
                int marker = b;
                long at = cursor.Position - 2;
                if (marker == StartOfScan)
                {
                    return; // the scan starts: everything of interest comes before it
                }
                if (marker == EndOfImage || marker == 0x00)
                {
                    layout.Fault = ImageFault.Malformed; // an image without a scan, or a stuffed zero outside one
                    return;
                }
                if (IsStandalone(marker))
                {
                    leading = false;
                    continue;
                }
                if (!cursor.TryRead(2, out var lengthField))
                {
                    layout.Fault = ImageFault.EndsEarly;
                    return;
                }
                int length = BinaryPrimitives.ReadUInt16BigEndian(lengthField);
                long end = at + 2 + length;
                if (length < 2 || (IsStartOfFrame(marker) && length < 7))
                {
                    layout.Fault = ImageFault.Malformed;
                    return;
                }
                bool isExif = false;
                if (IsStartOfFrame(marker) && !framed)
                {
                    // precision(1) height(2) width(2)
                    if (!cursor.TryRead(5, out var frame))
                    {
                        layout.Fault = ImageFault.EndsEarly;
                        return;
                    }
                    layout.Header = new ImageHeader(ImageFormat.Jpeg, BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(3)), BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(1)), false);
                    framed = true;
                }
                else if (marker == App1 || marker == App11)
                {
                    isExif = ReadApp(ref cursor, layout, goal, marker, at, length);
                }
                if (leading && (marker == App0 || isExif))
                {
                    layout.InsertAt = end;
                }
                else
                {
                    leading = false;
                }
                if (!cursor.Skip(end - cursor.Position))
                {
                    layout.Fault = ImageFault.LengthPastEnd;
                    return;
                }
            }
        }

        /// <summary>An APP1 (Exif or XMP) or APP11 (JUMBF) segment after its length field; true for Exif.</summary>
        private static bool ReadApp(ref ByteCursor cursor, ImageLayout layout, WalkGoal goal, int marker, long at, int length)
        {
            int payload = length - 2;
            if (marker == App11)
            {
                if (payload >= 2 && cursor.TryRead(2, out var box) && box[0] == (byte)'J' && box[1] == (byte)'P')
                {
                    layout.HasContentCredentials = true;
                }
                return false;
            }
            if (!cursor.TryRead(Math.Min(payload, XmpNamespace.Length), out var ident))
            {
                return false;
            }
            if (ident.Length == XmpNamespace.Length && ident.SequenceEqual(XmpNamespace))
            {
                layout.XmpBlocks.Add((at, at + 2 + length));
                if (goal == WalkGoal.Record && layout.XmpBlocks.Count == 1)
                {
                    var packet = new byte[payload - XmpNamespace.Length];
                    if (cursor.TryReadInto(packet))
                    {
                        layout.Xmp = packet;
                    }
                }
                return false;
            }
            return ident.Length >= 6 && ident[0] == (byte)'E' && ident[1] == (byte)'x' && ident[2] == (byte)'i' && ident[3] == (byte)'f' && ident[4] == 0;
        }
    }
}
