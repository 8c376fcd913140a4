using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Output;

namespace ModelverseImage.Tests.Library;

/// <summary>MvImage made from an answer takes the header the client read when it checked the image; it does not read the bytes again.</summary>
public sealed class MvImageTests
{
    private static readonly byte[] Png = TestImages.Png(32, 16, 2);

    // Not what the bytes say: an MvImage that shows it took the carried header, not a second read of the bytes.
    private static readonly ImageHeader Carried = new(ImageFormat.Webp, 7, 9, hasAlpha: true);

    [Fact]
    public void AnImageOfAnAnswerTakesItsCarriedHeader()
    {
        var result = new ImageAnswer(new[] { new AnswerImage(new ArraySegment<byte>(Png), Carried, "revised") }, null, null, "req_1");
        var image = Assert.Single(MvImage.FromResult(result, new ImageRequest("p", "m"), new RequestTicket("k", 1, string.Empty)));
        Assert.Equal(("webp", 7, 9), (image.Format, image.Width, image.Height));
        Assert.Equal((ImageFormat.Webp, 7, 9), image.Described());
        Assert.Equal("revised", image.RevisedPrompt);
    }

    [Fact]
    public void APartialImageTakesItsCarriedHeader()
    {
        var partial = new StreamedImage(new ArraySegment<byte>(Png), Carried, partialIndex: 1, imageIndex: 0, created: null, requestId: "req_2", settings: null);
        var image = MvImage.FromStreamed(partial, new ImageRequest("p", "m"), new RequestTicket("k", 1, string.Empty));
        Assert.Equal(("webp", 7, 9), (image.Format, image.Width, image.Height));
        Assert.Equal((ImageFormat.Webp, 7, 9), image.Described());
        Assert.True(image.IsPartial);
    }

    [Fact]
    public void AnImageMadeOtherwiseIsDescribedFromItsBytes()
    {
        var image = new MvImage(Png, "webp", 7, 9);
        Assert.Equal((ImageFormat.Png, 32, 16), image.Described());
    }
}
