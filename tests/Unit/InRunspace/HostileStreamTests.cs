namespace ModelverseImage.Tests.InRunspace;

/// <summary>
/// Issue #20 items 1 and 15: a streamed answer that fails after some final images keeps them (each is written the
/// moment it completes), and -TimeoutSec bounds the wait from the last complete event, whatever trickles in between.
/// </summary>
public sealed class HostileStreamTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public HostileStreamTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Theory]
    [InlineData(FaultKind.StreamErrorAfterFirstImage)]
    [InlineData(FaultKind.StreamCutAfterFirstImage)]
    public void ACompletedImageIsKeptWhenTheRestOfTheStreamFails(FaultKind kind)
    {
        _s.Api.Enqueue(new Fault(kind));
        var r = _s.Run("New-MvImage 'a cat' -Count 2 -PartialImages 1 -MaximumRetryCount 2 | Save-MvImage");
        var error = r.TheError();
        Assert.Contains("1 final image", error.Exception.Message);
        Assert.Contains("billed", error.Exception.Message);
        Assert.Single(_s.Api.Requests);
        // The partial and the one final image that completed are on disk.
        Assert.Equal(new[] { "a-cat-1-partial-0.png", "a-cat-1.png" }, _s.Files());
    }

    [Theory]
    [InlineData(FaultKind.StreamTrickle)]
    [InlineData(FaultKind.StreamKeepAliveOnly)]
    public async Task TimeoutSecIsMeasuredFromTheLastCompleteEvent(FaultKind kind)
    {
        // -TimeoutSec also bounds the wait for the first event: on a busy machine a cold path (JIT, the first image
        // encoded) can take 2 s, and then the error is 'no status line', not 'went quiet'. A streamed request first warms
        // the module and the stand-in; the limit leaves the warm first event time to spare.
        Assert.Empty(_s.Run("New-MvImage 'warm up' -PartialImages 2").Errors);
        _s.Api.Enqueue(new Fault(kind));
        // Bounded here: before the fix the wait never ended, so the pipeline is stopped after 30 s and the test fails.
        var run = _s.Ps.RunAsync("New-MvImage 'a cat' -PartialImages 2 -TimeoutSec 5 -MaximumRetryCount 0", async ps =>
        {
            var finished = Task.Delay(TimeSpan.FromSeconds(30));
            while (ps.InvocationStateInfo.State == PSInvocationState.Running && !finished.IsCompleted) await Task.Delay(100);
            if (ps.InvocationStateInfo.State == PSInvocationState.Running) ps.Stop();
        });
        var r = await run;
        var error = r.TheError();
        Assert.Equal("AnswerLost,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("went quiet", error.Exception.Message);
    }
}

/// <summary>Issue #20 item 14, streamed: a server that streams more partial or final images than were asked for.</summary>
public sealed class HostileStreamCountTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public HostileStreamCountTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void ImagesBeyondWhatWasAskedAreRefusedWithAWarningEach()
    {
        _s.Api.Enqueue(new Fault(FaultKind.StreamExtraEvents));
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 2");
        Assert.Empty(r.Errors);
        var images = r.Images().ToList();
        Assert.Equal(2, images.Count(i => i.Prop<bool>("IsPartial")));
        Assert.Single(images, i => !i.Prop<bool>("IsPartial"));
        Assert.Equal(2, r.Warnings.Count);
        Assert.Contains(r.Warnings, w => w.Message.Contains("298 partial images beyond the 2 asked for"));
        Assert.Contains(r.Warnings, w => w.Message.Contains("the 2 beyond 1 were refused"));
    }
}
