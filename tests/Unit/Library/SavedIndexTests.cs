using ModelverseImage.Imaging;
using ModelverseImage.Resume;

namespace ModelverseImage.Tests.Library;

/// <summary>What a folder counts as saved: embedded records, and ledger entries whose file holds what they saved.</summary>
public sealed class SavedIndexTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mvi-index-" + Guid.NewGuid().ToString("N"));

    public SavedIndexTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void SaveMarked(string name, byte[] image, int occurrence, int index)
    {
        var record = new ImageRecord { Prompt = "p", RequestKey = Key, Occurrence = occurrence, Index = index };
        Assert.Equal(MarkOutcome.Marked, XmpEmbedder.Plan(new ArraySegment<byte>(image), record, out var parts));
        File.WriteAllBytes(Path.Combine(_dir, name), parts.SelectMany(p => p.ToArray()).ToArray());
    }

    [Fact]
    public void EmbeddedRecordsOfEveryFormatCount()
    {
        SaveMarked("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        SaveMarked("b.jpg", TestImages.Jpeg(8, 8, 0xC0, app1Length: 40, scanBytes: 50), 1, 2);
        SaveMarked("c.webp", TestImages.WebpVp8(8, 8, 0), 2, 1);
        File.WriteAllBytes(Path.Combine(_dir, "plain.png"), TestImages.Png(4, 4, colourType: 2));

        var index = SavedIndex.Load(_dir);

        Assert.Equal(3, index.ImageCount);
        Assert.Equal(new[] { 3 }, index.Missing(Key, 1, 3));
        Assert.Equal(new[] { 2 }, index.Missing(Key, 2, 2));
        Assert.Equal(new[] { 1 }, index.Missing(Key, 3, 1));
    }

    /// <summary>Saves <paramref name="bytes"/> as <paramref name="name"/> with its ledger entry, as Save-MvImage -NoMetadata does.</summary>
    private void SaveEntered(string name, byte[] bytes, int occurrence, int index, string key = Key)
    {
        var marking = SaveMarking.For(new ArraySegment<byte>(bytes), new ImageRecord { Prompt = "p", RequestKey = key, Occurrence = occurrence, Index = index, RunId = "run1" }, isPartial: false, noMetadata: true, enterMarked: false);
        ModelverseImage.Saving.AtomicFile.Write(Path.Combine(_dir, name), marking.Parts, overwrite: true, CancellationToken.None, marking.BeforeMove);
        Assert.Null(marking.LedgerFailure);
    }

    private string LedgerPath => Path.Combine(_dir, Ledger.FileName);

    [Fact]
    public void AnEntryCountsOnlyWhenItsFileExists()
    {
        SaveEntered("kept.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        SaveEntered("killed-before-the-move.png", TestImages.Png(5, 4, colourType: 2), 1, 2);
        File.Delete(Path.Combine(_dir, "killed-before-the-move.png"));

        var index = SavedIndex.Load(_dir);

        Assert.Equal(new[] { 2, 3 }, index.Missing(Key, 1, 3));
    }

    [Fact]
    public void AnEntryCutShortIsIgnoredAndTheNextStartsOnALineOfItsOwn()
    {
        SaveEntered("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        byte[] whole = File.ReadAllBytes(LedgerPath);
        using (var ledger = new FileStream(LedgerPath, FileMode.Append)) ledger.Write(whole, 0, whole.Length / 2); // a full disk's half entry
        Assert.True(SavedIndex.Load(_dir).LedgerFirstRead!.TornTail);

        SaveEntered("b.png", TestImages.Png(5, 4, colourType: 2), 1, 2);
        var index = SavedIndex.Load(_dir);

        Assert.Empty(index.Missing(Key, 1, 2));
        Assert.False(index.LedgerFirstRead!.TornTail);
        Assert.Equal(1, index.LedgerFirstRead.Damaged);
    }

    [Fact]
    public void AnEntryWhoseBytesChangedDoesNotCheckOut()
    {
        SaveEntered("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        byte[] ledger = File.ReadAllBytes(LedgerPath);
        int tab = Array.IndexOf(ledger, (byte)'\t', 4 + Key.Length + 1);
        ledger[tab - 1] = (byte)'7'; // occurrence 1 becomes 7, the checksum no longer fits
        File.WriteAllBytes(LedgerPath, ledger);

        var index = SavedIndex.Load(_dir);

        Assert.Equal(new[] { 1 }, index.Missing(Key, 7, 1));
        Assert.Equal(new[] { 1 }, index.Missing(Key, 1, 1));
        Assert.Equal(1, index.LedgerFirstRead!.Damaged);
    }

    [Fact]
    public void AReusedNameCountsForTheRequestWhoseContentItHolds()
    {
        const string Other = "fedcba9876543210fedcba9876543210";
        SaveEntered("cat-1.png", TestImages.Png(4, 4, colourType: 2), 1, 1, Key);
        File.Delete(Path.Combine(_dir, "cat-1.png"));
        SaveEntered("cat-1.png", TestImages.Png(6, 4, colourType: 2), 1, 1, Other);

        var index = SavedIndex.Load(_dir);

        Assert.Equal(new[] { 1 }, index.Missing(Key, 1, 1));
        Assert.Empty(index.Missing(Other, 1, 1));
    }

    [Fact]
    public void ACopiedFileOfTheSameContentCountsByItsSha256()
    {
        SaveEntered("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "a.png"), DateTime.UtcNow.AddDays(-3)); // as a copy without its times
        SaveEntered("b.png", TestImages.Png(5, 4, colourType: 2), 1, 2);
        byte[] changed = File.ReadAllBytes(Path.Combine(_dir, "b.png"));
        changed[changed.Length / 2] ^= 0xFF; // the same length, other bytes
        File.WriteAllBytes(Path.Combine(_dir, "b.png"), changed);

        var index = SavedIndex.Load(_dir);

        Assert.Equal(new[] { 2 }, index.Missing(Key, 1, 2));
    }

    [Fact]
    public void ALedgerOverTheBoundIsNotRead()
    {
        using (var ledger = new FileStream(LedgerPath, FileMode.Create)) ledger.SetLength(Ledger.MaxBytes + 1);

        var index = SavedIndex.Load(_dir);

        Assert.Equal(LedgerProblem.TooLarge, index.LedgerFirstRead!.Problem);
    }

    [Fact]
    public void RefreshSeesWhatAnotherRunSavedSinceTheFirstRead()
    {
        SaveEntered("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        var index = SavedIndex.Load(_dir);
        SaveEntered("b.png", TestImages.Png(5, 4, colourType: 2), 2, 1);
        Assert.Equal(new[] { 1 }, index.Missing(Key, 2, 1));

        index.Refresh();

        Assert.Empty(index.Missing(Key, 2, 1));
        Assert.Empty(index.Missing(Key, 1, 1));
    }

    [Fact]
    public void ConcurrentWritersAppendWholeEntries()
    {
        Parallel.For(0, 8, writer =>
        {
            for (int i = 0; i < 50; i++)
                Ledger.Append(_dir, new LedgerEntry(Key, writer + 1, i + 1, $"w{writer}-{i}.png", 10, 20, new string('a', 64), "run"));
        });

        var entries = new List<LedgerEntry>();
        var reading = Ledger.Read(_dir, 0, entries.Add);

        Assert.Equal(0, reading.Damaged);
        Assert.Equal(400, entries.Count);
        Assert.All(entries, e => Assert.Equal($"w{e.Occurrence - 1}-{e.Index - 1}.png", e.FileName));
    }

    [Fact]
    public void AFileSOwnRecordOutranksAnEntryForOtherContent()
    {
        SaveMarked("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        Ledger.Append(_dir, new LedgerEntry(Key, 5, 5, "a.png", 1, 1, new string('0', 64), "run")); // another writer's entry for a name this file took

        var index = SavedIndex.Load(_dir);

        Assert.Empty(index.Missing(Key, 1, 1));
        Assert.Equal(new[] { 5 }, index.Missing(Key, 5, 5).Skip(4));
    }

    /// <summary>Review of issue 25: a blank line threw (Array.LastIndexOf with -1), CRLF endings and a BOM lost entries.</summary>
    [Theory]
    [InlineData("blank line")]
    [InlineData("CRLF")]
    [InlineData("BOM")]
    public void ALedgerEditedByHandStillCounts(string edit)
    {
        SaveEntered("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        SaveEntered("b.png", TestImages.Png(5, 4, colourType: 2), 1, 2);
        byte[] ledger = File.ReadAllBytes(LedgerPath);
        byte[] edited = edit switch
        {
            "blank line" => ledger.Concat(new[] { (byte)'\n', (byte)'\n' }).ToArray(),
            "CRLF" => ledger.SelectMany(b => b == '\n' ? new[] { (byte)'\r', b } : new[] { b }).ToArray(),
            _ => new byte[] { 0xEF, 0xBB, 0xBF }.Concat(ledger).ToArray(),
        };
        File.WriteAllBytes(LedgerPath, edited);

        var index = SavedIndex.Load(_dir);

        Assert.Empty(index.Missing(Key, 1, 2));
        Assert.Equal(0, index.LedgerFirstRead!.Damaged);
    }

    [Fact]
    public void AFolderThatDoesNotExistHoldsNothing()
    {
        var index = SavedIndex.Load(Path.Combine(_dir, "missing"));
        Assert.Equal(0, index.ImageCount);
        Assert.Equal(new[] { 1, 2 }, index.Missing(Key, 1, 2));
    }
}
