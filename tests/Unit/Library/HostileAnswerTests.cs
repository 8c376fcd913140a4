using System.Text;
using ModelverseImage.Api;
using ModelverseImage.Errors;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// Issue #20, "Nothing paid for is lost": hostile answers against the stand-in. Bytes that are not UTF-8 in text
/// fields, more images than were asked for, one size cap for every source of an image, the billing words of every
/// failure after the request was accepted, and the host a failed download names.
/// </summary>
public sealed class HostileAnswerTests(StandInFixture standIn) : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private FakeModelverseApi _api = null!;
    private readonly BillingRiskTests.RecordingLog _log = new();

    public async Task InitializeAsync() => _api = await standIn.NextAsync();

    public Task DisposeAsync() => Task.CompletedTask; // the stand-in is the class's: StandInFixture stops it

    private ModelverseClient Client(Action<ClientSettings>? tweak = null)
    {
        var settings = new ClientSettings(_api.BaseUri, ApiKey.FromString("sk-library-test")!)
        {
            InitialRetryDelay = TimeSpan.FromMilliseconds(20),
            Timeout = TimeSpan.FromSeconds(30),
        };
        tweak?.Invoke(settings);
        return new ModelverseClient(settings, _log);
    }

    private static ImageRequest Generation(int count = 1)
    {
        var request = new ImageRequest("a fox", "gpt-image-2");
        if (count != 1) request.Fields["n"] = count;
        return request;
    }

    // ------------------------------------------------------------ item 2: bytes that are not UTF-8

    [Fact]
    public async Task ARevisedPromptWithABadByteKeepsTheImageAndRepairsTheText()
    {
        _api.Enqueue(FaultKind.InvalidUtf8RevisedPrompt);
        using var client = Client();
        var answer = await client.SendAsync(Generation(), CancellationToken.None);
        var image = Assert.Single(answer.Images);
        Assert.Equal(Imaging.ImageFormat.Png, Imaging.ImageSniffer.Read(image.Bytes).Format);
        Assert.Equal("image 0 \uFFFD", image.RevisedPrompt);
    }

    [Theory]
    [InlineData(FaultKind.InvalidUtf8Error429)]
    [InlineData(FaultKind.InvalidUtf8Error503)]
    public async Task ARetryableStatusWithABadByteInItsMessageIsStillRetried(FaultKind kind)
    {
        _api.Enqueue(kind);
        using var client = Client();
        var answer = await client.SendAsync(Generation(), CancellationToken.None);
        Assert.Single(answer.Images);
        Assert.Equal(2, _api.Requests.Count);
        Assert.Single(_log.Retries);
    }

    [Fact]
    public async Task A400WithABadByteInItsMessageIsAnInvalidRequestWithTheRepairedMessage()
    {
        _api.Enqueue(FaultKind.InvalidUtf8Error400);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidRequest, failure.Kind);
        Assert.Equal(400, failure.StatusCode);
        Assert.Equal("invalid_value", failure.ErrorCode);
        Assert.Equal("Bad byte \uFFFD in the message.", failure.ApiMessage);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public void AnErrorBodyAndASkeletonWithBadBytesAreReadLeniently()
    {
        byte[] Bytes(string before, string after) => Encoding.UTF8.GetBytes(before).Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes(after)).ToArray();
        var error = ResponseParser.ErrorFromBody(429, "Too Many Requests", Bytes("{\"error\":{\"message\":\"slow ", " down\",\"code\":\"rate_limit_exceeded\"}}"), "req_1", null, null);
        Assert.Equal(FailureKind.RateLimited, error.Kind);
        Assert.Equal("slow \uFFFD( down", error.ApiMessage);
        var skeleton = ResponseParser.ParseSkeleton(Bytes("{\"data\":[{\"b64_json\":\"#0\",\"revised_prompt\":\"a ", "\"}]}"), 200, null);
        Assert.Equal("a \uFFFD(", Assert.Single(skeleton.Data).RevisedPrompt);
        var streamEvent = ResponseParser.ParseStreamEvent(Bytes("{\"type\":\"error\",\"error\":{\"message\":\"no ", "\"}}"), null, 200, null);
        Assert.Equal("no \uFFFD(", streamEvent.Error!.ApiMessage);
    }

    [Fact]
    public void AnEscapedLoneSurrogateDropsTheTextNotTheStatus()
    {
        var error = ResponseParser.ErrorFromBody(503, "Service Unavailable", Encoding.ASCII.GetBytes("{\"error\":{\"message\":\"bad \\ud800\",\"code\":\"busy\"}}"), null, null, null);
        Assert.Equal(FailureKind.Server, error.Kind);
        Assert.Null(error.ApiMessage);
        Assert.Equal("busy", error.ErrorCode);
    }

    // ------------------------------------------------------------ item 14: no more images than asked for

    [Fact]
    public async Task ImagesBeyondTheCountAreRefusedAndTheAskedForOnesKept()
    {
        _api.Enqueue(new Fault(FaultKind.ExtraImages) { ExtraImages = 3 });
        using var client = Client();
        var answer = await client.SendAsync(Generation(2), CancellationToken.None);
        Assert.Equal(2, answer.Images.Count);
        Assert.Equal(new[] { "image 0 ", "image 1 " }, answer.Images.Select(i => i.RevisedPrompt));
        Assert.Equal(3, answer.ImagesRefused);
    }

    [Fact]
    public async Task AnAnswerWithTheImagesAskedForRefusesNone()
    {
        using var client = Client();
        var answer = await client.SendAsync(Generation(2), CancellationToken.None);
        Assert.Equal(2, answer.Images.Count);
        Assert.Equal(0, answer.ImagesRefused);
    }

    [Fact]
    public void TheScannerDoesNotDecodeImagesBeyondTheCount()
    {
        using var scanner = new ImageJsonScanner(maxImageBytes: 10_000, decodedImages: 1);
        var image = Convert.ToBase64String(new byte[9_000]);
        scanner.Feed(Encoding.ASCII.GetBytes("{\"data\":[{\"b64_json\":\"" + image + "\"}"));
        for (int i = 0; i < 50; i++) scanner.Feed(Encoding.ASCII.GetBytes(",{\"b64_json\":\"" + image + "\"}"));
        scanner.Feed(Encoding.ASCII.GetBytes("]}"));
        scanner.Complete();
        Assert.Single(scanner.Images);
        Assert.Equal(9_000, scanner.Images[0].Length);
        Assert.Equal(51, ResponseParser.ParseSkeleton(scanner.Skeleton, 200, null).Data.Count);
    }

    [Fact]
    public void AnImageBeyondTheCountStillMayNotPassThePerImageCap()
    {
        using var scanner = new ImageJsonScanner(maxImageBytes: 3000, decodedImages: 1);
        scanner.Feed(Encoding.ASCII.GetBytes("{\"data\":[{\"b64_json\":\"AAAA\"},{\"b64_json\":\"" + Convert.ToBase64String(new byte[2997])));
        var failure = Assert.Throws<ApiException>(() => scanner.Feed(Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[300]))));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("larger than 3,000 bytes", ApiWords.Message(failure));
    }

    [Fact]
    public async Task UrlEntriesBeyondTheCountAreNotDownloaded()
    {
        _api.Enqueue(new Fault(FaultKind.ExtraUrlImages) { ExtraImages = 4 });
        using var client = Client();
        var answer = await client.SendAsync(Generation(), CancellationToken.None);
        Assert.Single(answer.Images);
        Assert.Equal(4, answer.ImagesRefused);
        Assert.Equal(1, _api.FileRequests);
    }

    [Fact]
    public async Task AUrlDownloadHasTheSamePerImageCapAsB64Json()
    {
        _api.Enqueue(FaultKind.Url);
        using var client = Client(s => s.MaximumImageBytes = 1000);
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("larger than 1,000 bytes", ApiWords.Message(failure));
    }

    [Fact]
    public void TheDownloadCapIsThePerImageCap()
    {
        var settings = new ClientSettings(_api.BaseUri, ApiKey.FromString("k")!);
        Assert.Null(typeof(ClientSettings).GetProperty("MaximumDownloadBytes"));
        Assert.Equal(128L * 1024 * 1024, settings.MaximumImageBytes);
    }

    // ------------------------------------------------------------ item 16: billing words

    [Fact]
    public async Task AStreamErrorEventSaysTheRequestMayHaveBeenBilled()
    {
        _api.Enqueue(FaultKind.StreamErrorEvent);
        using var client = Client();
        var request = Generation();
        request.Fields["stream"] = true;
        request.Fields["partial_images"] = 2;
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(request, CancellationToken.None));
        Assert.Equal(FailureKind.ContentPolicy, failure.Kind);
        Assert.Contains("may have been billed", ApiWords.Message(failure));
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task ACloseDelimited200CutShortSaysTheRequestMayHaveBeenBilledAndIsNotSentAgain()
    {
        _api.Enqueue(FaultKind.CloseDelimitedCut);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Contains("may have been billed", ApiWords.Message(failure));
        Assert.True(failure.Exchange.MayHaveBeenBilled);
        Assert.Single(_api.Requests);
        Assert.Equal(_api.Requests[0].RequestId, failure.RequestId);
    }

    [Fact]
    public async Task TheImageCapRefusalSaysTheRequestMayHaveBeenBilled()
    {
        _api.Enqueue(FaultKind.EndlessImage);
        using var client = Client(s => s.MaximumImageBytes = 1024 * 1024);
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("larger than 1,048,576 bytes", ApiWords.Message(failure));
        Assert.Contains("may have been billed", ApiWords.Message(failure));
        Assert.Single(_api.Requests);
    }

    // ------------------------------------------------------------ item 17: the download's host

    [Fact]
    public async Task ADownloadCutMidBodyNamesTheDownloadHostNotTheApis()
    {
        _api.Enqueue(FaultKind.UrlOnOtherHost);
        _api.FileResets = 3;
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Contains("downloading it failed", ApiWords.Message(failure));
        Assert.Contains("localhost", ApiWords.Message(failure));
        Assert.DoesNotContain("127.0.0.1", ApiWords.Message(failure));
        Assert.Single(_api.Requests);
        Assert.Equal(3, _api.FileRequests);
    }

    [Fact]
    public async Task ADownloadThatTimesOutNamesTheDownloadHost()
    {
        // The time limit also bounds the generation before the download: a cold one (JIT, a busy machine) missed 1 s,
        // and the error named the API's host. A first exchange of the same kind warms both; the limit leaves it time to spare.
        using var client = Client(s => { s.Timeout = TimeSpan.FromSeconds(3); s.MaximumRetryCount = 0; });
        _api.Enqueue(FaultKind.UrlOnOtherHost);
        Assert.Single((await client.SendAsync(Generation(), CancellationToken.None)).Images);
        _api.Enqueue(FaultKind.UrlOnOtherHost);
        _api.FileStalls = 1;
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Contains("localhost", ApiWords.Message(failure));
        Assert.DoesNotContain("127.0.0.1", ApiWords.Message(failure));
    }

    [Fact]
    public async Task ADownloadFromAClosedPortNamesTheDownloadHost()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        int port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        _api.Enqueue(new Fault(FaultKind.UrlOnOtherHost) { UrlPort = port });
        using var client = Client(s => s.MaximumRetryCount = 0);
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Contains("Could not reach localhost", ApiWords.Message(failure));
        Assert.DoesNotContain("127.0.0.1", ApiWords.Message(failure));
    }

    [Fact]
    public async Task ADownloadRefusedWithAFailureStatusNamesTheDownloadHost()
    {
        _api.Enqueue(FaultKind.UrlOnOtherHost);
        _api.FileFailures = 1;
        using var client = Client(s => s.MaximumRetryCount = 0);
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(503, failure.StatusCode);
        Assert.Contains("localhost refused the download (HTTP 503", ApiWords.Message(failure));
        Assert.DoesNotContain("127.0.0.1", ApiWords.Message(failure));
    }
}
