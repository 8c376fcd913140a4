using ModelverseImage.Resume;

namespace ModelverseImage.Tests.Library;

/// <summary>Claims of runs sharing a -Resume folder: one wins, the others skip; claims left behind are taken over.</summary>
public sealed class ClaimBookTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mvi-claims-" + Guid.NewGuid().ToString("N"));

    public ClaimBookTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ClaimPath(int occurrence) => Path.Combine(_dir, ClaimBook.FolderName, $"{Key}-{occurrence}.claim");

    [Fact]
    public void OneRunWinsAClaimAndTheOtherSkipsItUntilItIsGivenBack()
    {
        using var first = new ClaimBook(_dir, "run-a");
        using var second = new ClaimBook(_dir, "run-b");

        Assert.Equal(ClaimResult.Won, first.TryClaim(Key, 1).Result);
        var meanwhile = second.TryClaim(Key, 1);
        Assert.Equal(ClaimResult.HeldElsewhere, meanwhile.Result);
        Assert.Equal("run-a", meanwhile.Holder!.RunId);
        Assert.Equal(ClaimResult.Won, second.TryClaim(Key, 2).Result);

        first.Dispose();

        Assert.False(File.Exists(ClaimPath(1)));
        Assert.Equal(ClaimResult.Won, second.TryClaim(Key, 1).Result);
    }

    [Fact]
    public void ManyRunsClaimingAtOnceLeaveEachClaimToOne()
    {
        var books = Enumerable.Range(0, 6).Select(i => new ClaimBook(_dir, "run-" + i)).ToArray();
        try
        {
            var won = new int[40];
            Parallel.ForEach(books, book =>
            {
                for (int occurrence = 1; occurrence <= 40; occurrence++)
                    if (book.TryClaim(Key, occurrence).Result != ClaimResult.HeldElsewhere) Interlocked.Increment(ref won[occurrence - 1]);
            });
            Assert.All(won, count => Assert.Equal(1, count));
        }
        finally
        {
            foreach (var book in books) book.Dispose();
        }
    }

    [Fact]
    public void AClaimOfAnotherHostIsTakenOverOnlyAfterTheBound()
    {
        using (var gone = new ClaimBook(_dir, "run-gone")) Assert.Equal(ClaimResult.Won, gone.TryClaim(Key, 1).Result);
        File.WriteAllText(ClaimPath(1), $"run=run-far\nhost=build-agent-7\npid=4242\nstarted={DateTime.UtcNow:o}\nclaimed={DateTime.UtcNow:o}\n");
        using var book = new ClaimBook(_dir, "run-here");

        Assert.Equal(ClaimResult.HeldElsewhere, book.TryClaim(Key, 1).Result);
        File.SetLastWriteTimeUtc(ClaimPath(1), DateTime.UtcNow - ClaimBook.StaleAfter - TimeSpan.FromMinutes(1));
        var taken = book.TryClaim(Key, 1);

        Assert.Equal(ClaimResult.TakenOver, taken.Result);
        Assert.Equal("build-agent-7", taken.Holder!.Host);
        Assert.Contains("run=run-here", File.ReadAllText(ClaimPath(1)));
    }

    [Fact]
    public void AClaimOfAProcessOfThisHostThatHasEndedIsTakenOverAtOnce()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ClaimBook.FolderName));
        // A process id that is not running: past the largest pid Linux gives by default.
        File.WriteAllText(ClaimPath(1), $"run=run-dead\nhost={Environment.MachineName}\npid=4194304\nstarted={DateTime.UtcNow:o}\nclaimed={DateTime.UtcNow:o}\n");
        using var book = new ClaimBook(_dir, "run-here");

        var taken = book.TryClaim(Key, 1);

        Assert.Equal(ClaimResult.TakenOver, taken.Result);
        Assert.True(taken.Holder!.HasEnded);
    }

    /// <summary>Review of issue 25: a killed run's claims of requests it had saved stayed after every rerun.</summary>
    [Fact]
    public void ClaimsOfEndedRunsOnThisHostAreClearedWhenARunEnds()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ClaimBook.FolderName));
        File.WriteAllText(ClaimPath(7), $"run=run-dead\nhost={Environment.MachineName}\npid=4194304\nstarted={DateTime.UtcNow:o}\nclaimed={DateTime.UtcNow:o}\n");
        File.WriteAllText(ClaimPath(8), $"run=run-far\nhost=build-agent-7\npid=4242\nstarted={DateTime.UtcNow:o}\nclaimed={DateTime.UtcNow:o}\n");

        using (var book = new ClaimBook(_dir, "run-here")) book.TryClaim(Key, 1);

        Assert.False(File.Exists(ClaimPath(7)));
        Assert.True(File.Exists(ClaimPath(8)), "another host's claim is its own to give back, or the bound's");
        Assert.False(File.Exists(ClaimPath(1)));
    }

    [Fact]
    public void AClaimStillBeingWrittenIsHeld()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ClaimBook.FolderName));
        File.WriteAllText(ClaimPath(1), string.Empty); // made, not yet written
        using var book = new ClaimBook(_dir, "run-here");

        Assert.Equal(ClaimResult.HeldElsewhere, book.TryClaim(Key, 1).Result);
    }

    /// <summary>A run killed between making its claim and writing it leaves it empty: held for the bound of an empty claim, not the 10 minutes of a written one.</summary>
    [Fact]
    public void AnEmptyClaimOlderThanItsBoundIsTakenOver()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ClaimBook.FolderName));
        File.WriteAllText(ClaimPath(1), string.Empty);
        File.SetLastWriteTimeUtc(ClaimPath(1), DateTime.UtcNow - ClaimBook.EmptyStaleAfter - TimeSpan.FromSeconds(5));
        using var book = new ClaimBook(_dir, "run-here");

        Assert.Equal(ClaimResult.TakenOver, book.TryClaim(Key, 1).Result);
    }

    [Fact]
    public void AFolderThatTakesNoFilesIsRefusedWhenTheBookIsMade()
    {
        File.WriteAllText(Path.Combine(_dir, ClaimBook.FolderName), "a file where the claims folder goes");
        Assert.ThrowsAny<IOException>(() => new ClaimBook(_dir, "run"));
    }
}
