using System.Net;
using System.Net.Sockets;

namespace ModelverseImage.Tests.InRunspace;

/// <summary>Every fault of the stand-in ends in success after retries or in one clear error, with nothing half-written.</summary>
public sealed class FaultTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private const string Pipeline = "New-MvImage 'a fox' -MaximumRetryCount 2 -Verbose | Save-MvImage";
    private readonly ApiSession _s;

    public FaultTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    /// <summary>Failures a client may retry: 429 (each form of Retry-After), 408, 409 and 5xx.</summary>
    public static TheoryData<FaultKind> TransientFaults => new()
    {
        FaultKind.RetryAfterSeconds429, FaultKind.RetryAfterDate429, FaultKind.RetryAfterMs429,
        FaultKind.Status408, FaultKind.Status409, FaultKind.Status500, FaultKind.Html502, FaultKind.Status503,
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public void TransientFaultsAreRetriedAndSucceed(FaultKind kind)
    {
        _s.Api.Enqueue(new Fault(kind));
        var r = _s.Run(Pipeline);
        Assert.Empty(r.Errors);
        Assert.Equal("a-fox-1.png", Assert.IsType<FileInfo>(Assert.Single(r.Output).BaseObject).Name);
        Assert.Equal(2, _s.Api.Requests.Count);
        Assert.Single(r.Verbose, v => v.Message.StartsWith("Retry 1 of 2"));
    }

    /// <summary>The request reached the server and its answer was lost: it may have been billed, so it is sent once.</summary>
    [Theory]
    [InlineData(FaultKind.ConnectionReset)]
    [InlineData(FaultKind.TruncatedBody)]
    [InlineData(FaultKind.DropAfterBody)]
    public void AnAnswerLostAfterTheRequestWasSentIsNotSentAgain(FaultKind kind)
    {
        _s.Api.Enqueue(new Fault(kind));
        var r = _s.Run(Pipeline);
        var api = r.TheError().ApiFailure();
        Assert.Equal("AnswerLost", api.Kind);
        Assert.Equal("AnswerLost,ModelverseImage.Commands.NewMvImageCommand", r.TheError().FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, r.TheError().CategoryInfo.Category);
        Assert.Contains("-RetryBilledFailure", r.TheError().ErrorDetails.RecommendedAction);
        Assert.Contains("generated and billed", api.Message);
        Assert.Equal("a fox", r.TheError().TargetObject);
        Assert.Single(_s.Api.Requests);
        Assert.DoesNotContain(r.Verbose, v => v.Message.StartsWith("Retry"));
        Assert.Empty(_s.Files());
        Assert.True(api.RequestId is null || api.RequestId == _s.Api.Requests[0].RequestId);
        if (kind == FaultKind.TruncatedBody) Assert.Equal(_s.Api.Requests[0].RequestId, api.RequestId);
    }

    [Fact]
    public void RetryAfterIsHonoured()
    {
        _s.Api.Enqueue(new Fault(FaultKind.RetryAfterSeconds429) { RetryAfterSeconds = 2 });
        var r = _s.Run(Pipeline);
        Assert.Empty(r.Errors);
        var requests = _s.Api.Requests;
        Assert.True(requests[1].Received - requests[0].Received >= TimeSpan.FromSeconds(1.9), "the retry came before Retry-After");
        Assert.Contains(r.Verbose, v => v.Message.Contains("in 2.0 s"));
    }

    [Theory]
    [InlineData(FaultKind.Status400, "InvalidRequest", ErrorCategory.InvalidArgument)]
    [InlineData(FaultKind.Status401, "AuthenticationFailed", ErrorCategory.AuthenticationError)]
    [InlineData(FaultKind.Status403, "PermissionDenied", ErrorCategory.PermissionDenied)]
    [InlineData(FaultKind.Status404, "NotFound", ErrorCategory.ObjectNotFound)]
    [InlineData(FaultKind.Status422, "InvalidRequest", ErrorCategory.InvalidArgument)]
    [InlineData(FaultKind.InsufficientQuota429, "QuotaExceeded", ErrorCategory.QuotaExceeded)]
    [InlineData(FaultKind.ErrorIn200, "ContentPolicyViolation", ErrorCategory.InvalidArgument)]
    public void PermanentFaultsAreOneClearErrorWithoutRetry(FaultKind kind, string errorId, ErrorCategory category)
    {
        _s.Api.Enqueue(new Fault(kind));
        var r = _s.Run(Pipeline);
        var error = r.TheError();
        Assert.Equal(errorId + ",ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal("a fox", error.TargetObject);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Single(_s.Api.Requests);
        Assert.Empty(_s.Files());
    }

    // Answers that cannot be read: each is InvalidResponse, never retried (the image may have been billed).
    [Theory]
    [InlineData(FaultKind.InvalidJson)]
    [InlineData(FaultKind.InvalidBase64)]
    [InlineData(FaultKind.NotAnImage)]
    [InlineData(FaultKind.EndlessImage)]
    [InlineData(FaultKind.EndlessJson)]
    public void UnreadableAnswersAreOneInvalidResponseWithoutRetry(FaultKind kind) =>
        PermanentFaultsAreOneClearErrorWithoutRetry(kind, "InvalidResponse", ErrorCategory.InvalidResult);

    [Fact]
    public void ApiErrorsCarryTheApiMessageAndRequestId()
    {
        _s.Api.Enqueue(new Fault(FaultKind.ErrorIn200));
        var error = _s.Run("New-MvImage 'x'").TheError();
        string requestId = Assert.Single(_s.Api.Requests).RequestId;
        Assert.Contains(requestId, error.ErrorDetails.Message);
        Assert.Contains("content_policy_violation", error.ErrorDetails.Message);
        Assert.Contains("safety system", error.ErrorDetails.Message);
        var api = error.ApiFailure();
        Assert.Equal(requestId, api.RequestId);
        Assert.Equal("invalid_request_error", api.ErrorType);

        _s.Api.Enqueue(new Fault(FaultKind.Status400));
        var http = _s.Run("New-MvImage 'x'").TheError().ApiFailure();
        Assert.Equal(400, http.StatusCode);
        Assert.StartsWith("req_", http.RequestId);
        Assert.False(string.IsNullOrEmpty(http.ApiMessage));
    }

    [Fact]
    public void AnHtmlErrorPageBecomesReadableText()
    {
        _s.Api.Enqueue(new Fault(FaultKind.Html502), new Fault(FaultKind.Html502));
        var error = _s.Run("New-MvImage 'x' -MaximumRetryCount 1").TheError();
        Assert.Equal("ServerError,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("502 Bad Gateway", error.ErrorDetails.Message);
        Assert.DoesNotContain("<h1>", error.ErrorDetails.Message);
    }

    [Theory]
    [InlineData(FaultKind.DataUri)]
    [InlineData(FaultKind.Url)]
    [InlineData(FaultKind.EscapedBase64)]
    public void OtherAnswerShapesDecodeToTheSameImage(FaultKind kind)
    {
        var plain = Assert.Single(_s.Run("New-MvImage 'x' -Size 1024x1536").Images());
        _s.Api.Enqueue(new Fault(kind));
        var r = _s.Run("New-MvImage 'x' -Size 1024x1536");
        Assert.Empty(r.Errors);
        var image = Assert.Single(r.Images());
        Assert.Equal(plain.Bytes(), image.Bytes());
        Assert.Equal((1024, 1536), (image.Prop<int>("Width"), image.Prop<int>("Height")));
    }

    [Fact]
    public void AnExhaustedRetryBudgetIsOneError()
    {
        _s.Api.Enqueue(new Fault(FaultKind.Status500), new Fault(FaultKind.Status500), new Fault(FaultKind.Status500));
        var r = _s.Run(Pipeline);
        var error = r.TheError();
        Assert.Equal("ServerError,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Equal(3, _s.Api.Requests.Count);
        Assert.Equal(3, error.ApiFailure().Attempts);
        Assert.Equal(2, r.Verbose.Count(v => v.Message.StartsWith("Retry")));
        Assert.Empty(_s.Files());
    }

    /// <summary>
    /// -TimeoutSec ran out after the request was sent (the stand-in read it): the image may be generated and billed,
    /// so it is not sent again, and the error says why it stopped.
    /// </summary>
    [Theory]
    [InlineData(FaultKind.Slow)]
    [InlineData(FaultKind.NeverAnswer)]
    [InlineData(FaultKind.StallMidBody)]
    public void ASlowOrSilentServerTimesOutOnceWithoutSendingAgain(FaultKind kind)
    {
        _s.Api.Enqueue(new Fault(kind) { Delay = TimeSpan.FromSeconds(30) });
        var r = _s.Run("New-MvImage 'x' -TimeoutSec 1 -MaximumRetryCount 2 | Save-MvImage");
        var api = r.TheError().ApiFailure();
        Assert.Equal("AnswerLost", api.Kind);
        Assert.True(api.TimedOut);
        Assert.Equal("AnswerLost,ModelverseImage.Commands.NewMvImageCommand", r.TheError().FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, r.TheError().CategoryInfo.Category);
        Assert.Contains("time limit for one attempt", api.Message);
        Assert.Contains("generated and billed", api.Message);
        Assert.Single(_s.Api.Requests);
        Assert.Empty(_s.Files());
    }

    [Fact]
    public void ConnectionRefusedIsRetriedThenAConnectionError()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var r = _s.Run("New-MvImage 'x' -BaseUri $args[0] -MaximumRetryCount 1 -Verbose", $"http://127.0.0.1:{port}/v1");
        var error = r.TheError();
        Assert.Equal("ConnectionFailed,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Single(r.Verbose, v => v.Message.StartsWith("Retry 1 of 1"));
    }

    [Fact]
    public async Task ARedirectIsNotFollowedWithTheKey()
    {
        await using var other = await FakeModelverseApi.StartAsync();
        var elsewhere = new UriBuilder(other.RootUri) { Host = "localhost" }.Uri;
        _s.Api.Enqueue(new Fault(FaultKind.Redirect) { RedirectTo = elsewhere });
        var error = _s.Run("New-MvImage 'x'").TheError();
        Assert.Equal("InvalidRequest,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("redirect", error.Exception.Message);
        Assert.Contains("-BaseUri", error.ErrorDetails.RecommendedAction);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public void AMissingKeyIsOneTerminatingErrorThatSaysHowToSetIt()
    {
        using var environment = new EnvironmentScope("MODELVERSE_API_KEY", null);
        var r = _s.Run("$PSDefaultParameterValues.Remove('*-MvImage:ApiKey'); 'a', 'b' | New-MvImage");
        var error = r.TheError();
        Assert.Equal("MissingApiKey,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("$env:MODELVERSE_API_KEY", error.Exception.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public async Task StopDuringARetryWaitReturnsPromptly()
    {
        _s.Api.Enqueue(new Fault(FaultKind.RetryAfterSeconds429) { RetryAfterSeconds = 50 });
        var r = await _s.Ps.RunAsync("New-MvImage 'x' | Save-MvImage", async ps =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (_s.Api.Requests.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
            await Task.Delay(200);
            ps.Stop();
        });
        Assert.IsType<PipelineStoppedException>(r.Terminating);
        Assert.Single(_s.Api.Requests);
        Assert.Empty(_s.Files());
    }

    [Theory]
    [InlineData(false, "")]                // the download fails (503) once
    [InlineData(true, " -TimeoutSec 3")]   // the download stalls once: retried on its own time budget
    public void AFailedOrStalledDownloadIsRetriedAloneWithoutGeneratingAgain(bool stall, string timeout)
    {
        // The limit also bounds the generation before the download: a url answer first warms the path (a cold one
        // could miss a short limit on a busy machine), and the limit leaves time to spare.
        _s.Api.Enqueue(new Fault(FaultKind.Url));
        Assert.Empty(_s.Run("New-MvImage 'warm up'").Errors);
        _s.Api.Enqueue(new Fault(FaultKind.Url));
        if (stall) _s.Api.FileStalls = 1; else _s.Api.FileFailures = 1;
        var r = _s.Run($"New-MvImage 'x'{timeout} -Verbose");
        Assert.Empty(r.Errors);
        Assert.Single(r.Images());
        Assert.Equal(2, _s.Api.Requests.Count); // the warm-up's and one generation
        Assert.Equal(3, _s.Api.FileRequests);
        Assert.Single(r.Verbose, v => v.Message.StartsWith("Download retry 1 of 2"));
    }

    [Fact]
    public void AKeyWithANonAsciiCharacterIsRefusedBeforeSendingWithoutShowingIt()
    {
        var r = _s.Run("New-MvImage 'x' -ApiKey $args[0]", "sk-tést-9f86d081");
        var error = r.TheError();
        Assert.Equal("InvalidApiKey,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("9f86d081", r.AllText());
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void ABaseUriWithAQueryKeepsItsPathAndQuery()
    {
        var r = _s.Run("New-MvImage 'x' -BaseUri $args[0]", _s.Api.BaseUri.AbsoluteUri + "?api-version=x");
        Assert.Empty(r.Errors);
        Assert.Equal("/v1/images/generations?api-version=x", _s.Api.Requests.Single().Path + _s.Api.Requests.Single().Query);
    }

    [Fact]
    public void ADownloadThatKeepsFailingIsOneErrorAndTheGenerationIsNotRepeated()
    {
        _s.Api.Enqueue(new Fault(FaultKind.Url));
        _s.Api.FileFailures = 10;
        var error = _s.Run("New-MvImage 'x' -MaximumRetryCount 1").TheError();
        Assert.Equal("ServerError,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("generated, but downloading it failed", error.Exception.Message);
        Assert.Single(_s.Api.Requests);
    }

    [Fact]
    public void RetryBilledFailureResendsALostAnswer()
    {
        _s.Api.Enqueue(new Fault(FaultKind.TruncatedBody));
        var r = _s.Run("New-MvImage 'a fox' -RetryBilledFailure -Verbose | Save-MvImage");
        Assert.Empty(r.Errors);
        Assert.Equal(2, _s.Api.Requests.Count);
        Assert.Single(r.Verbose, v => v.Message.StartsWith("Retry 1 of 2"));
        Assert.Equal(new[] { "a-fox-1.png" }, _s.Files());
    }
}
