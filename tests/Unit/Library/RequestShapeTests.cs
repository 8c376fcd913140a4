using ModelverseImage.Api;
using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

/// <summary>What goes on the wire: module-made multipart file names, base URIs with a query, keys that HTTP can carry.</summary>
public sealed class RequestShapeTests(StandInFixture standIn) : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 4, 5, 6];
    private FakeModelverseApi _api = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("mvimage-shape-").FullName;

    public async Task InitializeAsync() => _api = await standIn.NextAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true); // the stand-in is the class's: StandInFixture stops it
        return Task.CompletedTask;
    }

    private static ModelverseClient Client(Uri baseUri) => new(new ClientSettings(baseUri, ApiKey.FromString("sk-library-test")!));

    [Fact]
    public async Task MultipartFileNamesAreMadeUpPlainAsciiWhateverTheUsersNames()
    {
        string awkward = Path.Combine(_folder, "ca\"t; ü 猫.png");
        File.WriteAllBytes(awkward, Png);
        var request = new ImageRequest("winter", "gpt-image-2");
        request.Images.Add(ImageUpload.FromFile(awkward, ImageFormat.Png, Png.Length));
        request.Images.Add(ImageUpload.FromBytes(new ArraySegment<byte>(Jpeg), "naïve \"photo\".jpg", ImageFormat.Jpeg));
        request.Mask = ImageUpload.FromBytes(new ArraySegment<byte>(Png), "maske ü.png", ImageFormat.Png);
        using var client = Client(_api.BaseUri);
        await client.SendAsync(request, CancellationToken.None);

        var sent = Assert.Single(_api.Requests);
        var files = sent.Parts.Where(p => p.FileName != null).ToList();
        Assert.Equal(new[] { "image[]:image-1.png:image/png", "image[]:image-2.jpg:image/jpeg", "mask:mask.png:image/png" },
            files.Select(p => $"{p.Name}:{p.FileName}:{p.ContentType}"));
        Assert.Equal(Png, files[0].FirstBytes);
        Assert.Equal(Jpeg, files[1].FirstBytes);
        foreach (var part in files)
        {
            Assert.DoesNotContain("filename*", part.ContentDisposition);
            Assert.All(part.ContentDisposition!, c => Assert.InRange(c, ' ', '~'));
        }
        Assert.Equal("winter", sent.FieldValue("prompt"));
    }

    [Fact]
    public async Task OneImageIsSentAsImageNamedImage1()
    {
        var request = new ImageRequest("x", "m");
        request.Images.Add(ImageUpload.FromBytes(new ArraySegment<byte>(Jpeg), "Ä.jpg", ImageFormat.Jpeg));
        using var client = Client(_api.BaseUri);
        await client.SendAsync(request, CancellationToken.None);
        var part = Assert.Single(Assert.Single(_api.Requests).PartsNamed("image"));
        Assert.Equal("image-1.jpg", part.FileName);
    }

    [Fact]
    public void AnUploadsContentTypeAndPartNameFollowItsFormat()
    {
        var photo = ImageUpload.FromBytes(new ArraySegment<byte>(Jpeg), "photo.png", ImageFormat.Jpeg); // the name says png, the bytes jpeg
        Assert.Equal(ImageFormat.Jpeg, photo.Format);
        Assert.Equal("image/jpeg", photo.ContentType);
        Assert.Contains("image/jpeg", photo.ToString());
        var request = new ImageRequest("x", "m");
        request.Images.Add(photo);
        request.Mask = ImageUpload.FromFile(Path.Combine(_folder, "mask.png"), ImageFormat.Webp, 10);
        Assert.Equal(new[] { ("image", "image-1.jpg", "image/jpeg"), ("mask", "mask.webp", "image/webp") },
            request.FileParts().Select(p => (p.Part, p.FileName, p.Upload.ContentType)));
    }

    [Theory]
    [InlineData("https://host/v1?api-version=x", "images/generations", "https://host/v1/images/generations?api-version=x")]
    [InlineData("https://host/v1/?api-version=x&b=2", "images/edits", "https://host/v1/images/edits?api-version=x&b=2")]
    [InlineData("https://host/v1", "images/generations", "https://host/v1/images/generations")]
    [InlineData("https://host/v1/", "images/generations", "https://host/v1/images/generations")]
    [InlineData("https://host:8443/openai/deployments/d1?api-version=2025-04-01", "images/generations", "https://host:8443/openai/deployments/d1/images/generations?api-version=2025-04-01")]
    public void EndpointsKeepTheBasePathAndQuery(string baseUri, string path, string expected)
    {
        var settings = new ClientSettings(new Uri(baseUri), ApiKey.FromString("k")!);
        Assert.Equal(expected, settings.Endpoint(path).AbsoluteUri);
    }

    [Fact]
    public async Task ABaseUriWithAQueryKeepsItsPathAndQueryOnTheWire()
    {
        var withQuery = new Uri(_api.BaseUri.AbsoluteUri + "?api-version=2025-04-01");
        using var client = Client(withQuery);
        await client.SendAsync(new ImageRequest("x", "m"), CancellationToken.None);
        var edit = new ImageRequest("x", "m");
        edit.Images.Add(ImageUpload.FromBytes(new ArraySegment<byte>(Png), "a.png", ImageFormat.Png));
        await client.SendAsync(edit, CancellationToken.None);

        Assert.Equal(new[] { "/v1/images/generations?api-version=2025-04-01", "/v1/images/edits?api-version=2025-04-01" },
            _api.Requests.Select(r => r.Path + r.Query));
    }

    [Theory]
    [InlineData("sk-tëst-key")]
    [InlineData("sk-test\u2013key")]        // en dash from a word processor
    [InlineData("sk-test\u00A0key")]        // no-break space
    [InlineData("\u201Csk-test-key\u201D")] // typographic quotes
    [InlineData("sk-test\u007Fkey")]
    public void AKeyOutsidePrintableAsciiIsRefusedWithoutQuotingIt(string key)
    {
        var failure = Assert.Throws<InvalidApiKeyException>(() => ApiKey.FromString(key));
        Assert.DoesNotContain("test", failure.Message);
        Assert.DoesNotContain(key.Trim(), failure.Message);
    }

    [Fact]
    public void APlainAsciiKeyIsAccepted()
    {
        Assert.Equal("***", ApiKey.FromString("  sk-Test_key.0123~!  ")!.ToString());
    }
}
