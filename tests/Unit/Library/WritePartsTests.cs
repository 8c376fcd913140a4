using ModelverseImage.Saving;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// AtomicFile writing a file as parts (an image with a chunk inserted) and running the journal hook after the
/// temporary file is on disk and before the file appears under its name.
/// </summary>
public sealed class WritePartsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mvi-parts-" + Guid.NewGuid().ToString("N"));

    public WritePartsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ArraySegment<byte>[] Parts()
    {
        var image = Enumerable.Range(0, 3_000_000).Select(i => (byte)i).ToArray(); // over the 1 MiB write chunk
        return
        [
            new ArraySegment<byte>(image, 0, 33),
            new ArraySegment<byte>([1, 2, 3, 4, 5]),
            new ArraySegment<byte>(image, 33, image.Length - 33),
        ];
    }

    [Fact]
    public void TheFileIsThePartsOneAfterTheOtherAndTheHookRunsBeforeItAppears()
    {
        var parts = Parts();
        string? hookSaw = null;
        bool existedAtHook = true;
        int tempFilesAtHook = 0;

        string written = AtomicFile.WriteUnique(_dir, "cat.png", parts, CancellationToken.None, (path, _) =>
        {
            hookSaw = path;
            existedAtHook = File.Exists(path);
            tempFilesAtHook = Directory.GetFiles(_dir, ".cat.png.*.tmp").Length;
        });

        Assert.Equal(Path.Combine(_dir, "cat.png"), written);
        Assert.Equal(written, hookSaw);
        Assert.False(existedAtHook);
        Assert.Equal(1, tempFilesAtHook);
        Assert.Equal(parts.SelectMany(p => p.ToArray()).ToArray(), File.ReadAllBytes(written));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AFailingHookLeavesNoFileAndNoTemporaryFile()
    {
        Assert.Throws<IOException>(() => AtomicFile.Write(Path.Combine(_dir, "cat.png"), Parts(), overwrite: false, CancellationToken.None,
            (_, _) => throw new IOException("the ledger could not be written")));

        Assert.Empty(Directory.GetFiles(_dir));
    }
}
