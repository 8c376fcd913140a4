using System.Text.Json;

namespace ModelverseImage.Tests.InRunspace;

/// <summary>-PartialImages: streamed answers, partial MvImages as they arrive, their names on disk, and the failure rules.</summary>
public sealed class StreamingTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public StreamingTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    private string Photo(string name)
    {
        string path = Path.Combine(_s.Folder, name);
        File.WriteAllBytes(path, TestImages.Png(64, 48, 2));
        return path;
    }

    [Fact]
    public void GenerationsSendStreamAsABooleanAndPartialImagesAsANumber()
    {
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 2");
        Assert.Empty(r.Errors);
        using var json = JsonDocument.Parse(_s.Api.Requests.Single().JsonBody!);
        Assert.Equal(JsonValueKind.True, json.RootElement.GetProperty("stream").ValueKind);
        Assert.Equal(2, json.RootElement.GetProperty("partial_images").GetInt32());

        _s.Api.Reset();
        _s.Api.ExpectedApiKey = ApiSession.Key;
        Assert.Empty(_s.Run("New-MvImage 'a cat' -PartialImages 0").Errors);
        using var zero = JsonDocument.Parse(_s.Api.Requests.Single().JsonBody!);
        Assert.Equal(JsonValueKind.True, zero.RootElement.GetProperty("stream").ValueKind);
        Assert.Equal(0, zero.RootElement.GetProperty("partial_images").GetInt32());
    }

    [Fact]
    public void WithoutPartialImagesTheRequestsStayAsTheyWere()
    {
        Assert.Empty(_s.Run("New-MvImage 'a cat'").Errors);
        Assert.Empty(_s.Run("Edit-MvImage 'a hat' $args[0]", Photo("cat.png")).Errors);
        using var json = JsonDocument.Parse(_s.Api.Requests[0].JsonBody!);
        Assert.Equal(new[] { "prompt", "model" }, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Null(_s.Api.Requests[1].FieldValue("stream"));
        Assert.Null(_s.Api.Requests[1].FieldValue("partial_images"));
    }

    [Fact]
    public void EditsSendStreamAndPartialImagesAsMultipartTextFields()
    {
        var r = _s.Run("Edit-MvImage 'add a hat' $args[0] -PartialImages 1", Photo("cat.png"));
        Assert.Empty(r.Errors);
        var request = _s.Api.Requests.Single();
        Assert.StartsWith("multipart/form-data", request.ContentType);
        var stream = Assert.Single(request.PartsNamed("stream"));
        Assert.Null(stream.FileName);
        Assert.Equal("true", stream.Text);
        Assert.Equal("1", Assert.Single(request.PartsNamed("partial_images")).Text);
    }

    [Fact]
    public void PartialImagesComeFirstThenTheFinalImageWithTheUsage()
    {
        var r = _s.Run("New-MvImage 'a cat' -Size 1024x1536 -PartialImages 2");
        Assert.Empty(r.Errors);
        var images = r.Images().ToList();
        Assert.Equal(new[] { true, true, false }, images.Select(i => i.Prop<bool>("IsPartial")));
        Assert.Equal(new int?[] { 0, 1, null }, images.Select(i => i.Prop<int?>("PartialIndex")));
        Assert.All(images, i => Assert.Equal((1024, 1536, "png"), (i.Prop<int>("Width"), i.Prop<int>("Height"), i.Prop<string>("Format"))));
        Assert.All(images, i => Assert.Equal(_s.Api.Requests.Single().RequestId, i.Prop<string>("RequestId")));
        Assert.Null(images[0].Prop<object?>("Usage"));
        Assert.NotNull(images[2].Prop<PSObject?>("Usage")?.Prop<long?>("TotalTokens"));
        Assert.Equal("1024x1536", images[2].Prop<string>("Size"));
        Assert.StartsWith("partial 0, png", images[0].ToString());
        Assert.Contains(r.Progress, p => (p.StatusDescription + " " + p.CurrentOperation).Contains("'a cat': partial 2 of 2 received"));
    }

    [Fact]
    public void EditsStreamPartialImagesToo()
    {
        var r = _s.Run("Edit-MvImage 'add a hat' $args[0] -PartialImages 1 | Save-MvImage", Photo("cat.png"));
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "cat-edit-1-partial-0.png", "cat-edit-1.png", "cat.png" }, _s.Files());
    }

    [Fact]
    public void PartialImagesAreWrittenWhenTheyArriveInABulkPipeline()
    {
        // The stream stalls after its first partial: the partials were written before any final image could exist.
        // -TimeoutSec also bounds the wait for that first partial: a streamed request first warms the module and the
        // stand-in (a cold one could miss 2 s on a busy machine), and the limit leaves the warm first event time to spare.
        Assert.Empty(_s.Run("New-MvImage 'warm up' -PartialImages 2").Errors);
        int sentBefore = _s.Api.Requests.Count;
        _s.Api.Enqueue(new Fault(FaultKind.StreamStall), new Fault(FaultKind.StreamStall));
        var r = _s.Run("'a', 'b' | New-MvImage -PartialImages 2 -ThrottleLimit 2 -TimeoutSec 5");
        var partials = r.Images().ToList();
        Assert.Equal(2, partials.Count);
        Assert.All(partials, p => Assert.True(p.Prop<bool>("IsPartial")));
        Assert.Equal(new[] { "a", "b" }, partials.Select(p => p.Prop<string>("Prompt")).Order());
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.Equal("AnswerLost,ModelverseImage.Commands.NewMvImageCommand", e.FullyQualifiedErrorId));
        Assert.All(r.Errors, e => Assert.Equal(ErrorCategory.OperationTimeout, e.CategoryInfo.Category));
        Assert.All(r.Errors, e => Assert.Contains("went quiet", e.Exception.Message));
        Assert.All(r.Errors, e => Assert.Contains("1 partial image and no final image arrived", e.Exception.Message));
        Assert.Equal(sentBefore + 2, _s.Api.Requests.Count);
    }

    [Fact]
    public void TimeoutSecLimitsTheWaitBetweenEventsNotTheWholeStream()
    {
        // Four events 0.8 s apart take 3.2 s in all, longer than -TimeoutSec 2, and no gap comes near it.
        _s.Api.Enqueue(new Fault(FaultKind.SlowStream) { Delay = TimeSpan.FromSeconds(0.8) });
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 3 -TimeoutSec 2 -MaximumRetryCount 0");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { true, true, true, false }, r.Images().Select(i => i.Prop<bool>("IsPartial")));
    }

    [Fact]
    public void AnErrorEventIsOneErrorRecordWithTheApisMessageCodeAndRequestId()
    {
        _s.Api.Enqueue(new Fault(FaultKind.StreamErrorEvent));
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 2 -MaximumRetryCount 2 | Save-MvImage -ExcludePartial");
        var error = r.TheError();
        Assert.Equal("ContentPolicyViolation,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        var api = error.ApiFailure();
        Assert.Equal("moderation_blocked", api.ErrorCode);
        Assert.Equal("Your request was rejected by the safety system while the image was being generated.", api.ApiMessage);
        Assert.Equal(_s.Api.Requests.Single().RequestId, api.RequestId);
        Assert.Contains(api.RequestId!, error.ErrorDetails.Message);
        Assert.Contains("rejected by the safety system", error.ErrorDetails.Message);
        Assert.Equal("a cat", error.TargetObject);
        Assert.Empty(r.Output);
        Assert.Empty(_s.Files());
    }

    [Fact]
    public void AStreamCutAfterItsFirstEventIsOneErrorAndIsNotSentAgain()
    {
        _s.Api.Enqueue(new Fault(FaultKind.StreamCut));
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 2 -MaximumRetryCount 2 -Verbose");
        var error = r.TheError();
        Assert.Equal("AnswerLost,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("was cut", error.Exception.Message);
        Assert.Contains("1 partial image and no final image arrived", error.Exception.Message);
        Assert.Contains("probably generated and billed", error.Exception.Message);
        Assert.Equal(_s.Api.Requests.Single().RequestId, error.ApiFailure().RequestId);
        Assert.True(Assert.Single(r.Images()).Prop<bool>("IsPartial"));
        Assert.Single(_s.Api.Requests);
        Assert.DoesNotContain(r.Verbose, v => v.Message.StartsWith("Retry"));
    }

    [Theory]
    [InlineData(FaultKind.Status503)]
    [InlineData(FaultKind.RetryAfterMs429)]
    public void AFailureStatusBeforeAnyEventIsRetried(FaultKind kind)
    {
        _s.Api.Enqueue(new Fault(kind));
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 1 -Verbose");
        Assert.Empty(r.Errors);
        Assert.Equal(2, _s.Api.Requests.Count);
        Assert.Single(r.Verbose, v => v.Message.StartsWith("Retry 1 of 2"));
        Assert.Equal(new[] { true, false }, r.Images().Select(i => i.Prop<bool>("IsPartial")));
    }

    [Fact]
    public void AServerThatIgnoresStreamAndAnswersJsonIsReadAsUsual()
    {
        _s.Api.Enqueue(new Fault(FaultKind.IgnoreStream));
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 2");
        Assert.Empty(r.Errors);
        Assert.False(Assert.Single(r.Images()).Prop<bool>("IsPartial"));
    }

    [Fact]
    public async Task StopEndsAStalledStream()
    {
        _s.Api.Enqueue(new Fault(FaultKind.StreamStall));
        var r = await _s.Ps.RunAsync("New-MvImage 'a cat' -PartialImages 2 | Save-MvImage", async ps =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(Path.Combine(_s.Folder, "a-cat-1-partial-0.png")) && DateTime.UtcNow < deadline) await Task.Delay(20);
            ps.Stop();
        });
        Assert.IsType<PipelineStoppedException>(r.Terminating);
        Assert.Equal(new[] { "a-cat-1-partial-0.png" }, _s.Files());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_s.Api.InFlight > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, _s.Api.InFlight); // the stream was abandoned, not left open
        Assert.Single(_s.Api.Requests);
    }

    [Fact]
    public void PartialImagesAreSavedUnderTheirOwnNames()
    {
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 2 | Save-MvImage");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "a-cat-1-partial-0.png", "a-cat-1-partial-1.png", "a-cat-1.png" }, _s.Files());
        Assert.Equal(3, r.Output.Count);
    }

    [Theory]
    [InlineData("New-MvImage 'a cat' -PartialImages 2 | Save-MvImage -ExcludePartial")]
    [InlineData("New-MvImage 'a cat' -PartialImages 2 | Where-Object -Not IsPartial | Save-MvImage")]
    [InlineData("New-MvImage 'a cat' -PartialImages 2 | Save-MvImage -Path a-cat-1.png")]
    public void OnlyTheFinalImageCanBeKept(string pipeline)
    {
        var r = _s.Run(pipeline);
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "a-cat-1.png" }, _s.Files());
        Assert.Single(r.Output);
    }

    [Fact]
    public void TheTableViewShowsWhichImagesArePartial()
    {
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 1 | Out-String -Width 200");
        var lines = string.Concat(r.Output.Select(o => o.ToString())).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        var header = lines.First(l => l.Contains("Partial"));
        int column = header.IndexOf("Partial", StringComparison.Ordinal) + "Partial".Length - 1;
        var rows = lines.Where(l => l.Contains("a cat")).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal('0', rows[0][column]);
        Assert.Equal(' ', rows[1][column]);
    }

    [Fact]
    public void PartialFlagsSurviveSerialization()
    {
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 1 | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) } | ForEach-Object { '{0}:{1}' -f $_.IsPartial, $_.PartialIndex }");
        Assert.Equal(new[] { "True:0", "False:" }, r.Output.Select(o => o.ToString()));
    }
}
