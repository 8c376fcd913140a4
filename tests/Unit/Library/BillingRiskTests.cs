using ModelverseImage.Api;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// "Never pay twice": ModelverseClient against the stand-in. What cannot have been billed is retried; an answer lost
/// after the request was sent is not (unless ClientSettings.RetryMayBeBilled); a url download is retried alone.
/// </summary>
public sealed class BillingRiskTests(StandInFixture standIn) : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private FakeModelverseApi _api = null!;
    private readonly RecordingLog _log = new();

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

    private static ImageRequest Generation() => new("a fox", "gpt-image-2");

    [Theory]
    [InlineData(FaultKind.ConnectionReset, null)] // the reset may discard the headers before the client reads them
    [InlineData(FaultKind.TruncatedBody, true)]
    [InlineData(FaultKind.DropAfterBody, false)]
    public async Task AnAnswerLostAfterTheRequestWasSentIsNotSentAgain(FaultKind kind, bool? headersArrived)
    {
        _api.Enqueue(kind);
        using var client = Client();
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.AnswerLost, failure.Kind);
        Assert.False(failure.TimedOut);
        Assert.False(failure.Retried());
        Assert.Contains(failure.Exchange.ProbablyBilled ? "was probably generated and billed" : "may have been generated and billed", ApiWords.Message(failure));
        Assert.Equal(1, failure.Attempts);
        var sent = Assert.Single(_api.Requests);
        if (headersArrived ?? failure.RequestId != null)
        {
            Assert.Equal(sent.RequestId, failure.RequestId);
            Assert.Contains("Request id: " + sent.RequestId, ApiWords.Message(failure));
        }
        else
        {
            Assert.Null(failure.RequestId);
            Assert.Equal(ExchangeStage.SentNoStatus, failure.Exchange.Stage);
            Assert.Contains("had been sent to 127.0.0.1 in full, and no answer came back", ApiWords.Message(failure));
        }
        Assert.Empty(_log.Retries);
    }

    [Fact]
    public async Task ATimeoutAfterTheRequestWasSentIsNotSentAgain()
    {
        _api.Enqueue(FaultKind.NeverAnswer);
        using var client = Client(s => s.Timeout = TimeSpan.FromSeconds(1));
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.AnswerLost, failure.Kind);
        Assert.True(failure.TimedOut);
        Assert.Contains("time limit for one attempt", ApiWords.Message(failure));
        Assert.Contains("may have been generated and billed", ApiWords.Message(failure));
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task ATimeoutWhileTheBodyDownloadsIsNotSentAgain()
    {
        _api.Enqueue(FaultKind.StallMidBody);
        using var client = Client(s => s.Timeout = TimeSpan.FromSeconds(1));
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.AnswerLost, failure.Kind);
        Assert.True(failure.TimedOut);
        Assert.Equal(200, failure.StatusCode);
        var sent = Assert.Single(_api.Requests);
        Assert.Equal(sent.RequestId, failure.RequestId);
        Assert.Contains("time limit for one attempt", ApiWords.Message(failure));
    }

    [Fact]
    public async Task WithRetryMayBeBilledALostAnswerIsSentAgain()
    {
        _api.Enqueue(FaultKind.TruncatedBody);
        using var client = Client(s => s.RetryMayBeBilled = true);
        var result = await client.SendAsync(Generation(), CancellationToken.None);
        Assert.Single(result.Images);
        Assert.Equal(2, _api.Requests.Count);
        Assert.Single(_log.Retries, m => m.Contains("may have been billed"));
    }

    [Fact]
    public async Task WithRetryMayBeBilledTheLastFailureStillSaysEachAttemptMayHaveBeenBilled()
    {
        _api.Enqueue(FaultKind.DropAfterBody, FaultKind.DropAfterBody);
        using var client = Client(s => { s.RetryMayBeBilled = true; s.MaximumRetryCount = 1; });
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.AnswerLost, failure.Kind);
        Assert.Equal(2, failure.Attempts);
        Assert.Contains("each attempt may have been billed", ApiWords.Message(failure));
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task ATimeoutBeforeTheRequestBodyWasSentIsRetried()
    {
        // The stand-in never reads these bodies; 48 MB cannot all fit in the socket and server buffers, so the
        // client is still sending when -TimeoutSec runs out: nothing can have been billed.
        _api.BodyStalls = 2;
        var request = new ImageRequest("a fox", "gpt-image-2");
        var bytes = new byte[48 * 1024 * 1024];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        request.Images.Add(ImageUpload.FromBytes(new ArraySegment<byte>(bytes), "big.png", ImageFormat.Png));
        using var client = Client(s => { s.Timeout = TimeSpan.FromSeconds(1); s.MaximumRetryCount = 1; });
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(request, CancellationToken.None));
        Assert.Equal(FailureKind.Timeout, failure.Kind);
        Assert.True(failure.Retried());
        Assert.Equal(2, failure.Attempts);
        Assert.Equal(2, _api.Requests.Count);
        Assert.Single(_log.Retries);
    }

    [Fact]
    public async Task ARefusedConnectionIsRetried()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var settings = new ClientSettings(new Uri($"http://127.0.0.1:{port}/v1"), ApiKey.FromString("k")!) { InitialRetryDelay = TimeSpan.FromMilliseconds(20), MaximumRetryCount = 2 };
        using var client = new ModelverseClient(settings, _log);
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.Connection, failure.Kind);
        Assert.Equal(3, failure.Attempts);
        Assert.Equal(2, _log.Retries.Count);
    }

    [Fact]
    public async Task FailureStatusesAreRetriedAsBefore()
    {
        _api.Enqueue(FaultKind.Status503, new Fault(FaultKind.RetryAfterMs429) { RetryAfterMs = 10 }, FaultKind.Html502);
        using var client = Client(s => s.MaximumRetryCount = 3);
        var result = await client.SendAsync(Generation(), CancellationToken.None);
        Assert.Single(result.Images);
        Assert.Equal(4, _api.Requests.Count);
    }

    [Fact]
    public async Task ADownloadIsRetriedAloneEvenWhenItOutlastsTheGenerationsTimeout()
    {
        // Generation 1.3 s, then a failed download, then a 1.3 s download: 2.6 s in all, past the 2 s budget of
        // one attempt. Each download attempt has its own budget, so this succeeds with one generation.
        _api.Delay = TimeSpan.FromSeconds(1.3);
        _api.Enqueue(FaultKind.Url);
        _api.FileFailures = 1;
        _api.FileDelay = TimeSpan.FromSeconds(1.3);
        using var client = Client(s => s.Timeout = TimeSpan.FromSeconds(2));
        var result = await client.SendAsync(Generation(), CancellationToken.None);
        Assert.Equal(0x89, Assert.Single(result.Images).Bytes[0]);
        Assert.Single(_api.Requests);
        Assert.Equal(2, _api.FileRequests);
        Assert.Single(_log.Retries, m => m.StartsWith("Download retry 1 of 2"));
    }

    [Fact]
    public async Task AStalledDownloadTimesOutAndIsRetriedAlone()
    {
        // The limit also bounds the generation before the download: a warm-up exchange first, and time to spare.
        using var client = await WarmClient(TimeSpan.FromSeconds(3));
        _api.Enqueue(FaultKind.Url);
        _api.FileStalls = 1;
        var result = await client.SendAsync(Generation(), CancellationToken.None);
        Assert.Single(result.Images);
        Assert.Equal(2, _api.Requests.Count); // the warm-up's and this one
        Assert.Equal(3, _api.FileRequests);
        Assert.Single(_log.Retries, m => m.StartsWith("Download retry 1 of 2") && m.Contains("time limit for one attempt"));
    }

    [Fact]
    public async Task ADownloadThatKeepsTimingOutIsOneErrorWithTheGenerationsRequestId()
    {
        using var client = await WarmClient(TimeSpan.FromSeconds(3), retries: 1);
        _api.Enqueue(FaultKind.Url);
        _api.FileStalls = 2;
        var failure = await Assert.ThrowsAsync<ApiException>(() => client.SendAsync(Generation(), CancellationToken.None));
        Assert.Equal(FailureKind.Timeout, failure.Kind);
        Assert.Contains("generated, but downloading it failed", ApiWords.Message(failure));
        Assert.Equal(2, _api.Requests.Count); // the warm-up's and this one
        Assert.Equal(_api.Requests[1].RequestId, failure.RequestId);
        Assert.Equal(3, _api.FileRequests);
    }

    /// <summary>
    /// A client with a short time limit that has already had one url answer and its download: the limit bounds the
    /// generation as well as each download, and a cold first exchange (JIT, a busy machine) could miss it.
    /// </summary>
    private async Task<ModelverseClient> WarmClient(TimeSpan timeout, int retries = 2)
    {
        var client = Client(s => { s.Timeout = timeout; s.MaximumRetryCount = retries; });
        _api.Enqueue(FaultKind.Url);
        Assert.Single((await client.SendAsync(Generation(), CancellationToken.None)).Images);
        return client;
    }

    internal sealed class RecordingLog : IClientLog
    {
        private readonly List<string> _retries = new();

        public IReadOnlyList<string> Retries
        {
            get
            {
                lock (_retries) return _retries.ToList();
            }
        }

        public void Verbose(string message) { }
        public void Debug(string message) { }

        public void Retrying(RetryNotice notice)
        {
            lock (_retries) _retries.Add(ApiWords.RetryLine(notice));
        }
    }
}
