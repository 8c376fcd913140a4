using System;
using System.IO;

namespace ModelverseImage.Saving
{
    // What a save refused, as facts (the path, the kind): the cmdlets word them (Errors/ErrorCatalog.cs). The messages
    // here only name the fact, for logs.

    /// <summary>The target file is already there and overwriting was not asked for.</summary>
    public sealed class FileExistsException : IOException
    {
        public FileExistsException(string path, Exception? inner = null)
            : base($"'{path}' exists.", inner)
        {
            Path = path;
        }

        public string Path { get; }
    }

    /// <summary>
    /// The target is a symbolic link (or another reparse point). Replacing it atomically would put a file
    /// where the link was and leave the file it points to unchanged, so it is refused, whether or not overwriting was asked for.
    /// </summary>
    public sealed class LinkNotReplacedException : IOException
    {
        public LinkNotReplacedException(string path)
            : base($"'{path}' is a symbolic link.")
        {
            Path = path;
        }

        public string Path { get; }
    }

    /// <summary>
    /// The target is a named pipe, a device node or a socket. Writing there would block or reach a device, and
    /// replacing it would remove it; it is refused, whether or not overwriting was asked for.
    /// </summary>
    public sealed class NotARegularFileException : IOException
    {
        public NotARegularFileException(string path, SpecialFileKind kind)
            : base($"'{path}' is not a regular file ({kind}).")
        {
            Path = path;
            Kind = kind;
        }

        public string Path { get; }

        /// <summary>What the path is instead.</summary>
        public SpecialFileKind Kind { get; }
    }
}
