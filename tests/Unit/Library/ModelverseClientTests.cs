using ModelverseImage.Api;
using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

public sealed class ModelverseClientTests(StandInFixture standIn) : IAsyncLifetime, IClassFixture<StandInFixture>
{
    /// <summary>What the stand-in answers for 1536x1024 PNG: truecolour with alpha, wider than tall (a swap would show).</summary>
    private static readonly ImageHeader StandInPng = new(ImageFormat.Png, 1536, 1024, hasAlpha: true);

    private FakeModelverseApi _api = null!;

    public async Task InitializeAsync() => _api = await standIn.NextAsync();

    public Task DisposeAsync() => Task.CompletedTask; // the stand-in is the class's: StandInFixture stops it

    private ModelverseClient Client() => new(new ClientSettings(_api.BaseUri, ApiKey.FromString("sk-library-test")!));

    private static ImageRequest Request(int count = 1) => new("x", "m") { Size = new ImageSize(1536, 1024), Count = count };

    [Fact]
    public void RestSharpsOwnTimeoutIsOff()
    {
        using var client = new ModelverseClient(new ClientSettings(new Uri("https://example.invalid/v1"), ApiKey.FromString("k")!));
        var rest = (RestSharp.RestClient)typeof(ModelverseClient).GetField("_rest", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(client)!;
        Assert.Equal(Timeout.InfiniteTimeSpan, rest.Options.Timeout);
    }

    [Theory]
    [InlineData(FaultKind.None)]
    [InlineData(FaultKind.DataUri)]
    [InlineData(FaultKind.EscapedBase64)]
    [InlineData(FaultKind.Url)] // downloaded after the answer: the download's check gives the header
    public async Task EveryImageCarriesTheHeaderItWasCheckedWith(FaultKind kind)
    {
        _api.Enqueue(kind);
        using var client = Client();
        var result = await client.SendAsync(Request(count: 2), CancellationToken.None);
        Assert.Equal(2, result.Images.Count);
        Assert.All(result.Images, image => Assert.Equal(StandInPng, image.Header));
    }

    [Fact]
    public async Task StreamedPartialAndFinalImagesCarryTheirHeaders()
    {
        var request = Request();
        request.PartialImages = 2;
        var partials = new List<StreamedImage>();
        using var client = Client();
        var result = await client.SendAsync(request, partials.Add, CancellationToken.None);
        Assert.Equal(new int?[] { 0, 1, null }, partials.Select(p => p.PartialIndex)); // two partials, then the final image as it completed
        Assert.All(partials, partial => Assert.Equal(StandInPng, partial.Header));
        Assert.Equal(StandInPng, Assert.Single(result.Images).Header);
    }
}
