using ModelverseImage.Output;
using ModelverseImage.Tests.Library;

namespace ModelverseImage.Tests.InRunspace;

public sealed class EditMvImageTests : IAsyncLifetime
{
    private readonly ApiSession _s = new();
    private string _photos = null!;

    public Task InitializeAsync()
    {
        _photos = Directory.CreateDirectory(Path.Combine(_s.Folder, "photos")).FullName;
        return _s.InitializeAsync();
    }

    public Task DisposeAsync() => _s.DisposeAsync();

    private string Photo(string name, byte[] bytes)
    {
        string path = Path.Combine(_photos, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Png(int w = 64, int h = 48, bool alpha = false) => SnifferTestImages.Png(w, h, alpha ? (byte)6 : (byte)2);

    [Fact]
    public void AFolderFromTheProviderIsEditedAndSavedWithTheRightNames()
    {
        Photo("cat.png", Png());
        Photo("my photo [1].jpeg", SnifferTestImages.Jpeg(64, 48, 0xC0, 100, 50));
        Photo("猫.webp", SnifferTestImages.WebpVp8X(64, 48, 0));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'make it winter' | Save-MvImage -Directory ./out", _photos);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "cat-edit-1.png", "my-photo-1-edit-1.png", "猫-edit-1.png" }, _s.Files(Path.Combine(_s.Folder, "out")));
        Assert.Equal(3, Directory.GetFiles(_photos).Length); // sources untouched

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
        Photo("actually-a-jpeg.png", SnifferTestImages.Jpeg(64, 48, 0xC0, 100, 50));
        var r = _s.Run("Edit-MvImage -LiteralPath $args[0] -Prompt 'x'", Path.Combine(_photos, "actually-a-jpeg.png"));
        Assert.Empty(r.Errors);
        Assert.Equal("image/jpeg", Assert.Single(Assert.Single(_s.Api.Requests).Parts, p => p.Name == "image").ContentType);
    }

    [Fact]
    public void WildcardsAndRelativePathsResolveAgainstTheSessionLocation()
    {
        Photo("a.png", Png());
        Photo("b.png", Png());
        Photo("c.txt", "not an image"u8.ToArray());
        var r = _s.Run("Edit-MvImage -Path ./photos/*.png -Prompt 'x' -Count 2 -Size 1024x1024 -Quality low -InputFidelity high -Model gpt-image-1.5");
        Assert.Empty(r.Errors);
        var images = r.Objects<MvImage>().ToList();
        Assert.Equal(4, images.Count);
        Assert.Equal(new[] { "a.png", "a.png", "b.png", "b.png" }, images.Select(i => Path.GetFileName(i.SourcePath)).OrderBy(n => n));
        var request = _s.Api.Requests[0];
        Assert.Equal("2", request.FieldValue("n"));
        Assert.Equal("1024x1024", request.FieldValue("size"));
        Assert.Equal("low", request.FieldValue("quality"));
        Assert.Equal("high", request.FieldValue("input_fidelity"));
    }

    [Fact]
    public void ReferenceImagesGoAsRepeatedImageArrayParts()
    {
        string main = Photo("main.png", Png());
        string r1 = Photo("ref1.webp", SnifferTestImages.WebpVp8L(32, 32, alpha: false));
        string r2 = Photo("ref2.jpg", SnifferTestImages.Jpeg(32, 32, 0xC2, 10, 10));
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
        string image = Photo("room.png", Png(64, 48));
        string mask = Photo("mask.png", Png(64, 48, alpha: true));
        var r = _s.Run("Edit-MvImage 'add a window' $args[0] -Mask $args[1]", image, mask);
        Assert.Empty(r.Errors);
        var part = Assert.Single(Assert.Single(_s.Api.Requests).PartsNamed("mask"));
        Assert.Equal(("mask.png", "image/png"), (part.FileName, part.ContentType));
    }

    [Fact]
    public void BadMasksAreRefusedBeforeUpload()
    {
        string image = Photo("room.png", Png(64, 48));
        string noAlpha = Photo("flat.png", Png(64, 48));
        string wrongSize = Photo("small.png", Png(32, 32, alpha: true));
        string jpeg = Photo("mask.jpg", SnifferTestImages.Jpeg(64, 48, 0xC0, 10, 10));

        Assert.Equal("InvalidMask,ModelverseImage.Commands.EditMvImageCommand", _s.Run("Edit-MvImage 'x' $args[0] -Mask $args[1]", image, noAlpha).TheError().FullyQualifiedErrorId);
        Assert.Equal("InvalidMask,ModelverseImage.Commands.EditMvImageCommand", _s.Run("Edit-MvImage 'x' $args[0] -Mask $args[1]", image, jpeg).TheError().FullyQualifiedErrorId);
        var mismatch = _s.Run("Edit-MvImage 'x' $args[0] -Mask $args[1]", image, wrongSize).TheError();
        Assert.Equal("MaskSizeMismatch,ModelverseImage.Commands.EditMvImageCommand", mismatch.FullyQualifiedErrorId);
        Assert.Contains("32x32", mismatch.Exception.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void ATextFileNamedPngIsRefusedAndTheOthersGoOn()
    {
        Photo("a.png", Png());
        string fake = Photo("fake.png", "hello, I am text"u8.ToArray());
        Photo("z.png", Png());
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 1", _photos);
        var error = Assert.Single(r.Errors);
        Assert.Equal("UnsupportedImageType,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(fake, error.TargetObject);
        Assert.Equal(2, r.Objects<MvImage>().Count());
        Assert.Equal(2, _s.Api.Requests.Count);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })] // a PNG signature and nothing more
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 })]                         // the first bytes of a JPEG
    public void AFileThatOnlyBeginsLikeAnImageIsRefusedBeforeUpload(byte[] bytes)
    {
        string cut = Photo("cut.png", bytes);
        var error = _s.Run("Edit-MvImage 'x' -LiteralPath $args[0]", cut).TheError();
        Assert.Equal("InvalidImageData,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("cut short", error.Exception.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void APipedObjectWithAPathPropertyIsNotTakenAsItsText()
    {
        string photo = Photo("a.png", Png());
        var r = _s.Run("[pscustomobject]@{ Path = $args[0] } | Edit-MvImage 'x'", photo);
        Assert.Equal("InputObjectNotBound,ModelverseImage.Commands.EditMvImageCommand", r.TheError().FullyQualifiedErrorId);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void AFileInfoGivenToPathIsItsFile()
    {
        string photo = Photo("a.png", Png());
        var r = _s.Run("Edit-MvImage 'x' (Get-Item -LiteralPath $args[0])", photo);
        Assert.Empty(r.Errors);
        Assert.Single(r.Objects<MvImage>());
    }

    [Fact]
    public void AFileOver50MBIsRefusedBeforeUpload()
    {
        string big = Path.Combine(_photos, "huge.png");
        using (var stream = File.Create(big))
        {
            var png = Png();
            stream.Write(png);
            stream.SetLength(51L * 1024 * 1024);
        }
        var error = _s.Run("Edit-MvImage 'x' $args[0]", big).TheError();
        Assert.Equal("ImageTooLarge,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(big, error.TargetObject);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void MissingFilesAreErrorsWithTheirPath()
    {
        var r = _s.Run("Edit-MvImage -LiteralPath ./nope.png -Prompt 'x'; Edit-MvImage -Path ./nothing*.png -Prompt 'x'; Edit-MvImage -Path ./gone.png -Prompt 'x'");
        // A wildcard that matches nothing is not an error, as with Get-ChildItem; the two literal names are.
        Assert.Equal(new[] { "FileNotFound", "FileNotFound" }, r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Equal(new[] { "nope.png", "gone.png" }, r.Errors.Select(e => Path.GetFileName(e.TargetObject!.ToString()!)));
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void ResultsOfNewMvImageChainWithoutTouchingTheDisk()
    {
        var r = _s.Run("New-MvImage 'a house' | Edit-MvImage -Prompt 'add snow'");
        Assert.Empty(r.Errors);
        var image = Assert.Single(r.Objects<MvImage>());
        Assert.Equal("add snow", image.Prompt);
        Assert.Equal(string.Empty, image.SourcePath);
        var edit = _s.Api.Requests[1];
        var part = Assert.Single(edit.PartsNamed("image"));
        Assert.Equal(("image-1.png", "image/png"), (part.FileName, part.ContentType));
        Assert.Equal(0x89, part.FirstBytes[0]);
        Assert.Empty(Directory.GetFiles(_s.Folder));
    }

    [Fact]
    public void OneFailingRequestDoesNotStopTheOthers()
    {
        foreach (var name in new[] { "1.png", "2.png", "3.png", "4.png" }) Photo(name, Png());
        _s.Api.Enqueue(new Fault(FaultKind.Status400));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 1", _photos);
        var error = Assert.Single(r.Errors);
        Assert.Equal("InvalidRequest,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(Path.Combine(_photos, "1.png"), error.TargetObject);
        Assert.Equal(3, r.Objects<MvImage>().Count());
    }

    [Fact]
    public void ErrorActionStopStopsAtTheFirstError()
    {
        foreach (var name in new[] { "1.png", "2.png", "3.png", "4.png", "5.png", "6.png" }) Photo(name, Png());
        _s.Api.Enqueue(new Fault(FaultKind.Status400));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 1 -ErrorAction Stop", _photos);
        Assert.NotNull(r.Terminating);
        Assert.Contains("HTTP 400", r.Terminating!.Message);
        Assert.True(_s.Api.Requests.Count <= 2, $"{_s.Api.Requests.Count} requests were sent after the first error");
    }

    [Fact]
    public void TwentyEditsAtThrottleFourHaveAtMostFourInFlight()
    {
        for (int i = 0; i < 20; i++) Photo($"p{i:00}.png", Png());
        _s.Api.Delay = TimeSpan.FromMilliseconds(300);
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 4 | Save-MvImage -Directory ./out", _photos);
        Assert.Empty(r.Errors);
        Assert.Equal(20, r.Output.Count);
        Assert.Equal(4, _s.Api.MaxInFlight);
        Assert.Contains(r.Progress, p => p.StatusDescription.Contains("in flight"));
    }

    [Fact]
    public void A429StormIsRiddenOut()
    {
        for (int i = 0; i < 8; i++) Photo($"s{i}.png", Png());
        _s.Api.Enqueue(Enumerable.Repeat(new Fault(FaultKind.RetryAfterMs429) { RetryAfterMs = 100 }, 8).ToArray());
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 8 -MaximumRetryCount 3 -Verbose", _photos);
        Assert.Empty(r.Errors);
        Assert.Equal(8, r.Objects<MvImage>().Count());
        Assert.Equal(16, _s.Api.Requests.Count);
        Assert.Contains(r.Verbose, v => v.Message.StartsWith("Retry 1 of 3"));
    }

    [Fact]
    public async Task StopDuringABulkEditReturnsAndLeavesNoPartialFiles()
    {
        for (int i = 0; i < 16; i++) Photo($"b{i:00}.png", Png());
        _s.Api.Delay = TimeSpan.FromSeconds(60);
        var out_ = Path.Combine(_s.Folder, "out");
        var r = await _s.Ps.RunAsync("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 16 | Save-MvImage -Directory $args[1]", async ps =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (_s.Api.InFlight < 16 && DateTime.UtcNow < deadline) await Task.Delay(20);
            ps.Stop();
        }, _photos, out_);
        Assert.IsType<PipelineStoppedException>(r.Terminating);
        Assert.False(Directory.Exists(out_) && Directory.EnumerateFileSystemEntries(out_).Any());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_s.Api.InFlight > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, _s.Api.InFlight); // every request was abandoned, none left running
    }

    [Fact]
    public void APathWithBracketsThatExistsIsTakenLiterally()
    {
        Photo("my photo [1].png", Png());
        var r = _s.Run("Edit-MvImage 'x' './photos/my photo [1].png'");
        Assert.Empty(r.Errors);
        Assert.EndsWith("my photo [1].png", Assert.Single(r.Objects<MvImage>()).SourcePath);
    }

    [Fact]
    public void AnInMemoryImageThatFailsIsTheErrorsTarget()
    {
        _s.Run("$global:img = New-MvImage 'a house'");
        _s.Api.Enqueue(new Fault(FaultKind.Status400));
        var error = _s.Run("$img | Edit-MvImage -Prompt 'add snow'").TheError();
        Assert.IsType<MvImage>(error.TargetObject);
    }

    [Fact]
    public void AFolderFromThePipelineIsNotAFile()
    {
        Directory.CreateDirectory(Path.Combine(_photos, "sub"));
        Photo("a.png", Png());
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] | Edit-MvImage -Prompt 'x'", _photos);
        Assert.Equal("NotAFile,ModelverseImage.Commands.EditMvImageCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Single(r.Objects<MvImage>());
    }

    [Fact]
    public void ProgressCountsToTheFilesAPathArgumentNamed()
    {
        for (int i = 0; i < 3; i++) Photo($"k{i}.png", Png());
        _s.Api.Delay = TimeSpan.FromMilliseconds(1200);
        var r = _s.Run("Edit-MvImage -Path ./photos/k*.png -Prompt 'x' -ThrottleLimit 1");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Progress, p => p.StatusDescription.StartsWith("1 of 3 done") && p.PercentComplete == 33);
    }

    [Fact]
    public void PipedFilesTakeAPositionalPrompt()
    {
        Photo("a.png", Png());
        Photo("b.png", Png());
        var r = _s.Run("Get-ChildItem ./photos | Edit-MvImage 'make it winter' | Save-MvImage -Directory ./out");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "a-edit-1.png", "b-edit-1.png" }, _s.Files(Path.Combine(_s.Folder, "out")));
        Assert.All(_s.Api.Requests, q => Assert.Equal("make it winter", q.FieldValue("prompt")));
    }

    [Fact]
    public void ThePromptComesFirstThenThePath()
    {
        Photo("room.png", Png());
        var r = _s.Run("Edit-MvImage 'add a window' ./photos/room.png");
        Assert.Empty(r.Errors);
        Assert.Equal("add a window", Assert.Single(_s.Api.Requests).FieldValue("prompt"));
    }

    [Fact]
    public void SwappedPathAndPromptAreRefusedBeforeSending()
    {
        Photo("room.png", Png());
        var error = _s.Run("Edit-MvImage ./photos/room.png 'add a window'").TheError();
        Assert.Equal("PromptFirst,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("prompt comes first", error.Exception.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void ADeserializedImageHasNoBytesToEdit()
    {
        var r = _s.Run("New-MvImage 'a cat' | Export-Clixml ./c.xml; Import-Clixml ./c.xml | Edit-MvImage 'x'");
        var error = r.TheError();
        Assert.Equal("NoImageBytes,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("no", error.Exception.Message);
        Assert.Single(_s.Api.Requests); // the generation only
    }

    [Fact]
    public void ASavedImageIsEditedUnderItsFileName()
    {
        var r = _s.Run("New-MvImage 'a house' | Save-MvImage -PassThru | Edit-MvImage 'add snow' | Save-MvImage -PassThru");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "a-house-1-edit-1.png", "a-house-1.png" }, _s.Files());
        Assert.Equal(Path.Combine(_s.Folder, "a-house-1.png"), Assert.Single(r.Objects<MvImage>()).SourcePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-Model gpt-image-1-mini")]
    public void InputFidelityIsRefusedForModelsThatRejectIt(string model)
    {
        Photo("a.png", Png());
        var error = _s.Run("Edit-MvImage 'x' ./photos/a.png -InputFidelity high " + model).TheError();
        Assert.Equal("InputFidelityNotSupported,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(_s.Api.Requests);
    }
}
