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
}
