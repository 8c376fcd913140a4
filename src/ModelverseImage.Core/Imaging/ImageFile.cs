using System.IO;

namespace ModelverseImage.Imaging
{
    /// <summary>A saved image file read back (Import-MvImage): its header, and the record embedded in it if any.</summary>
    public static class ImageFile
    {
        /// <summary>Whether the file begins as a PNG, JPEG or WebP (its first bytes only).</summary>
        public static bool LooksLikeImage(string path) => ImageSniffer.ReadFile(path).Format != ImageFormat.Unknown;

        /// <summary>False when the bytes are not a PNG, JPEG or WebP; else the header and the embedded record (null without one).</summary>
        public static bool TryRead(byte[] bytes, out ImageHeader header, out ImageRecord? record)
        {
            header = ImageSniffer.Read(bytes);
            record = null;
            if (header.Format == ImageFormat.Unknown) return false;
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                var scan = ContainerScan.Scan(stream, headerOnly: true, ContainerScan.FileWalkSteps);
                var packet = scan.ReadXmp(stream);
                if (packet != null) record = XmpPacket.Parse(packet);
            }
            return true;
        }
    }
}
