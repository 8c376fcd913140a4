using System.IO;
using ModelverseImage.Imaging;
using ModelverseImage.Output;

namespace ModelverseImage.Metadata
{
    /// <summary>Turns a saved file's bytes into an MvImage (Import-MvImage): the embedded record if any, the header always.</summary>
    internal static class ImageFile
    {
        /// <summary>Whether the file begins as a PNG, JPEG or WebP (its first bytes only).</summary>
        public static bool LooksLikeImage(string path) => ImageSniffer.ReadFile(path).Format != ImageFormat.Unknown;

        /// <summary>The image, or null when the bytes are not a PNG, JPEG or WebP.</summary>
        public static MvImage? Read(string path, byte[] bytes)
        {
            if (ImageSniffer.Read(bytes).Format == ImageFormat.Unknown) return null;
            ImageRecord? record = null;
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                var scan = ContainerScan.Scan(stream, headerOnly: true, ContainerScan.FileWalkSteps);
                var packet = scan.ReadXmp(stream);
                if (packet != null) record = XmpPacket.Parse(packet);
            }
            return MvImage.FromFile(path, bytes, record);
        }
    }
}
