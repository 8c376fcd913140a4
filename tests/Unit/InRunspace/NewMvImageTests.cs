using System.Text.Json;

namespace ModelverseImage.Tests.InRunspace;

public sealed class NewMvImageTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public NewMvImageTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void GeneratesAndSavesAValidPng()
    {
        var r = _s.Run("New-MvImage -Prompt 'a beautiful flower' -Size 1024x1024 -Quality high | Save-MvImage");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        var file = Assert.IsType<FileInfo>(Assert.Single(r.Output).BaseObject);
        Assert.Equal("a-beautiful-flower-1.png", file.Name);
        Assert.Equal(_s.Folder, file.DirectoryName);
        Assert.Equal((1024, 1024), PngFiles.PngSize(File.ReadAllBytes(file.FullName)));

        var request = Assert.Single(_s.Api.Requests);
        Assert.Equal("/v1/images/generations", request.Path);
        Assert.Equal("Bearer " + ApiSession.Key, request.Authorization);
        Assert.StartsWith("application/json", request.ContentType);
        using var json = JsonDocument.Parse(request.JsonBody!);
        var fields = json.RootElement.EnumerateObject().Select(p => p.Name + "=" + p.Value).ToArray();
        Assert.Equal(new[] { "prompt=a beautiful flower", "model=gpt-image-2", "size=1024x1024", "quality=high" }, fields);
    }

    [Fact]
    public void OutputObjectsCarryBytesHeaderFactsAndUsage()
    {
        var r = _s.Run("New-MvImage 'a lighthouse at dawn' -Count 2 -Size 1536x1024 -OutputCompression 80 -OutputFormat png");
        Assert.Empty(r.Errors);
        var images = r.Images().ToList();
        Assert.Equal(2, images.Count);
        Assert.Equal(new[] { 1, 2 }, images.Select(i => i.Prop<int>("Index")));
        foreach (var image in images)
        {
            Assert.Equal("png", image.Prop<string>("Format"));
            Assert.Equal((1536, 1024), (image.Prop<int>("Width"), image.Prop<int>("Height")));
            Assert.Equal("1536x1024", image.Prop<string>("Size"));
            Assert.Equal("gpt-image-2", image.Prop<string>("Model"));
            Assert.Equal("a lighthouse at dawn", image.Prop<string>("Prompt"));
            Assert.NotNull(image.Prop<PSObject?>("Usage")?.Prop<long?>("TotalTokens"));
            Assert.NotNull(image.Prop<PSObject?>("Usage")?.Prop<long?>("InputTokens"));
            Assert.NotNull(image.Prop<DateTimeOffset?>("Created"));
            Assert.StartsWith("req_", image.Prop<string>("RequestId"));
            Assert.Equal(string.Empty, image.Prop<string>("SourcePath"));
            Assert.Equal(0x89, image.Bytes()[0]);
            Assert.Contains("png 1536x1024", image.ToString());
        }
        using var json = JsonDocument.Parse(Assert.Single(_s.Api.Requests).JsonBody!);
        Assert.Equal(2, json.RootElement.GetProperty("n").GetInt32());
        Assert.Equal(80, json.RootElement.GetProperty("output_compression").GetInt32());
        Assert.Equal("png", json.RootElement.GetProperty("output_format").GetString());
        Assert.False(json.RootElement.TryGetProperty("response_format", out _));
    }

    [Fact]
    public void FormatIsSniffedFromTheBytes()
    {
        var r = _s.Run("New-MvImage 'x' -OutputFormat jpeg | Save-MvImage -PassThru");
        Assert.Empty(r.Errors);
        var image = Assert.Single(r.Images());
        Assert.Equal("jpeg", image.Prop<string>("Format"));
        Assert.EndsWith("x-1.jpg", image.Prop<string>("Path"));
        Assert.Equal((1024, 1024), (image.Prop<int>("Width"), image.Prop<int>("Height")));
    }

    [Fact]
    public void CountThreeGivesThreeFiles()
    {
        var r = _s.Run("New-MvImage -Prompt 'three cats' -Count 3 | Save-MvImage");
        Assert.Empty(r.Errors);
        Assert.Equal(3, r.Output.Count);
        Assert.Equal(new[] { "three-cats-1.png", "three-cats-2.png", "three-cats-3.png" }, _s.Files());
    }

    [Fact]
    public void AdditionalParameterAndOptionalFieldsAreSent()
    {
        var r = _s.Run("New-MvImage 'x' -Background transparent -Moderation low -User u1 -AdditionalParameter @{ seed = 2; style = @{ tone = 'warm' } }");
        Assert.Empty(r.Errors);
        using var json = JsonDocument.Parse(Assert.Single(_s.Api.Requests).JsonBody!);
        var root = json.RootElement;
        Assert.Equal("transparent", root.GetProperty("background").GetString());
        Assert.Equal("low", root.GetProperty("moderation").GetString());
        Assert.Equal("u1", root.GetProperty("user").GetString());
        Assert.Equal(2, root.GetProperty("seed").GetInt32());
        Assert.Equal("warm", root.GetProperty("style").GetProperty("tone").GetString());
    }

    [Fact]
    public void CsvRowsBindPromptSizeQualityAndCount()
    {
        var r = _s.Run(@"
            [pscustomobject]@{ Prompt = 'a red door'; Size = '1024x1536'; Quality = 'low'; Count = '2' },
            [pscustomobject]@{ Prompt = 'a blue door'; Size = 'auto'; Quality = 'medium'; Count = '1' } | New-MvImage -ThrottleLimit 1");
        Assert.Empty(r.Errors);
        var images = r.Images().ToList();
        Assert.Equal(3, images.Count);
        var bodies = _s.Api.Requests.Select(q => JsonDocument.Parse(q.JsonBody!).RootElement).ToList();
        Assert.Equal("a red door", bodies[0].GetProperty("prompt").GetString());
        Assert.Equal("1024x1536", bodies[0].GetProperty("size").GetString());
        Assert.Equal("low", bodies[0].GetProperty("quality").GetString());
        Assert.Equal(2, bodies[0].GetProperty("n").GetInt32());
        Assert.Equal("medium", bodies[1].GetProperty("quality").GetString());
    }

    [Fact]
    public void WhatIfSendsNothingAndShowsNoKey()
    {
        // ShouldProcess writes the What-if line to the host alone (no stream carries it): a recording host keeps it.
        using var ps = _s.WithHost();
        var r = ps.Run("New-MvImage 'a quiet harbour' -Size 2048x1152 -WhatIf; 'done'");
        Assert.Empty(r.Errors);
        Assert.Empty(_s.Api.Requests);
        var whatIf = Assert.Single(r.HostText.Split('\n'), line => line.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.DoesNotContain(ApiSession.Key, r.AllText());
        Assert.DoesNotContain(ApiSession.Key.Substring(3, 12), r.AllText());
        Assert.Contains($"on target \"gpt-image-2 at {_s.Api.BaseUri}/images/generations\"", whatIf);
        Assert.Contains("a quiet harbour", whatIf);
        Assert.Equal("done", Assert.Single(r.Output).ToString());
    }

    [Fact]
    public void ThrottleLimitBoundsRequestsInFlight()
    {
        _s.Api.Delay = TimeSpan.FromMilliseconds(300);
        var r = _s.Run("1..8 | ForEach-Object { \"prompt $_\" } | New-MvImage -ThrottleLimit 2");
        Assert.Empty(r.Errors);
        Assert.Equal(8, r.Images().Count());
        Assert.Equal(2, _s.Api.MaxInFlight);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"prompt {i}").OrderBy(p => p), r.Images().Select(i => i.Prop<string>("Prompt")).OrderBy(p => p));
    }

    [Fact]
    public void ProgressIsReportedAndCompleted()
    {
        _s.Api.Delay = TimeSpan.FromMilliseconds(1500);
        var r = _s.Run("New-MvImage 'a slow painting'");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Progress, p => p.StatusDescription.Contains("Generating 'a slow painting'"));
        Assert.Equal(ProgressRecordType.Completed, r.Progress.Last().RecordType);
        var silent = _s.Run("$ProgressPreference = 'SilentlyContinue'; New-MvImage 'quiet'");
        Assert.Empty(silent.Progress);
    }

    [Fact]
    public async Task StopDuringARequestReturnsAndLeavesNoFile()
    {
        _s.Api.Enqueue(FaultKind.NeverAnswer);
        var r = await _s.Ps.RunAsync("New-MvImage 'never' | Save-MvImage", async ps =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (_s.Api.Requests.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
            ps.Stop();
        });
        Assert.IsType<PipelineStoppedException>(r.Terminating);
        Assert.Empty(_s.Files());
    }

    [Fact]
    public void WhatIfNeedsNoKeyWhetherSwitchOrPreference()
    {
        using var environment = new EnvironmentScope("MODELVERSE_API_KEY", null);
        var r = _s.Run("$PSDefaultParameterValues.Remove('*-MvImage:ApiKey'); New-MvImage 'x' -WhatIf; $WhatIfPreference = $true; New-MvImage 'y'");
        Assert.Empty(r.Errors);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void FieldsFromAnEarlierPipelineObjectAreNotSentAgain()
    {
        var r = _s.Run("[pscustomobject]@{ Prompt = 'a'; Size = '1024x1536'; Count = 2 }, [pscustomobject]@{ Prompt = 'b' } | New-MvImage -ThrottleLimit 1");
        Assert.Empty(r.Errors);
        using var second = JsonDocument.Parse(_s.Api.Requests[1].JsonBody!);
        Assert.Equal(new[] { "prompt", "model" }, second.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void BlankCsvCellsMeanNotSet()
    {
        var r = _s.Run("[pscustomobject]@{ Prompt = 'a cat'; Size = ''; Quality = ''; Count = '' } | New-MvImage");
        Assert.Empty(r.Errors);
        Assert.Single(r.Images());
        using var json = JsonDocument.Parse(Assert.Single(_s.Api.Requests).JsonBody!);
        Assert.Equal(new[] { "prompt", "model" }, json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void JsonAndListViewsCarryTheDescriptionNotTheBytes()
    {
        var r = _s.Run("$i = New-MvImage 'a cat'; $i | ConvertTo-Json; $i | Format-List * | Out-String; $i.Bytes.Length; ($i | Select-Object *).PSObject.Properties.Name -join ','");
        Assert.Empty(r.Errors);
        string json = r.Output[0].ToString();
        Assert.Contains("\"Prompt\": \"a cat\"", json);
        Assert.DoesNotContain("Bytes", json);
        Assert.True(json.Length < 4096, $"JSON of {json.Length} characters");
        Assert.DoesNotContain("Bytes", r.Output[1].ToString());
        Assert.True((int)r.Output[2].BaseObject > 1000);
        Assert.DoesNotContain("Bytes", r.Output[3].ToString());
    }

    [Fact]
    public void VerboseSaysWhenEachRequestIsAnsweredWithItsIdAndTokens()
    {
        var r = _s.Run("New-MvImage 'a fox' -Count 2 -Verbose");
        var image = r.Images().First();
        var line = Assert.Single(r.Verbose, v => v.Message.StartsWith("Received 'a fox': 2 images in ")).Message;
        Assert.Contains("request id " + image.Prop<string>("RequestId"), line);
        Assert.Contains(image.Prop<PSObject>("Usage").Prop<long?>("TotalTokens") + " tokens", line);
    }

    [Fact]
    public void VerboseShowsThePromptAsTyped()
    {
        // -WhatIf writes the same description to the host (the Pester suite checks it in real pwsh).
        var r = _s.Run("New-MvImage '一只猫' -Verbose");
        Assert.Contains(r.Verbose, v => v.Message.Contains("\"prompt\":\"一只猫\""));
        Assert.DoesNotContain("\\u4E00", r.AllText());
        Assert.Equal("一只猫", Assert.Single(_s.Api.Requests).FieldValue("prompt"));
    }

    [Fact]
    public void FormatWideShowsOneLineAnImage()
    {
        var r = _s.Run("New-MvImage 'a red kite' -Count 2 | Format-Wide | Out-String");
        string text = string.Concat(r.Output.Select(o => o.ToString()));
        Assert.Contains("png 1024x1024", text);
        Assert.Contains("a red kite", text);
    }

    [Fact]
    public void TheImageReportsWhatTheApiMadeNotWhatWasAsked()
    {
        var image = Assert.Single(_s.Run("New-MvImage 'x' -Quality auto").Images());
        Assert.Equal("medium", image.Prop<string>("Quality"));      // the stand-in, like OpenAI, answers with the quality it used
        Assert.Equal("1024x1024", image.Prop<string>("Size"));      // asked: auto
        Assert.Equal("opaque", image.Prop<string>("Background"));
        Assert.Equal("png", image.Prop<string>("Format"));
        var usage = image.Prop<PSObject>("Usage");
        Assert.True(usage.Prop<long?>("OutputImageTokens") > 0);
        Assert.Equal(0, usage.Prop<long?>("OutputTextTokens"));
        Assert.NotNull(usage.Prop<long?>("InputTextTokens"));
    }

    [Fact]
    public void FewerImagesThanAskedGiveOneWarningNamingBothCounts()
    {
        _s.Api.MaxImagesReturned = 2;
        var r = _s.Run("New-MvImage 'a kite' -Count 4");
        Assert.Equal(2, r.Images().Count());
        var warning = Assert.Single(r.Warnings);
        Assert.Contains("asked for 4 images", warning.Message);
        Assert.Contains("returned 2", warning.Message);
    }

    [Fact]
    public void DebugAloneNeverAsksToContinue()
    {
        // -Debug without -Verbose makes a compiled cmdlet's verbose preference Inquire: each verbose line would ask,
        // and a host that cannot answer (this runspace, a runbook, -NonInteractive) fails the command.
        var r = _s.Run("New-MvImage 'x' -Debug | Save-MvImage -Debug");
        Assert.Empty(r.Errors);
        Assert.Null(r.Terminating);
        Assert.Single(r.Output);
        Assert.Contains(r.Debug, d => d.Message.StartsWith("Generating 'x'"));
        Assert.Contains(r.Debug, d => d.Message.StartsWith("Saved "));
    }
}
