using System;
using System.IO;
using ModelverseImage.Imaging;

namespace ModelverseImage.Api
{
    /// <summary>A file (or in-memory image) to upload with an edit, with its format as sniffed from its bytes.</summary>
    public sealed class ImageUpload
    {
        private readonly ArraySegment<byte> _bytes;

        private ImageUpload(string fileName, ImageFormat format, long length, string? path, ArraySegment<byte> bytes)
        {
            FileName = fileName;
            Format = format;
            Length = length;
            Path = path;
            _bytes = bytes;
        }

        public static ImageUpload FromFile(string path, ImageFormat format, long length) =>
            new ImageUpload(System.IO.Path.GetFileName(path), format, length, path, default);

        public static ImageUpload FromBytes(ArraySegment<byte> bytes, string fileName, ImageFormat format) =>
            new ImageUpload(fileName, format, bytes.Count, null, bytes);

        /// <summary>The user's file name, for -WhatIf and verbose output; the multipart part carries a made-up name (<see cref="ImageRequest.FileParts"/>).</summary>
        public string FileName { get; }

        /// <summary>The format sniffed from the bytes (never from the file name).</summary>
        public ImageFormat Format { get; }

        /// <summary>The multipart content type, from <see cref="Format"/>.</summary>
        public string ContentType => ImageSniffer.MimeType(Format);

        public long Length { get; }

        /// <summary>The file on disk, streamed at upload time; null for in-memory images.</summary>
        public string? Path { get; }

        /// <summary>Opens the content for one attempt; each retry reads it again.</summary>
        public Stream Open() => Path != null
            ? new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan)
            : new MemoryStream(_bytes.Array!, _bytes.Offset, _bytes.Count, writable: false);

        public override string ToString() => $"{FileName} ({ContentType}, {Length:N0} bytes)";
    }
}
