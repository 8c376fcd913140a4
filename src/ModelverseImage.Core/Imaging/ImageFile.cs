namespace ModelverseImage.Imaging
{
    /// <summary>A saved image file read back (Import-MvImage): its header, and the record embedded in it if any.</summary>
    internal static class ImageFile
    {
        /// <summary>Whether the file begins as a PNG, JPEG or WebP (its first bytes only).</summary>
        public static bool LooksLikeImage(string path) => ImageSniffer.ReadFile(path).Format != ImageFormat.Unknown;

        /// <summary>
        /// False when the bytes are not a PNG, JPEG or WebP; else the header and the embedded record (null without one),
        /// found by the walk Save-MvImage marks with, wherever the XMP lies.
        /// </summary>
        public static bool TryRead(byte[] bytes, out ImageHeader header, out ImageRecord? record)
        {
            var layout = ImageSniffer.Walk(bytes, WalkGoal.Record);
            header = layout.Header;
            record = layout.Xmp == null ? null : XmpPacket.Parse(layout.Xmp);
            return header.Format != ImageFormat.Unknown;
        }
    }
}
