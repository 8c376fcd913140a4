namespace ModelverseImage.Tests.InRunspace;

/// <summary>Issue #20, items 2 and 14, as the user sees them: a bad byte in a text field, more images than -Count.</summary>
public sealed class HostileAnswerTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public HostileAnswerTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void MoreImagesThanAskedGiveTheAskedForOnesAndOneWarningNamingBothCounts()
    {
        _s.Api.Enqueue(new Fault(FaultKind.ExtraImages) { ExtraImages = 5 });
        var r = _s.Run("New-MvImage 'a kite' -Count 2");
        Assert.Empty(r.Errors);
        Assert.Equal(2, r.Images().Count());
        var warning = Assert.Single(r.Warnings);
        Assert.Contains("asked for 2 images", warning.Message);
        Assert.Contains("returned 7", warning.Message);
        Assert.Contains("5 beyond", warning.Message);
    }

    [Fact]
    public void ARevisedPromptWithABadByteStillGivesTheImage()
    {
        _s.Api.Enqueue(FaultKind.InvalidUtf8RevisedPrompt);
        var r = _s.Run("New-MvImage 'a kite'");
        Assert.Empty(r.Errors);
        var image = Assert.Single(r.Images());
        Assert.Equal("image 0 \uFFFD", image.Prop<string>("RevisedPrompt"));
    }

    [Fact]
    public void A429WithABadByteIsRetriedAndA400WithOneIsAnInvalidRequest()
    {
        _s.Api.Enqueue(FaultKind.InvalidUtf8Error429);
        var retried = _s.Run("New-MvImage 'a kite'");
        Assert.Empty(retried.Errors);
        Assert.Single(retried.Images());

        _s.Api.Enqueue(FaultKind.InvalidUtf8Error400);
        var refused = _s.Run("New-MvImage 'a kite'");
        Assert.Equal("InvalidRequest,ModelverseImage.Commands.NewMvImageCommand", refused.TheError().FullyQualifiedErrorId);
    }
}
