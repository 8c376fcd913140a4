namespace ModelverseImage.Tests.InRunspace;

/// <summary>Edit-MvImage refuses bad input (files, masks, paths, piped objects, models) before or instead of uploading.</summary>
public sealed class EditMvImageInputTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;
    private readonly PhotoFolder _photos;

    public EditMvImageInputTests(StandInFixture standIn)
    {
        _s = new ApiSession(standIn);
        _photos = new PhotoFolder(_s.Folder);
    }

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void BadMasksAreRefusedBeforeUpload()
    {
        string image = _photos.Add("room.png", PhotoFolder.Png(64, 48));
        string noAlpha = _photos.Add("flat.png", PhotoFolder.Png(64, 48));
        string wrongSize = _photos.Add("small.png", PhotoFolder.Png(32, 32, alpha: true));
        string jpeg = _photos.Add("mask.jpg", TestImages.Jpeg(64, 48, 0xC0, 10, 10));

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
        _photos.Add("a.png", PhotoFolder.Png());
        string fake = _photos.Add("fake.png", "hello, I am text"u8.ToArray());
        _photos.Add("z.png", PhotoFolder.Png());
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] -File | Edit-MvImage -Prompt 'x' -ThrottleLimit 1", _photos.Path);
        var error = Assert.Single(r.Errors);
        Assert.Equal("UnsupportedImageType,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(fake, error.TargetObject);
        Assert.Equal(2, r.Images().Count());
        Assert.Equal(2, _s.Api.Requests.Count);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })] // a PNG signature and nothing more
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 })]                         // the first bytes of a JPEG
    public void AFileThatOnlyBeginsLikeAnImageIsRefusedBeforeUpload(byte[] bytes)
    {
        string cut = _photos.Add("cut.png", bytes);
        var error = _s.Run("Edit-MvImage 'x' -LiteralPath $args[0]", cut).TheError();
        Assert.Equal("InvalidImageData,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("cut short", error.Exception.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void APipedObjectWithAPathPropertyIsNotTakenAsItsText()
    {
        string photo = _photos.Add("a.png", PhotoFolder.Png());
        var r = _s.Run("[pscustomobject]@{ Path = $args[0] } | Edit-MvImage 'x'", photo);
        Assert.Equal("InputObjectNotBound,ModelverseImage.Commands.EditMvImageCommand", r.TheError().FullyQualifiedErrorId);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void AFileOver50MBIsRefusedBeforeUpload()
    {
        string big = Path.Combine(_photos.Path, "huge.png");
        using (var stream = File.Create(big))
        {
            var png = PhotoFolder.Png();
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
        // A wildcard that matches nothing is FileNotFound too (issue #20 item 19): in a runbook a wrong folder must not look like success.
        Assert.Equal(new[] { "FileNotFound", "FileNotFound", "FileNotFound" }, r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Equal(new[] { "nope.png", "nothing*.png", "gone.png" }, r.Errors.Select(e => Path.GetFileName(e.TargetObject!.ToString()!)));
        Assert.Empty(_s.Api.Requests);
    }

    [Theory]
    [InlineData("-Mask Env:PATH", "Env:PATH")]
    [InlineData("-ReferenceImage Variable:x", "Variable:x")]
    public void AMaskOrReferenceOfAnotherProviderIsNotAFileSystemPath(string parameter, string path)
    {
        _photos.Add("a.png", PhotoFolder.Png());
        var error = _s.Run("$x = 1; Edit-MvImage 'x' ./photos/a.png " + parameter).TheError();
        Assert.Equal("NotAFileSystemPath,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(path, error.TargetObject);
        Assert.Contains(parameter.Split(' ')[0] + ":", error.ErrorDetails.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Theory]
    [InlineData("Edit-MvImage 'x' -Path nosuchdrive:/a.png", "EditMvImageCommand")]
    [InlineData("Edit-MvImage 'x' -LiteralPath nosuchdrive:/a.png", "EditMvImageCommand")]
    [InlineData("Import-MvImage -Path nosuchdrive:/a.png", "ImportMvImageCommand")]
    [InlineData("Import-MvImage -LiteralPath nosuchdrive:/a.png", "ImportMvImageCommand")]
    [InlineData("Edit-MvImage 'x' ./photos/a.png -Mask nosuchdrive:/m.png", "EditMvImageCommand")]
    public void AnUnknownDriveIsAnInvalidPathWhicheverParameterNamesIt(string script, string command)
    {
        _photos.Add("a.png", PhotoFolder.Png());
        var error = _s.Run(script).TheError();
        Assert.Equal("InvalidPath,ModelverseImage.Commands." + command, error.FullyQualifiedErrorId);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void AFolderFromThePipelineIsNotAFile()
    {
        Directory.CreateDirectory(Path.Combine(_photos.Path, "sub"));
        _photos.Add("a.png", PhotoFolder.Png());
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] | Edit-MvImage -Prompt 'x'", _photos.Path);
        Assert.Equal("NotAFile,ModelverseImage.Commands.EditMvImageCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Single(r.Images());
    }

    [Fact]
    public void SwappedPathAndPromptAreRefusedBeforeSending()
    {
        _photos.Add("room.png", PhotoFolder.Png());
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

    [Theory]
    [InlineData("")]
    [InlineData("-Model gpt-image-1-mini")]
    public void InputFidelityIsRefusedForModelsThatRejectIt(string model)
    {
        _photos.Add("a.png", PhotoFolder.Png());
        var error = _s.Run("Edit-MvImage 'x' ./photos/a.png -InputFidelity high " + model).TheError();
        Assert.Equal("InputFidelityNotSupported,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(_s.Api.Requests);
    }
}
