namespace ModelverseImage.Tests.InRunspace;

/// <summary>Requests skipped by -Resume count in the progress bar (issue 25 item 6).</summary>
public sealed class ResumeProgressTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public ResumeProgressTests(StandInFixture standIn) => _s = new ApiSession(standIn);

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
}
