using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace ModelverseImage.Saving
{
    /// <summary>What is at a path, as the file system says: the one test of "a regular file" before a file is read or replaced.</summary>
    public enum FileKindValue
    {
        /// <summary>Nothing is there (or the path cannot be looked at: a folder on the way may not be searched).</summary>
        Missing,

        /// <summary>A regular file.</summary>
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
    /// Tells a regular file from a named pipe, a device node or a socket, without opening it (opening a named pipe for
    /// reading blocks until a writer appears). .NET has no public way to: on Linux and macOS it reports all of these
    /// as "Normal" files (FileAttributes, FileSystemInfo, UnixFileMode: verified on .NET 10), so the kind is read from
    /// the C library, a published interface, through calls whose result layout is fixed by the system's ABI:
    /// Linux statx(2) (glibc 2.28+, musl 1.2.5+; struct statx is the same on every architecture, stx_mode at byte
    /// 28), macOS stat/lstat (the 64-bit-inode struct stat of x64 and arm64, st_mode at byte 4). Elsewhere, or when
    /// the call is missing, it fails loudly (PlatformNotSupportedException): it never falls back to File.Exists,
    /// which calls a pipe a file. Windows folders hold no pipes, sockets or device nodes; there the attributes
    /// decide, and device paths (\\.\pipe\x, \\.\COM1) are special.
    /// </summary>
    public static class FileKind
    {
        private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, DirectoryType = 0x4000, BlockDevice = 0x6000, RegularType = 0x8000, LinkType = 0xA000, Socket = 0xC000;

        /// <summary>The kind of <paramref name="path"/>; with <paramref name="followLinks"/>, of what a link points to.</summary>
        public static FileKindValue Of(string path, bool followLinks)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return OnWindows(path, followLinks);
            int type = UnixType(path, followLinks);
            switch (type)
            {
                case -1: return FileKindValue.Missing;
                case RegularType: return FileKindValue.Regular;
                case DirectoryType: return FileKindValue.Directory;
                case LinkType: return FileKindValue.Link;
                default: return FileKindValue.Special;
            }
        }

        /// <summary>Which special file <paramref name="path"/> is (following links): a named pipe, a device or a socket.</summary>
        public static SpecialFileKind Special(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return SpecialFileKind.Unknown;
            switch (UnixType(path, followLinks: true))
            {
                case Fifo: return SpecialFileKind.NamedPipe;
                case CharDevice:
                case BlockDevice: return SpecialFileKind.Device;
                case Socket: return SpecialFileKind.Socket;
                default: return SpecialFileKind.Unknown;
            }
        }

        /// <summary>
        /// Whether the open <paramref name="handle"/> is the very file at <paramref name="path"/> (links not followed):
        /// the same device and inode. It closes the gap between looking at a path and opening it, in which a link or a
        /// pipe could be put in the file's place. On Windows, where links are refused by their attributes before
        /// opening and the folder holds no pipes, it is true.
        /// </summary>
        public static bool IsSameFile(string path, Microsoft.Win32.SafeHandles.SafeFileHandle handle)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return true;
            var atPath = UnixIdentity(path, -1);
            if (atPath == null) return false;
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var opened = UnixIdentity(null, handle.DangerousGetHandle().ToInt32());
                return opened != null && opened.Value.Equals(atPath.Value);
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }

        /// <summary>(device, inode, S_IFMT) of a path (links not followed) or an open descriptor; null when nothing is there.</summary>
        private static (ulong Device, ulong Inode, int Type)? UnixIdentity(string? path, int descriptor)
        {
            var status = new byte[256];
            bool linux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
            int result;
            try
            {
                if (linux)
                {
                    result = path != null
                        ? Libc.Statx(AtFdCwd, NullTerminatedUtf8(path), AtSymlinkNoFollow, StatxType | StatxIno, status)
                        : Libc.Statx(descriptor, new byte[1], AtEmptyPath, StatxType | StatxIno, status);
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                {
                    bool arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
                    result = path != null
                        ? (arm ? Libc.LStat(NullTerminatedUtf8(path), status) : Libc.LStat64(NullTerminatedUtf8(path), status))
                        : (arm ? Libc.FStat(descriptor, status) : Libc.FStat64(descriptor, status));
                }
                else
                {
                    throw NotSupported(null);
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                throw NotSupported(ex);
            }
            if (result != 0) return null;
            // statx: stx_mode at 28, stx_ino at 32, stx_dev_major/minor at 136/140; macOS: st_dev at 0, st_mode at 4, st_ino at 8.
            return linux
                ? (((ulong)BitConverter.ToUInt32(status, 136) << 32) | BitConverter.ToUInt32(status, 140), BitConverter.ToUInt64(status, 32), BitConverter.ToUInt16(status, 28) & TypeMask)
                : ((ulong)BitConverter.ToUInt32(status, 0), BitConverter.ToUInt64(status, 8), BitConverter.ToUInt16(status, 4) & TypeMask);
        }

        private static FileKindValue OnWindows(string path, bool followLinks)
        {
            if (path.StartsWith(@"\\.\", StringComparison.Ordinal)) return FileKindValue.Special; // the device namespace: pipes, ports, consoles
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return FileKindValue.Missing;
            }
            if (!followLinks && (attributes & FileAttributes.ReparsePoint) != 0) return FileKindValue.Link;
            if ((attributes & FileAttributes.Device) != 0) return FileKindValue.Special;
            if (Directory.Exists(path)) return FileKindValue.Directory;
            return File.Exists(path) ? FileKindValue.Regular : FileKindValue.Missing;
        }

        /// <summary>The S_IFMT bits of the path's mode, or -1 when nothing is there (or it cannot be looked at).</summary>
        private static int UnixType(string path, bool followLinks)
        {
            byte[] native = NullTerminatedUtf8(path);
            var status = new byte[256]; // struct statx is 256 bytes, macOS's struct stat 144
            bool linux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
            int result;
            try
            {
                if (linux)
                {
                    result = Libc.Statx(AtFdCwd, native, followLinks ? 0 : AtSymlinkNoFollow, StatxType, status);
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                {
                    bool arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
                    result = followLinks
                        ? (arm ? Libc.Stat(native, status) : Libc.Stat64(native, status))
                        : (arm ? Libc.LStat(native, status) : Libc.LStat64(native, status));
                }
                else
                {
                    throw NotSupported(null);
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                throw NotSupported(ex);
            }
            if (result != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (IsNotThere(errno, linux)) return -1;
                throw new IOException($"Cannot tell what '{path}' is: the system refused to describe it (errno {errno}).", errno);
            }
            int mode = BitConverter.ToUInt16(status, linux ? 28 : 4);
            return mode & TypeMask;
        }

        // ENOENT, EACCES and ENOTDIR everywhere; ELOOP and ENAMETOOLONG are 40 and 36 on Linux, 62 and 63 on macOS.
        private static bool IsNotThere(int errno, bool linux) =>
            errno == 2 || errno == 13 || errno == 20 || errno == (linux ? 40 : 62) || errno == (linux ? 36 : 63);

        private static PlatformNotSupportedException NotSupported(Exception? inner) =>
            new PlatformNotSupportedException(
                "ModelverseImage cannot tell a regular file from a named pipe or a device on this system (it reads the kind with statx on Linux and stat on macOS), so it reads and replaces no file here rather than risk waiting for ever on a pipe.",
                inner);

        private static byte[] NullTerminatedUtf8(string path)
        {
            if (path.IndexOf('\0') >= 0) throw new ArgumentException("Null character in path.", nameof(path));
            int length = Encoding.UTF8.GetByteCount(path);
            var bytes = new byte[length + 1];
            Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        private const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;
        private const uint StatxType = 0x1, StatxIno = 0x100;

        /// <summary>The C library's published calls (the runtime maps "libc" to glibc's libc.so.6, musl, or macOS's libSystem).</summary>
        private static class Libc
        {
            [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
            public static extern int Statx(int directory, byte[] path, int flags, uint mask, byte[] status);

            [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
            public static extern int Stat(byte[] path, byte[] status);

            [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
            public static extern int LStat(byte[] path, byte[] status);

            [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
            public static extern int Stat64(byte[] path, byte[] status);

            [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
            public static extern int LStat64(byte[] path, byte[] status);

            [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
            public static extern int FStat(int descriptor, byte[] status);

            [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
            public static extern int FStat64(int descriptor, byte[] status);
        }
    }
}
