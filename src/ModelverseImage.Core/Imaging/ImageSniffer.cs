using System;
using System.IO;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Recognises PNG, JPEG and WebP images by their leading bytes (never by file name) and reads their pixel size
    /// and alpha from the header alone. Unrecognised or damaged input gives <see cref="ImageFormat.Unknown"/> or a
    /// zero size, never an exception.
    /// </summary>
    public static class ImageSniffer
    {
        /// <summary>
        /// The most chunks (PNG) or markers and fill bytes (JPEG) a header walk looks at. Real files reach the
        /// image data within a few dozen; a crafted file of millions of empty chunks would otherwise take seconds
        /// to walk, during which Ctrl+C is not seen. Past the limit the walk stops with what it found.
        /// </summary>
        internal const int MaxWalkSteps = 1024;

        public static ImageHeader Read(ReadOnlySpan<byte> bytes)
        {
            if (PngReader.IsPng(bytes))
            {
                var cursor = new ByteCursor(bytes, 0);
                return PngReader.Read(ref cursor);
            }
            if (JpegReader.IsJpeg(bytes))
            {
                // The walk starts at the first marker's 0xFF, byte 2.
                var cursor = new ByteCursor(bytes, 2);
                return JpegReader.Read(ref cursor);
            }
            if (WebpReader.IsWebp(bytes))
            {
                return WebpReader.Read(bytes);
            }
            return default;
        }

        /// <summary>
        /// Reads the header from the stream's current position, consuming only what it needs: a few dozen bytes
        /// for PNG and WebP (plus the chunk headers before IDAT for PNG), and for JPEG the marker segments before
        /// the frame header, which are skipped by seeking when the stream can seek and by reading past them when
        /// it cannot. The stream is left wherever reading stopped.
        /// </summary>
        public static ImageHeader Read(Stream stream)
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            // Sniff the first bytes; the format's reader goes on from them into the stream.
            var start = new byte[WebpReader.HeaderLength];
            int count = ByteCursor.ReadFully(stream, start, 0, WebpReader.SniffLength);
            var sniffed = new ReadOnlySpan<byte>(start, 0, count);

            if (PngReader.IsPng(sniffed))
            {
                var cursor = new ByteCursor(sniffed, 0, stream);
                return PngReader.Read(ref cursor);
            }
            if (JpegReader.IsJpeg(sniffed))
            {
                var cursor = new ByteCursor(sniffed, 2, stream);
                return JpegReader.Read(ref cursor);
            }
            if (WebpReader.IsWebp(sniffed))
            {
                count += ByteCursor.ReadFully(stream, start, count, WebpReader.HeaderLength - count);
                return WebpReader.Read(new ReadOnlySpan<byte>(start, 0, count));
            }
            return default;
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
