using System;
using System.IO;

namespace ModelverseImage.Saving
{
    /// <summary>The target file is already there and overwriting was not asked for (-Force).</summary>
    public sealed class FileExistsException : IOException
    {
        public FileExistsException(string path, Exception? inner = null)
            : base($"The file '{path}' already exists. Use -Force to overwrite it.", inner)
        {
            Path = path;
        }

        public string Path { get; }
    }

    /// <summary>
    /// The target is a symbolic link (or another reparse point). Replacing it atomically would put a file
    /// where the link was and leave the file it points to unchanged, so it is refused, with or without -Force.
    /// </summary>
    public sealed class LinkNotReplacedException : IOException
    {
        public LinkNotReplacedException(string path)
            : base($"'{path}' is a symbolic link; it is not replaced, even with -Force (that would put a file where the link is). Save to the file it points to instead.")
        {
            Path = path;
        }

        public string Path { get; }
    }

    /// <summary>
    /// The target is a named pipe, a device node or a socket. Writing there would block or reach a device, and
    /// replacing it would remove it; it is refused, with or without -Force.
    /// </summary>
    public sealed class NotARegularFileException : IOException
    {
        public NotARegularFileException(string path, string kind)
            : base($"'{path}' is {kind}; it is not replaced, even with -Force. Save to a regular file or a folder instead.")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
