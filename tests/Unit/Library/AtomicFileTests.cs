using ModelverseImage.Saving;

namespace ModelverseImage.Tests.Library;

public sealed class AtomicFileTests : IDisposable
{
    private static readonly byte[] Original = { 1, 2, 3, 4 };
    private static readonly byte[] Replacement = { 9, 8, 7 };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mvi-atomic-" + Guid.NewGuid().ToString("N"));

    public AtomicFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string InDir(string name) => Path.Combine(_dir, name);

    /// <summary>Every file in the folder, hidden ones (".x.tmp") included.</summary>
    private string[] FilesInDir() =>
        new DirectoryInfo(_dir)
            .GetFiles("*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true })
            .Select(f => f.Name)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public void WritesAndReadsBack()
    {
        var bytes = TestImages.Png(32, 32, 6, noise: true);
        string path = InDir("out.png");
        Write(path, bytes, overwrite: false);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(new[] { "out.png" }, FilesInDir());
    }

    [Fact]
    public void WritesEmptyAndMultiChunkFiles()
    {
        Write(InDir("empty.bin"), Array.Empty<byte>(), overwrite: false);
        Assert.Empty(File.ReadAllBytes(InDir("empty.bin")));

        var big = new byte[(3 << 20) + 17]; // more than the internal write chunk
        new Random(7).NextBytes(big);
        Write(InDir("big.bin"), big, overwrite: false);
        Assert.Equal(big, File.ReadAllBytes(InDir("big.bin")));
        Assert.Equal(new[] { "big.bin", "empty.bin" }, FilesInDir());
    }

    [Fact]
    public void RelativePathsAreResolvedAgainstTheCurrentFolder()
    {
        // GetFullPath turns it into a full path; the file lands exactly where asked.
        string path = Path.GetRelativePath(Environment.CurrentDirectory, InDir("rel.png"));
        Write(path, Original, overwrite: false);
        Assert.Equal(Original, File.ReadAllBytes(InDir("rel.png")));
    }

    [Fact]
    public void RefusesToOverwriteWithoutOverwriteAndKeepsTheOriginal()
    {
        string path = InDir("x.png");
        File.WriteAllBytes(path, Original);
        var error = Assert.Throws<FileExistsException>(() => Write(path, Replacement, overwrite: false));
        // The core reports the fact (which file); the cmdlets' words (-Force) are SaveErrorTests'.
        Assert.Equal(path, error.Path);
        Assert.Contains("exists", error.Message);
        Assert.Equal(Original, File.ReadAllBytes(path));
        Assert.Equal(new[] { "x.png" }, FilesInDir());
    }

    [Fact]
    public void RefusesWhenTheTargetAppearsWhileWriting()
    {
        string path = InDir("race.png");
        var error = Assert.Throws<FileExistsException>(() =>
            Write(path, Replacement, overwrite: false, CancellationToken.None,
                beforeMove: () => File.WriteAllBytes(path, Original)));
        Assert.Equal(path, error.Path);
        Assert.Equal(Original, File.ReadAllBytes(path));
        Assert.Equal(new[] { "race.png" }, FilesInDir());
    }

    [Fact]
    public void OverwritesWhenAsked()
    {
        string path = InDir("x.png");
        File.WriteAllBytes(path, Original);
        Write(path, Replacement, overwrite: true);
        Assert.Equal(Replacement, File.ReadAllBytes(path));
        Assert.Equal(new[] { "x.png" }, FilesInDir());
    }

    [Fact]
    public void OverwriteOfAMissingFileCreatesIt()
    {
        string path = InDir("new.png");
        Write(path, Replacement, overwrite: true);
        Assert.Equal(Replacement, File.ReadAllBytes(path));
        Assert.Equal(new[] { "new.png" }, FilesInDir());
    }

    [Fact]
    public void OverwriteReplacesAFileThatAppearsWhileWriting()
    {
        string path = InDir("race.png");
        Write(path, Replacement, overwrite: true, CancellationToken.None,
            beforeMove: () => File.WriteAllBytes(path, Original));
        Assert.Equal(Replacement, File.ReadAllBytes(path));
        Assert.Equal(new[] { "race.png" }, FilesInDir());
    }

    [Fact]
    public void TempFileIsInTheTargetFolderAndHiddenish()
    {
        string path = InDir("seen.png");
        string[]? during = null;
        Write(path, Original, overwrite: false, CancellationToken.None, beforeMove: () => during = FilesInDir());
        var temp = Assert.Single(during!);
        Assert.StartsWith(".seen.png.", temp);
        Assert.EndsWith(".tmp", temp);
        Assert.Equal(new[] { "seen.png" }, FilesInDir());
    }

    [Fact]
    public void PreCancelledTokenWritesNothingAndLeavesNoTemp()
    {
        string path = InDir("cancelled.png");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Write(path, Original, overwrite: false, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => Write(path, Original, overwrite: true, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => WriteUnique(_dir, "cancelled.png", Original, cts.Token));
        Assert.Empty(FilesInDir());
    }

    [Fact]
    public void CancellationJustBeforeTheMoveLeavesTheOriginalAndNoTemp()
    {
        string path = InDir("keep.png");
        File.WriteAllBytes(path, Original);
        using var cts = new CancellationTokenSource();
        string[]? during = null;
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Write(path, Replacement, overwrite: true, cts.Token, beforeMove: () =>
            {
                during = FilesInDir();
                cts.Cancel();
            }));
        Assert.Equal(2, during!.Length); // the temp file had been written
        Assert.Equal(Original, File.ReadAllBytes(path));
        Assert.Equal(new[] { "keep.png" }, FilesInDir());
    }

    [Fact]
    public void MissingDirectoryThrowsDirectoryNotFound()
    {
        string missing = InDir("no-such-folder");
        Assert.Throws<DirectoryNotFoundException>(() => Write(Path.Combine(missing, "x.png"), Original, overwrite: false));
        Assert.Throws<DirectoryNotFoundException>(() => Write(Path.Combine(missing, "x.png"), Original, overwrite: true));
        Assert.Throws<DirectoryNotFoundException>(() => WriteUnique(missing, "x.png", Original));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void WriteUniqueNumbersTheNames()
    {
        string first = WriteUnique(_dir, "x.png", new byte[] { 1 });
        string second = WriteUnique(_dir, "x.png", new byte[] { 2 });
        string third = WriteUnique(_dir, "x.png", new byte[] { 3 });
        Assert.Equal(InDir("x.png"), first);
        Assert.Equal(InDir("x (2).png"), second);
        Assert.Equal(InDir("x (3).png"), third);
        Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(first));
        Assert.Equal(new byte[] { 2 }, File.ReadAllBytes(second));
        Assert.Equal(new byte[] { 3 }, File.ReadAllBytes(third));
        Assert.Equal(new[] { "x (2).png", "x (3).png", "x.png" }, FilesInDir());
    }

    [Fact]
    public void WriteUniqueFillsTheFirstGap()
    {
        File.WriteAllBytes(InDir("x.png"), Original);
        File.WriteAllBytes(InDir("x (3).png"), Original);
        Assert.Equal(InDir("x (2).png"), WriteUnique(_dir, "x.png", Replacement));
        Assert.Equal(InDir("x (4).png"), WriteUnique(_dir, "x.png", Replacement));
        Assert.Equal(Original, File.ReadAllBytes(InDir("x (3).png")));
    }

    [Fact]
    public void WriteUniqueSkipsANameTakenBetweenCheckAndMove()
    {
        var tried = new List<string>();
        string written = WriteUnique(_dir, "y.webp", Replacement, CancellationToken.None, candidate =>
        {
            tried.Add(Path.GetFileName(candidate));
            if (tried.Count == 1)
            {
                File.WriteAllBytes(candidate, Original); // another writer wins the race for "y.webp"
            }
        });
        Assert.Equal(new[] { "y.webp", "y (2).webp" }, tried);
        Assert.Equal(InDir("y (2).webp"), written);
        Assert.Equal(Original, File.ReadAllBytes(InDir("y.webp")));
        Assert.Equal(Replacement, File.ReadAllBytes(written));
        Assert.Equal(new[] { "y (2).webp", "y.webp" }, FilesInDir());
    }

    [Fact]
    public void WriteUniqueHandlesNamesWithoutExtensionAndDotFiles()
    {
        Assert.Equal(InDir("plain"), WriteUnique(_dir, "plain", Original));
        Assert.Equal(InDir("plain (2)"), WriteUnique(_dir, "plain", Original));
        Assert.Equal(InDir(".hidden"), WriteUnique(_dir, ".hidden", Original));
        Assert.Equal(InDir(".hidden (2)"), WriteUnique(_dir, ".hidden", Original));
    }

    [Fact]
    public void WriteUniqueSkipsAFolderOfTheSameName()
    {
        Directory.CreateDirectory(InDir("z.png"));
        Assert.Equal(InDir("z (2).png"), WriteUnique(_dir, "z.png", Original));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../escape.png")]
    [InlineData("sub/x.png")]
    [InlineData("sub\\x.png")]
    public void WriteUniqueRejectsPathsAsNames(string fileName)
    {
        Assert.Throws<ArgumentException>(() => WriteUnique(_dir, fileName, Original));
        Assert.Empty(FilesInDir());
        Assert.Empty(Directory.GetDirectories(_dir));
    }

    [Fact]
    public void LongNamesGetAShortEnoughTempName()
    {
        string name = new string('n', 240) + ".png";
        string path = InDir(name);
        Write(path, Original, overwrite: false);
        Assert.Equal(Original, File.ReadAllBytes(path));
        Assert.Equal(new[] { name }, FilesInDir());
    }

    [Fact]
    public void A255ByteNameGetsATempNameThatFits()
    {
        // 84 three-byte letters: 252 bytes, then ".png" — 256 would be one too many, so 83 (249 + 4 = 253).
        string name = new string('猫', 83) + ".png";
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(name), 250, 255);
        Write(InDir(name), Original, overwrite: false);
        Assert.Equal(Original, File.ReadAllBytes(InDir(name)));
        Assert.Equal(new[] { name }, FilesInDir());
    }

    [Fact]
    public void ExistingFileIsAFileExistsException()
    {
        File.WriteAllBytes(InDir("a.png"), Original);
        var ex = Assert.Throws<FileExistsException>(() => Write(InDir("a.png"), Replacement, overwrite: false));
        Assert.Equal(InDir("a.png"), ex.Path);
        Assert.Equal(Original, File.ReadAllBytes(InDir("a.png")));
    }

    [Fact]
    public void OverwriteKeepsTheReplacedFilesPermissions()
    {
        if (OperatingSystem.IsWindows()) return; // File.Replace keeps the ACL there; this checks the Unix mode bits
        string path = InDir("private.png");
        File.WriteAllBytes(path, Original);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(path, Replacement, overwrite: true);
        Assert.Equal(Replacement, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ASymbolicLinkIsNeverReplaced()
    {
        string real = InDir("real.png"), link = InDir("link.png");
        File.WriteAllBytes(real, Original);
        File.CreateSymbolicLink(link, real);
        Assert.Throws<LinkNotReplacedException>(() => Write(link, Replacement, overwrite: true));
        Assert.Throws<LinkNotReplacedException>(() => Write(link, Replacement, overwrite: false));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(Original, File.ReadAllBytes(real));
        Assert.Equal(new[] { "link.png", "real.png" }, FilesInDir());
    }

    // The tests write one buffer; the module writes parts (AtomicFile takes a list of segments).
    private static void Write(string path, byte[] bytes, bool overwrite, CancellationToken cancellationToken = default, Action? beforeMove = null) =>
        AtomicFile.Write(path, new[] { new ArraySegment<byte>(bytes) }, overwrite, cancellationToken, beforeMove == null ? null : (_, _) => beforeMove());

    private static string WriteUnique(string directory, string fileName, byte[] bytes, CancellationToken cancellationToken = default, Action<string>? beforeMove = null) =>
        AtomicFile.WriteUnique(directory, fileName, new[] { new ArraySegment<byte>(bytes) }, cancellationToken, beforeMove == null ? null : (candidate, _) => beforeMove(candidate));
}
