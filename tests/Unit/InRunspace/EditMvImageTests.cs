namespace ModelverseImage.Tests.InRunspace;

public sealed class EditMvImageTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;
    private readonly PhotoFolder _photos;

    public EditMvImageTests(StandInFixture standIn)
    {
        _s = new ApiSession(standIn);
        _photos = new PhotoFolder(_s.Folder);
    }

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void AFolderFromTheProviderIsEditedAndSavedWithTheRightNames()
    {
        _photos.Add("cat.png", PhotoFolder.Png());
        _photos.Add("my photo [1].jpeg", TestImages.Jpeg(64, 48, 0xC0, 100, 50));
        _photos.Add("猫.webp", TestImages.WebpVp8X(64, 48, 0));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'make it winter' | Save-MvImage -Directory ./out", _photos.Path);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "cat-edit-1.png", "my-photo-1-edit-1.png", "猫-edit-1.png" }, _s.Files(Path.Combine(_s.Folder, "out")));
        Assert.Equal(3, Directory.GetFiles(_photos.Path).Length); // sources untouched

        var requests = _s.Api.Requests.OrderBy(q => q.Parts.First(p => p.Name == "image").FileName).ToList();
        Assert.All(requests, q => Assert.Equal("/v1/images/edits", q.Path));
        Assert.All(requests, q => Assert.StartsWith("multipart/form-data", q.ContentType));
        Assert.All(requests, q => Assert.Equal("Bearer " + ApiSession.Key, q.Authorization));
        Assert.All(requests, q => Assert.Equal("make it winter", q.FieldValue("prompt")));
        Assert.All(requests, q => Assert.Equal("gpt-image-2", q.FieldValue("model")));
        var images = requests.Select(q => Assert.Single(q.Parts, p => p.Name == "image")).ToList();
        // The part names are made up by the module (issue 12), so the requests sort by format here.
        Assert.Equal(new[] { "image-1.jpg", "image-1.png", "image-1.webp" }, images.Select(p => p.FileName));
        Assert.Equal(new[] { "image/jpeg", "image/png", "image/webp" }, images.Select(p => p.ContentType));
    }

    [Fact]
    public void ContentTypeComesFromTheBytesNotTheName()
    {
        _photos.Add("actually-a-jpeg.png", TestImages.Jpeg(64, 48, 0xC0, 100, 50));
        var r = _s.Run("Edit-MvImage -LiteralPath $args[0] -Prompt 'x'", Path.Combine(_photos.Path, "actually-a-jpeg.png"));
        Assert.Empty(r.Errors);
        Assert.Equal("image/jpeg", Assert.Single(Assert.Single(_s.Api.Requests).Parts, p => p.Name == "image").ContentType);
    }

    [Fact]
    public void WildcardsAndRelativePathsResolveAgainstTheSessionLocation()
    {
        _photos.Add("a.png", PhotoFolder.Png());
        _photos.Add("b.png", PhotoFolder.Png());
        _photos.Add("c.txt", "not an image"u8.ToArray());
        var r = _s.Run("Edit-MvImage -Path ./photos/*.png -Prompt 'x' -Count 2 -Size 1024x1024 -Quality low -InputFidelity high -Model gpt-image-1.5");
        Assert.Empty(r.Errors);
        var images = r.Images().ToList();
        Assert.Equal(4, images.Count);
        Assert.Equal(new[] { "a.png", "a.png", "b.png", "b.png" }, images.Select(i => Path.GetFileName(i.Prop<string>("SourcePath"))).OrderBy(n => n));
        var request = _s.Api.Requests[0];
        Assert.Equal("2", request.FieldValue("n"));
        Assert.Equal("1024x1024", request.FieldValue("size"));
        Assert.Equal("low", request.FieldValue("quality"));
        Assert.Equal("high", request.FieldValue("input_fidelity"));
    }

    [Fact]
    public void ReferenceImagesGoAsRepeatedImageArrayParts()
    {
        string main = _photos.Add("main.png", PhotoFolder.Png());
        string r1 = _photos.Add("ref1.webp", TestImages.WebpVp8L(32, 32, alpha: false));
        string r2 = _photos.Add("ref2.jpg", TestImages.Jpeg(32, 32, 0xC2, 10, 10));
        var r = _s.Run("Edit-MvImage -LiteralPath $args[0] -ReferenceImage $args[1], $args[2] -Prompt 'combine'", main, r1, r2);
        Assert.Empty(r.Errors);
        var request = Assert.Single(_s.Api.Requests);
        var parts = request.PartsNamed("image[]").ToList();
        Assert.Equal(new[] { "image-1.png", "image-2.webp", "image-3.jpg" }, parts.Select(p => p.FileName));
        Assert.Equal(new[] { "image/png", "image/webp", "image/jpeg" }, parts.Select(p => p.ContentType));
        Assert.Empty(request.PartsNamed("image"));
    }

    [Fact]
    public void AMatchingAlphaMaskIsSent()
    {
        string image = _photos.Add("room.png", PhotoFolder.Png(64, 48));
        string mask = _photos.Add("mask.png", PhotoFolder.Png(64, 48, alpha: true));
        var r = _s.Run("Edit-MvImage 'add a window' $args[0] -Mask $args[1]", image, mask);
        Assert.Empty(r.Errors);
        var part = Assert.Single(Assert.Single(_s.Api.Requests).PartsNamed("mask"));
        Assert.Equal(("mask.png", "image/png"), (part.FileName, part.ContentType));
    }

    [Fact]
    public void AFileInfoGivenToPathIsItsFile()
    {
        string photo = _photos.Add("a.png", PhotoFolder.Png());
        var r = _s.Run("Edit-MvImage 'x' (Get-Item -LiteralPath $args[0])", photo);
        Assert.Empty(r.Errors);
        Assert.Single(r.Images());
    }

    [Fact]
    public void ResultsOfNewMvImageChainWithoutTouchingTheDisk()
    {
        var r = _s.Run("New-MvImage 'a house' | Edit-MvImage -Prompt 'add snow'");
        Assert.Empty(r.Errors);
        var image = Assert.Single(r.Images());
        Assert.Equal("add snow", image.Prop<string>("Prompt"));
        Assert.Equal(string.Empty, image.Prop<string>("SourcePath"));
        var edit = _s.Api.Requests[1];
        var part = Assert.Single(edit.PartsNamed("image"));
        Assert.Equal(("image-1.png", "image/png"), (part.FileName, part.ContentType));
        Assert.Equal(0x89, part.FirstBytes[0]);
        Assert.Empty(Directory.GetFiles(_s.Folder));
    }

    [Fact]
    public void OneFailingRequestDoesNotStopTheOthers()
    {
        foreach (var name in new[] { "1.png", "2.png", "3.png", "4.png" }) _photos.Add(name, PhotoFolder.Png());
        _s.Api.Enqueue(new Fault(FaultKind.Status400));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 1", _photos.Path);
        var error = Assert.Single(r.Errors);
        Assert.Equal("InvalidRequest,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(Path.Combine(_photos.Path, "1.png"), error.TargetObject);
        Assert.Equal(3, r.Images().Count());
    }

    [Fact]
    public void ErrorActionStopStopsAtTheFirstError()
    {
        foreach (var name in new[] { "1.png", "2.png", "3.png", "4.png", "5.png", "6.png" }) _photos.Add(name, PhotoFolder.Png());
        _s.Api.Enqueue(new Fault(FaultKind.Status400));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 1 -ErrorAction Stop", _photos.Path);
        Assert.NotNull(r.Terminating);
        Assert.Contains("HTTP 400", r.Terminating!.Message);
        Assert.True(_s.Api.Requests.Count <= 2, $"{_s.Api.Requests.Count} requests were sent after the first error");
    }

    [Fact]
    public void TwentyEditsAtThrottleFourHaveAtMostFourInFlight()
    {
        for (int i = 0; i < 20; i++) _photos.Add($"p{i:00}.png", PhotoFolder.Png());
        _s.Api.Delay = TimeSpan.FromMilliseconds(300);
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 4 | Save-MvImage -Directory ./out", _photos.Path);
        Assert.Empty(r.Errors);
        Assert.Equal(20, r.Output.Count);
        Assert.Equal(4, _s.Api.MaxInFlight);
        Assert.Contains(r.Progress, p => p.StatusDescription.Contains("in flight"));
    }

    [Fact]
    public void A429StormIsRiddenOut()
    {
        for (int i = 0; i < 8; i++) _photos.Add($"s{i}.png", PhotoFolder.Png());
        _s.Api.Enqueue(Enumerable.Repeat(new Fault(FaultKind.RetryAfterMs429) { RetryAfterMs = 100 }, 8).ToArray());
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 8 -MaximumRetryCount 3 -Verbose", _photos.Path);
        Assert.Empty(r.Errors);
        Assert.Equal(8, r.Images().Count());
        Assert.Equal(16, _s.Api.Requests.Count);
        Assert.Contains(r.Verbose, v => v.Message.StartsWith("Retry 1 of 3"));
    }

    [Fact]
    public async Task StopDuringABulkEditReturnsAndLeavesNoPartialFiles()
    {
        for (int i = 0; i < 16; i++) _photos.Add($"b{i:00}.png", PhotoFolder.Png());
        _s.Api.Delay = TimeSpan.FromSeconds(60);
        var out_ = Path.Combine(_s.Folder, "out");
        var r = await _s.Ps.RunAsync("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 16 | Save-MvImage -Directory $args[1]", async ps =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (_s.Api.InFlight < 16 && DateTime.UtcNow < deadline) await Task.Delay(20);
            ps.Stop();
        }, _photos.Path, out_);
        Assert.IsType<PipelineStoppedException>(r.Terminating);
        Assert.False(Directory.Exists(out_) && Directory.EnumerateFileSystemEntries(out_).Any());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_s.Api.InFlight > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, _s.Api.InFlight); // every request was abandoned, none left running
    }

    [Fact]
    public void APathWithBracketsThatExistsIsTakenLiterally()
    {
        _photos.Add("my photo [1].png", PhotoFolder.Png());
        var r = _s.Run("Edit-MvImage 'x' './photos/my photo [1].png'");
        Assert.Empty(r.Errors);
        Assert.EndsWith("my photo [1].png", Assert.Single(r.Images()).Prop<string>("SourcePath"));
    }

    [Fact]
    public void AnInMemoryImageThatFailsIsTheErrorsTarget()
    {
        _s.Run("$global:img = New-MvImage 'a house'");
        _s.Api.Enqueue(new Fault(FaultKind.Status400));
        var error = _s.Run("$img | Edit-MvImage -Prompt 'add snow'").TheError();
        Assert.Equal(UserView.MvImageType, PSObject.AsPSObject(error.TargetObject).TypeNames[0]);
    }

    [Fact]
    public void ProgressCountsToTheFilesAPathArgumentNamed()
    {
        for (int i = 0; i < 3; i++) _photos.Add($"k{i}.png", PhotoFolder.Png());
        _s.Api.Delay = TimeSpan.FromMilliseconds(1200);
        var r = _s.Run("Edit-MvImage -Path ./photos/k*.png -Prompt 'x' -ThrottleLimit 1");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Progress, p => p.StatusDescription.StartsWith("1 of 3 done") && p.PercentComplete == 33);
    }

    [Fact]
    public void PipedFilesTakeAPositionalPrompt()
    {
        _photos.Add("a.png", PhotoFolder.Png());
        _photos.Add("b.png", PhotoFolder.Png());
        var r = _s.Run("Get-ChildItem ./photos | Edit-MvImage 'make it winter' | Save-MvImage -Directory ./out");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "a-edit-1.png", "b-edit-1.png" }, _s.Files(Path.Combine(_s.Folder, "out")));
        Assert.All(_s.Api.Requests, q => Assert.Equal("make it winter", q.FieldValue("prompt")));
    }

    [Fact]
    public void ThePromptComesFirstThenThePath()
    {
        _photos.Add("room.png", PhotoFolder.Png());
        var r = _s.Run("Edit-MvImage 'add a window' ./photos/room.png");
        Assert.Empty(r.Errors);
        Assert.Equal("add a window", Assert.Single(_s.Api.Requests).FieldValue("prompt"));
    }

    [Fact]
    public void ASavedImageIsEditedUnderItsFileName()
    {
        var r = _s.Run("New-MvImage 'a house' | Save-MvImage -PassThru | Edit-MvImage 'add snow' | Save-MvImage -PassThru");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "a-house-1-edit-1.png", "a-house-1.png" }, _s.Files());
        Assert.Equal(Path.Combine(_s.Folder, "a-house-1.png"), Assert.Single(r.Images()).Prop<string>("SourcePath"));
    }
}
