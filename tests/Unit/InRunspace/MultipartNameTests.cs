namespace ModelverseImage.Tests.InRunspace;

/// <summary>Edit-MvImage sends module-made ASCII file names in its multipart parts, whatever the user's files are called.</summary>
public sealed class MultipartNameTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public MultipartNameTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void AwkwardFileNamesGoOutAsImageNAndMask()
    {
        var png = Assert.Single(_s.Run("New-MvImage 'a' -Size 1024x1024").Images()).Bytes();
        var jpeg = Assert.Single(_s.Run("New-MvImage 'b' -Size 1024x1024 -OutputFormat jpeg").Images()).Bytes();
        File.WriteAllBytes(Path.Combine(_s.Folder, "ca\"t ü.png"), png);
        File.WriteAllBytes(Path.Combine(_s.Folder, "naïve; ref.jpg"), jpeg);
        File.WriteAllBytes(Path.Combine(_s.Folder, "maske 猫.png"), png);
        _s.Api.Reset();
        _s.Api.ExpectedApiKey = ApiSession.Key;

        var r = _s.Run("Edit-MvImage -LiteralPath $args[0] -Prompt 'winter' -ReferenceImage $args[1] -Mask $args[2]",
            Path.Combine(_s.Folder, "ca\"t ü.png"), Path.Combine(_s.Folder, "naïve; ref.jpg"), Path.Combine(_s.Folder, "maske 猫.png"));
        Assert.Empty(r.Errors);
        var files = Assert.Single(_s.Api.Requests).Parts.Where(p => p.FileName != null).ToList();
        Assert.Equal(new[] { "image[]:image-1.png:image/png", "image[]:image-2.jpg:image/jpeg", "mask:mask.png:image/png" },
            files.Select(p => $"{p.Name}:{p.FileName}:{p.ContentType}"));
        Assert.All(files, p => Assert.DoesNotContain("filename*", p.ContentDisposition));
    }
}
