using ModelverseImage.Api;
using ModelverseImage.Errors;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// What a failure says of how far its exchange got must be true (found by a first-use trial): an error status whose
/// body arrived, and a 200 that arrived whole but could not be used, are not "cut" and not "no body".
/// </summary>
public sealed class ExchangeWordingTests(StandInFixture standIn) : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private FakeModelverseApi _api = null!;

    public async Task InitializeAsync() => _api = await standIn.NextAsync();

    public Task DisposeAsync() => Task.CompletedTask; // the stand-in is the class's: StandInFixture stops it

    private ModelverseClient Client() => new(new ClientSettings(_api.BaseUri, ApiKey.FromString("sk-library-test")!) { MaximumRetryCount = 0 });

    [Theory]
    [InlineData(FaultKind.Status401)]
    [InlineData(FaultKind.Status422)]
    [InlineData(FaultKind.Status500)]
    public async Task AnErrorStatusWhoseBodyArrivedSaysSo(FaultKind kind)
    {
        _api.Enqueue(kind);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(new ImageRequest("a fox", "gpt-image-2"), CancellationToken.None));
        Assert.NotNull(failure.ApiMessage); // read from the body
        Assert.Equal(ExchangeStage.Complete, failure.Exchange.Stage);
        Assert.True(failure.Exchange.BodyBytes > 0);
        Assert.False(failure.MayHaveBeenBilled);
        Assert.DoesNotContain("no body followed", ApiWords.Exchange(failure.Exchange));
    }

    [Theory]
    [InlineData(FaultKind.InvalidJson)]
    [InlineData(FaultKind.NotAnImage)]
    public async Task AWhole200ThatCannotBeUsedIsNotCalledCut(FaultKind kind)
    {
        _api.Enqueue(kind);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(new ImageRequest("a fox", "gpt-image-2"), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.Equal(ExchangeStage.Complete, failure.Exchange.Stage);
        Assert.Contains("the whole 200 answer arrived", ApiWords.Message(failure));
        Assert.DoesNotContain("cut after", ApiWords.Message(failure));
        Assert.Contains("may have been billed", ApiWords.Message(failure));
    }
}
