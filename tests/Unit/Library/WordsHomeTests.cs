using System.Text.RegularExpressions;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// Every message a user reads has one home, src/ModelverseImage.Cmdlets/Errors/ (ErrorCatalog, Words, ApiWords): the
/// core reports facts and the cmdlets word them there. This reads the source as text and fails on a sentence made
/// anywhere else: a string given to an error record, a warning or a validation error outside the home, an ApiException
/// worded by the core, or the cmdlets' vocabulary (-Force, $env:) in the core.
/// </summary>
public sealed class WordsHomeTests
{
    private static readonly string Src = Path.Combine(RepoPaths.RepoRoot, "src");
    private static readonly string Home = Path.Combine(Src, "ModelverseImage.Cmdlets", "Errors") + Path.DirectorySeparatorChar;

    // Calls that make what a user reads: records of the catalogue, warnings, validation and binding errors.
    private static readonly Regex UserFacingCall = new(
        @"\bErrorCatalog\.\w+\.(Create|Wrap|WrapTimedOut|Refusal)\s*\(|\bErrorEntry\.\w+\s*\(|\bWriteWarning\s*\(|\bThrowTerminatingError\s*\(|\bWriteError\s*\(" +
        @"|\bnew\s+(ValidationMetadataException|ArgumentTransformationMetadataException|ErrorDetails|HostInformationMessage)\s*[({]");

    // A string literal: "...", $"...", @"...".
    private static readonly Regex StringLiteral = new(@"[$@]*""");

    // The cmdlets' words: a parameter (-Force, -TimeoutSec) or an environment variable as PowerShell writes it.
    private static readonly Regex CmdletVocabulary = new(@"""[^""\n]*((?<![\w-])-[A-Z][a-z]+\w*|\$env:)");

    [Fact]
    public void TheCmdletsMakeNoSentenceForAUserOutsideTheHome()
    {
        var strays = new List<string>();
        foreach (var (file, code) in SourceFiles(Path.Combine(Src, "ModelverseImage.Cmdlets")).Where(f => !f.File.StartsWith(Home, StringComparison.Ordinal)))
        {
            foreach (Match call in UserFacingCall.Matches(code))
            {
                string arguments = Arguments(code, call.Index + call.Length - 1);
                if (StringLiteral.IsMatch(arguments)) strays.Add($"{Relative(file)}: {call.Value.TrimEnd('(', '{', ' ')}{Shorten(arguments)}");
            }
        }
        Assert.True(strays.Count == 0, "sentences made outside src/ModelverseImage.Cmdlets/Errors/:\n" + string.Join("\n", strays));
    }

    [Fact]
    public void TheCoreReportsFactsAndWordsNoFailure()
    {
        var strays = new List<string>();
        foreach (var (file, code) in SourceFiles(Path.Combine(Src, "ModelverseImage.Core")).Concat(SourceFiles(Path.Combine(Src, "ModelverseImage.Contracts"))))
        {
            foreach (Match made in Regex.Matches(code, @"\bnew\s+ApiException\s*\("))
            {
                string arguments = Arguments(code, made.Index + made.Length - 1);
                if (StringLiteral.IsMatch(arguments)) strays.Add($"{Relative(file)}: new ApiException{Shorten(arguments)}");
            }
            foreach (Match words in CmdletVocabulary.Matches(code)) strays.Add($"{Relative(file)}: {words.Value}");
        }
        Assert.True(strays.Count == 0, "the core words a failure or names a cmdlet parameter:\n" + string.Join("\n", strays));
    }

    [Fact]
    public void TheScanSeesASentenceWhereOneIsMade()
    {
        const string code = "WriteError(ErrorCatalog.NotAFile.Create(path, $\"'{path}' is a folder, not an image file.\"));";
        var call = UserFacingCall.Match(code);
        Assert.True(call.Success);
        Assert.Matches(StringLiteral, Arguments(code, call.Index + call.Length - 1));
        Assert.Matches(CmdletVocabulary, "throw new X(\"Use -Force to overwrite it.\");");
        Assert.DoesNotMatch(CmdletVocabulary, "var name = \"image-\" + index;");
    }

    /// <summary>The code of every C# file below <paramref name="root"/>, comments left out.</summary>
    private static IEnumerable<(string File, string Code)> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (f, string.Join("\n", File.ReadAllLines(f).Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)))));

    /// <summary>The text of a call's arguments, from the bracket at <paramref name="open"/> to its match; brackets inside strings do not count.</summary>
    private static string Arguments(string code, int open)
    {
        char close = code[open] == '{' ? '}' : ')';
        int depth = 0;
        bool inString = false;
        for (int i = open; i < code.Length; i++)
        {
            char c = code[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c == code[open]) depth++;
            else if (c == close && --depth == 0) return code.Substring(open, i - open + 1);
        }
        return code.Substring(open);
    }

    private static string Relative(string file) => Path.GetRelativePath(RepoPaths.RepoRoot, file);

    private static string Shorten(string text) => text.Length <= 120 ? text : text.Substring(0, 117) + "...";
}
