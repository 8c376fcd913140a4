using System.Text.RegularExpressions;
using ModelverseImage.Errors;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// The error catalogue is the one home of ErrorIds: README.md and about_ModelverseImage list exactly its ids, every
/// entry has a category, a message and advice, and no error record is made anywhere else in the module's source.
/// </summary>
public sealed class ErrorCatalogTests
{
    // Every entry of the catalogue and every variant: its public static ErrorEntry fields.
    private static readonly IReadOnlyList<ErrorEntry> EntriesAndVariants = typeof(ErrorCatalog)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorEntry))
        .Select(f => (ErrorEntry)f.GetValue(null)!)
        .ToArray();

    // The entries: one per ErrorId (a variant words another case of an entry, under its id).
    private static readonly IReadOnlyList<ErrorEntry> AllEntries = EntriesAndVariants.Where(e => e.VariantOf == null).ToArray();

    private static readonly string[] CatalogIds = AllEntries.Select(e => e.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();

    [Fact]
    public void TheReadmeTroubleshootingTableListsExactlyTheCatalogue()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        string section = Section(readme, "## Troubleshooting", "\n## ");
        var listed = Regex.Matches(section, @"^\| (`[A-Za-z]+`(?: / `[A-Za-z]+`)*) \|", RegexOptions.Multiline)
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "`([A-Za-z]+)`").Select(id => id.Groups[1].Value));
        AssertSameIds(listed, "README.md Troubleshooting");
    }

    [Fact]
    public void TheAboutTopicListsExactlyTheCatalogue()
    {
        string about = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "src/ModelverseImage.Cmdlets/en-US/about_ModelverseImage.help.txt"));
        string section = Section(about, "\nTROUBLESHOOTING", "\nSEE ALSO");
        // An entry's heading: four spaces, then ids separated by ", ", optionally followed by a note in parentheses.
        var listed = Regex.Matches(section, @"^    ([A-Z][A-Za-z]+(?:, [A-Z][A-Za-z]+)*)(?: \([^)]*\))?\r?$", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split(", "));
        AssertSameIds(listed, "about_ModelverseImage TROUBLESHOOTING");
    }

    [Fact]
    public void EveryEntryHasAnIdACategoryAMessageAndAdvice()
    {
        Assert.True(AllEntries.Count >= 38, "the catalogue lost entries: " + AllEntries.Count);
        Assert.Equal(AllEntries.Count, CatalogIds.Distinct(StringComparer.Ordinal).Count());
        foreach (var entry in EntriesAndVariants)
        {
            Assert.Matches("^[A-Z][A-Za-z]+$", entry.Id);
            Assert.False(string.IsNullOrWhiteSpace(entry.Message), entry.Id);
            Assert.False(string.IsNullOrWhiteSpace(entry.Action), entry.Id);
            var record = entry.Create("target", "a", "b", "c", "d");
            Assert.Equal(entry.Id, record.FullyQualifiedErrorId);
            Assert.Equal(entry.Category, record.CategoryInfo.Category);
            Assert.Equal("target", record.TargetObject);
            Assert.Equal(entry.Action, record.ErrorDetails.RecommendedAction);
        }
    }

    [Fact]
    public void EveryVariantKeepsTheIdAndCategoryOfItsEntry()
    {
        var variants = EntriesAndVariants.Where(e => e.VariantOf != null).ToArray();
        Assert.NotEmpty(variants);
        foreach (var variant in variants)
        {
            Assert.Contains(variant.VariantOf!, AllEntries);
            Assert.Equal(variant.VariantOf!.Id, variant.Id);
            Assert.Equal(variant.VariantOf!.Category, variant.Category);
            Assert.NotEqual(variant.VariantOf!.Message + variant.VariantOf!.Action, variant.Message + variant.Action);
        }
    }

    [Fact]
    public void NoErrorRecordIsMadeOutsideTheCatalogue()
    {
        string src = Path.Combine(RepoPaths.RepoRoot, "src");
        string home = Path.Combine(src, "ModelverseImage.Cmdlets", "Errors") + Path.DirectorySeparatorChar;
        var strays = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.StartsWith(home, StringComparison.Ordinal))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"new\s+ErrorRecord\s*\("))
            .Select(f => Path.GetRelativePath(RepoPaths.RepoRoot, f))
            .ToArray();
        Assert.True(strays.Length == 0, "error records made outside Errors/: " + string.Join(", ", strays));
    }

    private static void AssertSameIds(IEnumerable<string> listed, string where)
    {
        var ids = listed.Distinct(StringComparer.Ordinal).OrderBy(i => i, StringComparer.Ordinal).ToArray();
        var missing = CatalogIds.Except(ids, StringComparer.Ordinal).ToArray();
        var unknown = ids.Except(CatalogIds, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0 && unknown.Length == 0,
            $"{where}: missing [{string.Join(", ", missing)}]; not in the catalogue [{string.Join(", ", unknown)}]");
    }

    private static string Section(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, "no section " + start.Trim());
        int to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        return to < 0 ? text[from..] : text[from..to];
    }
}
