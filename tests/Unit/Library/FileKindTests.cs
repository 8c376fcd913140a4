using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using ModelverseImage.Saving;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// Issue #24 item 4: what is at a path, told without the runtime's private exports; a named pipe, a device or a
/// socket is never taken for a regular file (reading one could wait for ever).
/// </summary>
public sealed class FileKindTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mvi-kind-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheCoreCallsNoUnpublishedRuntimeExport()
    {
        var imports = typeof(FileKind).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Import: m.GetCustomAttribute<DllImportAttribute>()))
            .Where(m => m.Import != null)
            .ToList();

        Assert.All(imports, m =>
        {
            Assert.DoesNotContain("System.Native", m.Import!.Value, StringComparison.OrdinalIgnoreCase);
            Assert.False((m.Import.EntryPoint ?? m.Method.Name).StartsWith("SystemNative_", StringComparison.Ordinal), m.Method.Name);
        });
    }

    [Fact]
    public void EveryKindOfFileIsToldApart()
    {
        if (OperatingSystem.IsWindows()) return; // no fifos, sockets or device nodes in a Windows folder
        string fifo = Path.Combine(_dir, "fifo.png");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        string regular = Path.Combine(_dir, "regular.png");
        File.WriteAllBytes(regular, new byte[] { 1, 2, 3 });
        string socketPath = Path.Combine(_dir, "socket.png");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        string toFifo = Path.Combine(_dir, "to-fifo.png");
        File.CreateSymbolicLink(toFifo, fifo);
        string toRegular = Path.Combine(_dir, "to-regular.png");
        File.CreateSymbolicLink(toRegular, regular);
        string dangling = Path.Combine(_dir, "dangling.png");
        File.CreateSymbolicLink(dangling, Path.Combine(_dir, "nothing"));

        var expected = new (string Path, FileKindValue Followed, FileKindValue Itself)[]
        {
            (regular, FileKindValue.Regular, FileKindValue.Regular),
            (_dir, FileKindValue.Directory, FileKindValue.Directory),
            (fifo, FileKindValue.Special, FileKindValue.Special),
            ("/dev/null", FileKindValue.Special, FileKindValue.Special),
            (socketPath, FileKindValue.Special, FileKindValue.Special),
            (toFifo, FileKindValue.Special, FileKindValue.Link),
            (toRegular, FileKindValue.Regular, FileKindValue.Link),
            (dangling, FileKindValue.Missing, FileKindValue.Link),
            (Path.Combine(_dir, "missing.png"), FileKindValue.Missing, FileKindValue.Missing),
            (Path.Combine(regular, "under-a-file.png"), FileKindValue.Missing, FileKindValue.Missing),
        };
        foreach (var (path, followed, itself) in expected)
        {
            Assert.True(followed == FileKind.Of(path, followLinks: true), $"{path} followed: {FileKind.Of(path, followLinks: true)}");
            Assert.True(itself == FileKind.Of(path, followLinks: false), $"{path} itself: {FileKind.Of(path, followLinks: false)}");
        }
        Assert.Equal(SpecialFileKind.NamedPipe, FileKind.Special(toFifo));
        Assert.Equal(SpecialFileKind.Device, FileKind.Special("/dev/null"));
        Assert.Equal(SpecialFileKind.Socket, FileKind.Special(socketPath));
    }
}
