using System;
using System.IO;
using ModelverseImage.Api;
using ModelverseImage.Saving;

namespace ModelverseImage.Imaging
{
    /// <summary>Why a file is not read back (Import-MvImage words it).</summary>
    public enum ImageFileRefusal
    {
        None,
        Missing,
        Folder,

        /// <summary>A named pipe, a device or a socket (or a link to one): never opened, as reading one may wait for ever.</summary>
        NotRegular,

        /// <summary>Larger than any image the module reads (<see cref="ImageFile.MaxBytes"/>).</summary>
        TooLarge,

        /// <summary>Not a PNG, JPEG or WebP by its first bytes.</summary>
        NotAnImage,
    }

    /// <summary>A file read back: its bytes, header and embedded record (null without one), or why it was not read.</summary>
    public sealed class ImageFileContents
    {
        public ImageFileContents(ImageFileRefusal refusal, long length = 0)
        {
            Refusal = refusal;
            Length = length;
        }

        public ImageFileContents(byte[] bytes, ImageHeader header, ImageRecord? record)
        {
            Bytes = bytes;
            Length = bytes.LongLength;
            Header = header;
            Record = record;
        }

        public ImageFileRefusal Refusal { get; }
        public long Length { get; }
        public byte[] Bytes { get; } = Array.Empty<byte>();
        public ImageHeader Header { get; }
        public ImageRecord? Record { get; }
    }

    /// <summary>
    /// Saved image files read back, by Import-MvImage (the whole file) and the rerun index (the record alone): only
    /// regular files (a pipe, device or socket is never opened), no larger than <see cref="MaxBytes"/>, walked as
    /// Save-MvImage walks what it marks, so whatever it wrote reads back.
    /// </summary>
    public static class ImageFile
    {
        /// <summary>
        /// The largest file read back: the largest image the module takes from the API (the answers' per-image cap,
        /// 128 MiB) with the largest record Save-MvImage adds to it (<see cref="XmpPacket.MaxBytes"/> and its chunk).
        /// </summary>
        public const long MaxBytes = ImageJsonScanner.DefaultMaxImageBytes + XmpPacket.MaxBytes + 1024;

        /// <summary>The file's bytes, header and record, or why it is not read; I/O failures are thrown.</summary>
        public static ImageFileContents Read(string path)
        {
            switch (FileKind.Of(path, followLinks: true))
            {
                case FileKindValue.Missing: return new ImageFileContents(ImageFileRefusal.Missing);
                case FileKindValue.Directory: return new ImageFileContents(ImageFileRefusal.Folder);
                case FileKindValue.Special: return new ImageFileContents(ImageFileRefusal.NotRegular);
            }
            using (var stream = Open(path))
            {
                if (!stream.CanSeek) return new ImageFileContents(ImageFileRefusal.NotRegular); // replaced since it was looked at
                long length = stream.Length;
                if (length > MaxBytes) return new ImageFileContents(ImageFileRefusal.TooLarge, length);
                // Judged by the header first: a large file that is not an image is never read whole.
                if (ImageSniffer.Read(stream).Format == ImageFormat.Unknown) return new ImageFileContents(ImageFileRefusal.NotAnImage, length);
                stream.Position = 0;
                var bytes = new byte[length];
                int read = ByteCursor.ReadFully(stream, bytes, 0, bytes.Length);
                if (read < bytes.Length) Array.Resize(ref bytes, read); // cut short meanwhile
                var layout = ImageSniffer.Walk(bytes, WalkGoal.Record);
                return new ImageFileContents(bytes, layout.Header, RecordOf(layout));
            }
        }

        /// <summary>The record embedded in the file, or null (none of ours, not a regular file, too large, not an image); I/O failures are thrown.</summary>
        public static ImageRecord? ReadRecord(string path)
        {
            if (FileKind.Of(path, followLinks: true) != FileKindValue.Regular) return null;
            using (var stream = Open(path))
            {
                if (!stream.CanSeek || stream.Length > MaxBytes) return null;
                return RecordOf(ImageSniffer.Walk(stream, WalkGoal.Record));
            }
        }

        private static ImageRecord? RecordOf(ImageLayout layout) => layout.Xmp == null ? null : XmpPacket.Parse(layout.Xmp);

        private static FileStream Open(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096);
    }
}
