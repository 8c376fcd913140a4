using System;
using System.Buffers.Binary;

namespace ModelverseImage.Imaging
{
    /// <summary>Reads a JPEG's size from its frame header (SOFn), walking the marker segments before it.</summary>
    internal static class JpegReader
    {
        public static bool IsJpeg(ReadOnlySpan<byte> b) =>
            b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;

        // Frame headers SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
        private static bool IsStartOfFrame(int marker) =>
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;

        // Markers with no length field: TEM, RST0-7, SOI.
        private static bool IsStandalone(int marker) => marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8);

        // EOI, SOS (entropy-coded data follows; a frame header would have come first) or a stuffed zero.
        private static bool EndsWalk(int marker) => marker == 0xD9 || marker == 0xDA || marker == 0x00;

        /// <summary>Reads from the cursor at the first marker's 0xFF (byte 2, after SOI).</summary>
        public static ImageHeader Read(ref ByteCursor cursor)
        {
            var none = new ImageHeader(ImageFormat.Jpeg, 0, 0, false);
            int b = cursor.ReadByte();
            for (int steps = 0; steps < ImageSniffer.MaxWalkSteps; steps++)
            {
                if (b != 0xFF)
                {
                    return none;
                }
                while (b == 0xFF && steps++ < ImageSniffer.MaxWalkSteps)
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
                    if (!cursor.TryRead(2, out var lengthField))
                    {
                        return none;
                    }
                    int length = BinaryPrimitives.ReadUInt16BigEndian(lengthField);
                    if (length < 2)
                    {
                        return none;
                    }
                    if (IsStartOfFrame(marker))
                    {
                        // precision(1) height(2) width(2)
                        if (length < 7 || !cursor.TryRead(5, out var frame))
                        {
                            return none;
                        }
                        return new ImageHeader(
                            ImageFormat.Jpeg,
                            BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(3)),
                            BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(1)),
                            false);
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
    }
}
