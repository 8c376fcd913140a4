using System;
using System.IO;
using ModelverseImage.Imaging;

namespace ModelverseImage.Api
{
    /// <summary>A file (or in-memory image) to upload with an edit, with its format as sniffed from its bytes.</summary>
    public sealed class ImageUpload
    {
        private readonly ArraySegment<byte> _bytes;

        private ImageUpload(string fileName, ImageFormat format, long length, string? path, ArraySegment<byte> bytes, string? contentKey = null)
        {
            FileName = fileName;
            Format = format;
            Length = length;
            Path = path;
            _bytes = bytes;
            ContentKey = contentKey;
        }

        public static ImageUpload FromFile(string path, ImageFormat format, long length) =>
            new ImageUpload(System.IO.Path.GetFileName(path), format, length, path, default);

        public static ImageUpload FromBytes(ArraySegment<byte> bytes, string fileName, ImageFormat format) =>
            new ImageUpload(fileName, format, bytes.Count, null, bytes);

        /// <summary>Bytes the module made (a mask), with <see cref="ContentKey"/> standing in for their hash in the rerun key.</summary>
        public static ImageUpload FromMadeBytes(ArraySegment<byte> bytes, string fileName, ImageFormat format, string contentKey) =>
            new ImageUpload(fileName, format, bytes.Count, null, bytes, contentKey ?? throw new ArgumentNullException(nameof(contentKey)));

        /// <summary>
        /// For content the module made, a SHA-256 (hex) of what decides it, used by the rerun key instead of the hash of
        /// its bytes, which may differ from one .NET to the next (a deflater's output); null for the user's files and images.
        /// </summary>
        public string? ContentKey { get; }

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
