using System.Text;
using ModelverseImage.Api;
using ModelverseImage.Errors;

namespace ModelverseImage.Tests.Library;

/// <summary>Answers are checked and bounded: one image's size, the JSON around the images, and the image's magic bytes.</summary>
public sealed class AnswerLimitsTests(StandInFixture standIn) : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private FakeModelverseApi _api = null!;

    public async Task InitializeAsync() => _api = await standIn.NextAsync();

    public Task DisposeAsync() => Task.CompletedTask; // the stand-in is the class's: StandInFixture stops it

    private ModelverseClient Client(Action<ClientSettings>? tweak = null)
    {
        var settings = new ClientSettings(_api.BaseUri, ApiKey.FromString("sk-library-test")!) { InitialRetryDelay = TimeSpan.FromMilliseconds(20) };
        tweak?.Invoke(settings);
        return new ModelverseClient(settings);
    }

    /// <summary>Whether the stand-in's endless answer ended: the client closed the connection instead of reading on.</summary>
    private async Task<bool> EndlessAnswerEndedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_api.EndlessAnswersEnded == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        return _api.EndlessAnswersEnded == 1;
    }

    [Fact]
    public async Task AnImageLargerThanTheCapIsRefusedAndTheRestIsNotRead()
    {
        _api.Enqueue(FaultKind.EndlessImage);
        using var client = Client(s => s.MaximumImageBytes = 4 * 1024 * 1024);
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(new ImageRequest("x", "m"), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("larger than 4,194,304 bytes", ApiWords.Message(failure));
        var sent = Assert.Single(_api.Requests);
        Assert.Equal(sent.RequestId, failure.RequestId);
        Assert.True(await EndlessAnswerEndedAsync(), "the client left the connection open or kept reading");
    }

    [Fact]
    public async Task TheDefaultCapIs128MiBDecoded()
    {
        Assert.Equal(128L * 1024 * 1024, new ClientSettings(_api.BaseUri, ApiKey.FromString("k")!).MaximumImageBytes);
        _api.Enqueue(FaultKind.EndlessImage);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(new ImageRequest("x", "m"), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("larger than 134,217,728 bytes", ApiWords.Message(failure));
        Assert.Single(_api.Requests);
        Assert.True(await EndlessAnswerEndedAsync(), "the client left the connection open or kept reading");
    }

    [Fact]
    public async Task EndlessJsonAroundTheImagesIsRefusedAndTheRestIsNotRead()
    {
        _api.Enqueue(FaultKind.EndlessJson);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(new ImageRequest("x", "m"), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("JSON besides its images", ApiWords.Message(failure));
        Assert.Single(_api.Requests);
        Assert.True(await EndlessAnswerEndedAsync(), "the client left the connection open or kept reading");
    }

    [Fact]
    public async Task DecodedBytesThatAreNotAnImageAreRefusedWithoutRetry()
    {
        _api.Enqueue(FaultKind.NotAnImage);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(new ImageRequest("x", "m"), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.False(failure.Retried());
        Assert.Contains("not a PNG, JPEG or WebP image", ApiWords.Message(failure));
        Assert.Contains("may have been billed", ApiWords.Message(failure));
        var sent = Assert.Single(_api.Requests);
        Assert.Equal(sent.RequestId, failure.RequestId);
    }

    [Theory]
    [InlineData("output_format", "png")]
    [InlineData("output_format", "jpeg")]
    [InlineData("output_format", "webp")]
    public async Task RealImagesOfEveryFormatPassTheCheck(string field, string value)
    {
        var request = new ImageRequest("x", "m");
        request.Fields[field] = value;
        using var client = Client();
        var result = await client.SendAsync(request, CancellationToken.None);
        Assert.NotEqual(Imaging.ImageFormat.Unknown, Imaging.ImageSniffer.Read(Assert.Single(result.Images).Bytes).Format);
    }

    [Fact]
    public void TheScannerStopsAtTheImageCapInTheMiddleOfAFeed()
    {
        using var scanner = new ImageJsonScanner(maxImageBytes: 3000);
        scanner.Feed(Encoding.ASCII.GetBytes("{\"data\":[{\"b64_json\":\"" + Convert.ToBase64String(new byte[2998])));
        var failure = Assert.Throws<ApiException>(() => scanner.Feed(Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[300]))));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
    }

    [Fact]
    public void TheScannerBoundsTheJsonOutsideImages()
    {
        using var scanner = new ImageJsonScanner();
        scanner.Feed(Encoding.ASCII.GetBytes("{\"revised_prompt\":\"" + new string('x', ImageJsonScanner.MaxSkeletonBytes - 100)));
        var failure = Assert.Throws<ApiException>(() => scanner.Feed(Encoding.ASCII.GetBytes(new string('x', 200))));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
    }
}
