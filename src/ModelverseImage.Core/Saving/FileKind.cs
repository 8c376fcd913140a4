using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace ModelverseImage.Saving
{
    /// <summary>What is at a path, as the file system says: the one test of "a regular file" before a file is read or replaced.</summary>
    public enum FileKindValue
    {
        /// <summary>Nothing is there.</summary>
        Missing,

        /// <summary>A regular file (or, where the kind cannot be told, anything File.Exists calls a file).</summary>
        Regular,

        Directory,

        /// <summary>A symbolic link (only when links are not followed).</summary>
        Link,

        /// <summary>A named pipe (fifo), a device node or a socket: reading may block for ever, replacing it breaks the system.</summary>
        Special,
    }

    /// <summary>Which kind of <see cref="FileKindValue.Special"/> file a path is, as far as it can be told.</summary>
    public enum SpecialFileKind
    {
        /// <summary>Not a regular file, but which kind cannot be told.</summary>
        Unknown,

        /// <summary>A named pipe (fifo).</summary>
        NamedPipe,

        /// <summary>A character or block device.</summary>
        Device,

        Socket,
    }

    /// <summary>
    /// Tells a regular file from a named pipe, a device node or a socket. .NET reports all of these as "Normal"
    /// files (File.Exists is true, FileAttributes say nothing), and opening a named pipe for reading blocks until a
    /// writer appears, so the kind is read with lstat/stat through the runtime's own native library
    /// (libSystem.Native, shipped with every .NET on Linux and macOS: SystemNative_LStat/SystemNative_Stat, whose
    /// status begins with two 32-bit fields, flags then st_mode). Windows has no such files in the file system;
    /// there, and wherever the call is not available, File.Exists and Directory.Exists decide.
    /// </summary>
    public static class FileKind
    {
        private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, DirectoryType = 0x4000, BlockDevice = 0x6000, RegularType = 0x8000, LinkType = 0xA000, Socket = 0xC000;

        private static bool _nativeMissing = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The kind of <paramref name="path"/>; with <paramref name="followLinks"/>, of what a link points to.</summary>
        public static FileKindValue Of(string path, bool followLinks)
        {
            if (!_nativeMissing)
            {
                try
                {
                    byte[] native = NullTerminatedUtf8(path);
                    int result = followLinks ? Native.Stat(native, out var status) : Native.LStat(native, out status);
                    if (result != 0) return FileKindValue.Missing;
                    return (status.Mode & TypeMask) switch
                    {
                        RegularType => FileKindValue.Regular,
                        DirectoryType => FileKindValue.Directory,
                        LinkType => FileKindValue.Link,
                        Fifo or CharDevice or BlockDevice or Socket => FileKindValue.Special,
                        _ => FileKindValue.Special,
                    };
                }
                catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
                {
                    _nativeMissing = true;
                }
            }
            if (Directory.Exists(path)) return FileKindValue.Directory;
            return File.Exists(path) ? FileKindValue.Regular : FileKindValue.Missing;
        }

        /// <summary>Which special file <paramref name="path"/> is (following links): a named pipe, a device or a socket.</summary>
        public static SpecialFileKind Special(string path)
        {
            if (_nativeMissing) return SpecialFileKind.Unknown;
            try
            {
                Native.Stat(NullTerminatedUtf8(path), out var status);
                return (status.Mode & TypeMask) switch
                {
                    Fifo => SpecialFileKind.NamedPipe,
                    CharDevice or BlockDevice => SpecialFileKind.Device,
                    Socket => SpecialFileKind.Socket,
                    _ => SpecialFileKind.Unknown,
                };
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
            {
                return SpecialFileKind.Unknown;
            }
        }

        private static byte[] NullTerminatedUtf8(string path)
        {
            if (path.IndexOf('\0') >= 0) throw new ArgumentException("Null character in path.", nameof(path));
            int length = Encoding.UTF8.GetByteCount(path);
            var bytes = new byte[length + 1];
            Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        /// <summary>The runtime's FileStatus, of which only the first two fields are read; sized well beyond its real size.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 512)]
        private struct Status
        {
            [FieldOffset(0)] public int Flags;
            [FieldOffset(4)] public int Mode;
        }

        private static class Native
        {
            [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
            public static extern int LStat(byte[] path, out Status status);

            [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
            public static extern int Stat(byte[] path, out Status status);
        }
    }
}
