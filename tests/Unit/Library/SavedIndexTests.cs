using ModelverseImage.Imaging;
using ModelverseImage.Resume;

namespace ModelverseImage.Tests.Library;

/// <summary>What a folder counts as saved: embedded records, and journal lines whose file exists.</summary>
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

    [Fact]
    public void AJournalLineCountsOnlyWhenItsFileExists()
    {
        File.WriteAllBytes(Path.Combine(_dir, "kept.png"), TestImages.Png(4, 4, colourType: 2));
        SaveJournal.Append(_dir, Key, 1, 1, "kept.png");
        SaveJournal.Append(_dir, Key, 1, 2, "killed-before-the-move.png");
        // A line cut short by a kill is ignored.
        File.AppendAllText(Path.Combine(_dir, SaveJournal.FileName), Key + "\t1\t3\tcut");

        var index = SavedIndex.Load(_dir);

        Assert.Equal(new[] { 2, 3 }, index.Missing(Key, 1, 3));
    }

    [Fact]
    public void AFileSOwnRecordOutranksTheJournal()
    {
        SaveMarked("a.png", TestImages.Png(4, 4, colourType: 2), 1, 1);
        SaveJournal.Append(_dir, Key, 5, 5, "a.png"); // another writer's line for a name this file took

        var index = SavedIndex.Load(_dir);

        Assert.Empty(index.Missing(Key, 1, 1));
        Assert.Equal(new[] { 5 }, index.Missing(Key, 5, 5).Skip(4));
    }

    [Fact]
    public void ConcurrentWritersAppendWholeLines()
    {
        Parallel.For(0, 8, writer =>
        {
            for (int i = 0; i < 50; i++) SaveJournal.Append(_dir, Key, writer + 1, i + 1, $"w{writer}-{i}.png");
        });

        var entries = SaveJournal.Read(_dir);

        Assert.Equal(400, entries.Count);
        Assert.Equal(400, entries.Select(e => e.FileName).Distinct().Count());
        Assert.All(entries, e => Assert.Equal($"w{e.Occurrence - 1}-{e.Index - 1}.png", e.FileName));
    }

    [Fact]
    public void AFolderThatDoesNotExistHoldsNothing()
    {
        var index = SavedIndex.Load(Path.Combine(_dir, "missing"));
        Assert.Equal(0, index.ImageCount);
        Assert.Equal(new[] { 1, 2 }, index.Missing(Key, 1, 2));
    }
}
