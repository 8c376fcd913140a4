using System;
using System.IO;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Recognises PNG, JPEG and WebP images by their leading bytes (never by file name), and walks them, one walk per
    /// format (<see cref="PngReader"/>, <see cref="JpegReader"/>, <see cref="WebpReader"/>) for every use: the header
    /// (pixel size and alpha), the XMP record read back, and what marking needs. Unrecognised or damaged input gives
    /// <see cref="ImageFormat.Unknown"/>, a zero size or an <see cref="ImageFault"/>, never an exception.
    /// </summary>
    public static class ImageSniffer
    {
        public static ImageHeader Read(ReadOnlySpan<byte> bytes) => Walk(bytes, WalkGoal.Header).Header;

        /// <summary>
        /// Reads the header from the stream's current position, consuming only what it needs: a few dozen bytes
        /// for PNG and WebP (plus the chunk headers before IDAT for PNG), and for JPEG the marker segments before
        /// the frame header, which are skipped by seeking when the stream can seek and by reading past them when
        /// it cannot. The stream is left wherever reading stopped.
        /// </summary>
        public static ImageHeader Read(Stream stream) => Walk(stream, WalkGoal.Header).Header;

        /// <summary>Walks an image in memory as far as <paramref name="goal"/> asks.</summary>
        internal static ImageLayout Walk(ReadOnlySpan<byte> bytes, WalkGoal goal)
        {
            var cursor = new ByteCursor(bytes, 0);
            return Walk(ref cursor, FormatOf(bytes), goal);
        }

        /// <summary>Walks an image from the stream's current position as far as <paramref name="goal"/> asks (I/O errors are thrown).</summary>
        internal static ImageLayout Walk(Stream stream, WalkGoal goal)
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }
            // Sniff the first bytes; the format's walk goes on from them into the stream.
            var start = new byte[WebpReader.SniffLength];
            var sniffed = new ReadOnlySpan<byte>(start, 0, ByteCursor.ReadFully(stream, start, 0, start.Length));
            var cursor = new ByteCursor(sniffed, 0, stream);
            return Walk(ref cursor, FormatOf(sniffed), goal);
        }

        private static ImageFormat FormatOf(ReadOnlySpan<byte> bytes) =>
            PngReader.IsPng(bytes) ? ImageFormat.Png
            : JpegReader.IsJpeg(bytes) ? ImageFormat.Jpeg
            : WebpReader.IsWebp(bytes) ? ImageFormat.Webp
            : ImageFormat.Unknown;

        private static ImageLayout Walk(ref ByteCursor cursor, ImageFormat format, WalkGoal goal)
        {
            var layout = new ImageLayout(format);
            int steps = goal == WalkGoal.Whole ? ImageLayout.MarkingSteps : ImageLayout.MaxSteps;
            switch (format)
            {
                case ImageFormat.Png:
                    PngReader.Walk(ref cursor, layout, goal, steps);
                    break;
                case ImageFormat.Jpeg:
                    cursor.Skip(2); // SOI
                    JpegReader.Walk(ref cursor, layout, goal, steps);
                    break;
                case ImageFormat.Webp:
                    WebpReader.Walk(ref cursor, layout, goal, steps);
                    break;
                default:
                    layout.Fault = ImageFault.NotAnImage;
                    break;
            }
            return layout;
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

        internal static bool IsFourCC(ReadOnlySpan<byte> b, int offset, string fourCC) =>
            b.Length >= offset + 4 &&
            b[offset] == fourCC[0] && b[offset + 1] == fourCC[1] && b[offset + 2] == fourCC[2] && b[offset + 3] == fourCC[3];
    }
}
