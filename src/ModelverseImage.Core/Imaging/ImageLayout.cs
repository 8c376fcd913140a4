using System.Collections.Generic;

namespace ModelverseImage.Imaging
{
    /// <summary>How far a walk over an image's chunks (PNG, WebP) or marker segments (JPEG) goes.</summary>
    internal enum WalkGoal
    {
        /// <summary>The size and alpha: a PNG to its first IDAT, a JPEG to its frame header, a WebP's first chunk.</summary>
        Header,

        /// <summary>The header and the first XMP packet, wherever it lies (in a PNG it may follow the image data).</summary>
        Record,

        /// <summary>Every chunk or segment to the end (PNG: IEND; JPEG: the scan; WebP: the RIFF size): what marking needs.</summary>
        Whole,
    }

    /// <summary>Why a walk did not understand an image as far as it had to go: the fact Save-MvImage reports when it saves a file unmarked.</summary>
    public enum ImageFault
    {
        None,

        /// <summary>Not a PNG, JPEG or WebP by its first bytes.</summary>
        NotAnImage,

        /// <summary>The file ends before its end marker: a PNG without IEND, a JPEG cut before its scan (SOS).</summary>
        EndsEarly,

        /// <summary>A chunk's or segment's length (or a WebP's RIFF size) runs past the end of the file.</summary>
        LengthPastEnd,

        /// <summary>A structure the format does not allow: no IHDR first, a byte where a marker must be, a VP8X chunk too short for its fields.</summary>
        Malformed,

        /// <summary>More chunks, segments or fill bytes than any walk takes (<see cref="ImageLayout.MaxSteps"/>).</summary>
        TooLong,
    }

    /// <summary>
    /// What one walk learned about an image, never decoding it: its header, where its XMP chunks or segments lie (and,
    /// when reading, the first packet's text), whether it carries content credentials (C2PA), where a new XMP chunk
    /// goes, and for WebP its VP8X chunk and RIFF end. The walks live beside it: PngReader, JpegReader, WebpReader.
    /// </summary>
    public sealed class ImageLayout
    {
        /// <summary>
        /// The most chunks (PNG, WebP), marker segments and fill bytes (JPEG) any walk takes, reading or writing. A
        /// 128 MiB PNG in 8 KB IDAT chunks has about 16,000; a crafted file of a million empty chunks stops here after
        /// about 12 MB, a few milliseconds in memory. Marking adds at most two chunks (a WebP's VP8X and XMP), so it
        /// marks only files it walks whole in <see cref="MarkingSteps"/>: a reader then always reaches the record.
        /// </summary>
        public const int MaxSteps = 1 << 20;

        /// <summary>The steps a walk for marking may take: <see cref="MaxSteps"/> less the chunks marking adds.</summary>
        public const int MarkingSteps = MaxSteps - 2;

        public ImageLayout(ImageFormat format)
        {
            Format = format;
            Header = new ImageHeader(format, 0, 0, false);
        }

        public ImageFormat Format { get; }

        public ImageHeader Header { get; set; }

        /// <summary>None when the walk went as far as its goal asked.</summary>
        public ImageFault Fault { get; set; }

        /// <summary>A PNG caBX chunk, a JPEG APP11 JUMBF segment or a WebP C2PA chunk was seen.</summary>
        public bool HasContentCredentials { get; set; }

        /// <summary>Where a new XMP chunk or segment goes (PNG: before the first IDAT; JPEG: after SOI, JFIF and Exif; WebP: the end), or -1.</summary>
        public long InsertAt { get; set; } = -1;

        /// <summary>Every XMP chunk or segment seen, whole (header to CRC or padding), in file order.</summary>
        public List<(long Start, long End)> XmpBlocks { get; } = new List<(long, long)>();

        /// <summary>With <see cref="WalkGoal.Record"/>: the first XMP packet's text (decompressed); null without one or past <see cref="XmpPacket.MaxBytes"/>.</summary>
        public byte[]? Xmp { get; set; }

        /// <summary>WebP: the VP8X chunk's offset (-1 in a simple VP8/VP8L file) and data size.</summary>
        public long Vp8xAt { get; set; } = -1;
        public int Vp8xSize { get; set; }

        /// <summary>WebP: where the RIFF data ends (8 + its size).</summary>
        public long RiffEnd { get; set; } = -1;
    }
}
