namespace ModelverseImage.Tests.InRunspace;

/// <summary>-Resume as a user meets it in one runspace: the progress bar, and where Save-MvImage saves (issue 25 items 4 and 6).</summary>
public sealed class ResumeTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public ResumeTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void SkippedRequestsCountAsDoneBeforeTheOneSent()
    {
        var first = _s.Run("'a','b','c' | New-MvImage -Resume ./out | Save-MvImage -Directory ./out");
        Assert.Empty(first.Errors);
        var rerun = _s.Run("'a','b','c','d' | New-MvImage -Resume ./out | Save-MvImage -Directory ./out");
        Assert.Empty(rerun.Errors);
        Assert.Equal(4, _s.Api.Requests.Count);
        var statuses = rerun.Progress.Where(p => p.RecordType != System.Management.Automation.ProgressRecordType.Completed).Select(p => p.StatusDescription).ToList();
        // While 'd' is in flight, the bar says the three skipped ones are done, not a bare "Generating 'd'" as if it were the only one.
        Assert.Contains(statuses, s => s.StartsWith("3 done (3 already saved), 1 in flight", StringComparison.Ordinal));
        Assert.DoesNotContain(statuses, s => s.StartsWith("Generating", StringComparison.Ordinal));
    }

    [Fact]
    public void SaveMvImageWithoutDirectorySavesIntoTheResumeFolder()
    {
        var first = _s.Run("New-MvImage 'a kite' -Resume ./out | Save-MvImage");
        Assert.Empty(first.Errors);
        Assert.Empty(first.Warnings);
        var saved = Assert.IsType<FileInfo>(Assert.Single(first.Output).BaseObject);
        Assert.Equal(Path.Combine(_s.Folder, "out"), saved.DirectoryName);
        // The rerun looks where the image went: nothing is sent again.
        var rerun = _s.Run("New-MvImage 'a kite' -Resume ./out | Save-MvImage");
        Assert.Empty(rerun.Errors);
        Assert.Single(_s.Api.Requests);
    }

    [Fact]
    public void AnExplicitOtherFolderStillWarns()
    {
        var r = _s.Run("New-MvImage 'a kite' -Resume ./out | Save-MvImage -Directory ./elsewhere");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Warnings, w => w.Message.Contains("will not find them"));
        Assert.True(File.Exists(Path.Combine(_s.Folder, "elsewhere", "a-kite-1.png")));
    }

    /// <summary>Review of issue 25: -Path into another folder than -Resume said nothing, and the rerun paid again.</summary>
    [Fact]
    public void SavingWithPathIntoAnotherFolderWarnsToo()
    {
        var r = _s.Run("$null = New-Item -ItemType Directory ./pth/sub -Force; New-MvImage 'a blue kite' -Resume ./pth | Save-MvImage -Path ./pth/sub/x.png");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Warnings, w => w.Message.Contains("will not find them"));
    }

    /// <summary>Review of issue 25: a shard with no rows of its own, and -Shard without -Resume, printed no summary.</summary>
    [Theory]
    [InlineData("'a kite' | New-MvImage -Shard {0}/2 -Resume ./out")]
    [InlineData("'a kite' | New-MvImage -Shard {0}/2")]
    public void EveryShardSaysWhatItSkipped(string command)
    {
        var lines = new List<string>();
        foreach (int shard in new[] { 0, 1 })
        {
            var r = _s.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, shard));
            Assert.Empty(r.Errors);
            lines.Add(string.Join(" | ", r.Information.Select(i => i.MessageData.ToString())));
        }
        Assert.Single(_s.Api.Requests);
        Assert.Contains(lines, l => l.Contains("0 sent, 1 in other shards"));
        Assert.Contains(lines, l => l.Contains("1 sent"));
    }

    /// <summary>Review of issue 25: a ledger that cannot be written warned once per image saved.</summary>
    [Fact]
    public void ALedgerThatCannotBeWrittenIsSaidOncePerRun()
    {
        Directory.CreateDirectory(Path.Combine(_s.Folder, "out", ".modelverseimage-journal"));
        var r = _s.Run("'a','b','c' | New-MvImage | Save-MvImage -Directory ./out -NoMetadata");
        Assert.Empty(r.Errors);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_s.Folder, "out"), "*.png").Length);
        Assert.Single(r.Warnings, w => w.Message.Contains("ledger"));
    }

    /// <summary>Review of issue 25: a file in the claims folder's place was "cannot take files (The file ... already exists.)", advising to make the folder writable.</summary>
    [Fact]
    public void AFileWhereTheClaimsFolderGoesIsNamed()
    {
        Directory.CreateDirectory(Path.Combine(_s.Folder, "out"));
        File.WriteAllText(Path.Combine(_s.Folder, "out", ".modelverseimage-claims"), "not a folder");
        var r = _s.Run("New-MvImage 'a kite' -Resume ./out");
        var error = r.TheError();
        Assert.StartsWith("ResumeFolderNotWritable,", error.FullyQualifiedErrorId);
        Assert.Contains("claims folder", error.ErrorDetails.Message);
        Assert.Contains("a file", error.ErrorDetails.Message);
        Assert.Contains("delete", error.ErrorDetails.RecommendedAction);
        Assert.Empty(_s.Api.Requests);
    }
}
