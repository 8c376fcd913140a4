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

    /// <summary>
    /// Issue 26 item 5: a lost or unusable answer's message says each fact once (the request, that it was sent, what
    /// arrived, the billing) and says what happened: an answer read whole is not "cut", whatever went wrong in it.
    /// </summary>
    [Theory]
    [InlineData(FaultKind.ConnectionReset, true)]
    [InlineData(FaultKind.TruncatedBody, true)]
    [InlineData(FaultKind.DropAfterBody, true)]
    [InlineData(FaultKind.NeverAnswer, false)]
    [InlineData(FaultKind.StallMidBody, false)]
    [InlineData(FaultKind.StreamCut, true)]
    [InlineData(FaultKind.StreamErrorEvent, false)]
    [InlineData(FaultKind.InvalidJson, false)]
    [InlineData(FaultKind.InvalidBase64, false)]
    [InlineData(FaultKind.NotAnImage, false)]
    public async Task AFailureAfterSendingSaysEachFactOnce(FaultKind kind, bool cut)
    {
        _api.Enqueue(kind);
        var request = new ImageRequest("a fox", "gpt-image-2");
        if (kind.ToString().StartsWith("Stream", StringComparison.Ordinal)) request.PartialImages = 1;
        using var client = new ModelverseClient(new ClientSettings(_api.BaseUri, ApiKey.FromString("sk-library-test")!)
        {
            MaximumRetryCount = 0,
            Timeout = TimeSpan.FromSeconds(kind is FaultKind.NeverAnswer or FaultKind.StallMidBody ? 1 : 30),
        });
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(request, CancellationToken.None));
        string message = ApiWords.Message(failure);

        Assert.True(failure.MayHaveBeenBilled, message);
        Assert.True(Count(message, "POST images/generations") == 1, message);
        Assert.True(Count(message, @"\bbilled\b") == 1, message);
        Assert.True(Count(message, @"\bsent\b(?! again)") == 1, message);
        Assert.True(Count(message, @"\barrived\b|came back") <= 1, message);
        Assert.True(cut == (Count(message, @"\bcut\b|\bbroke\b") > 0), message);
        if (kind is FaultKind.InvalidBase64 or FaultKind.InvalidJson or FaultKind.NotAnImage) Assert.Contains("the whole 200 answer arrived", message);
        if (kind is FaultKind.NeverAnswer or FaultKind.StallMidBody) Assert.Contains("time limit", message);
    }

    private static int Count(string text, string pattern) => System.Text.RegularExpressions.Regex.Matches(text, pattern).Count;
}
