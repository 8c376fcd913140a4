using System.Text;
using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Output;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// $image.Bytes (MvImage.Bytes) is an exact-size byte[]. It is the decoded array itself wherever the decoder made one of
/// the image's exact size (a streamed answer, several images, an answer without Content-Length, a file read back, an
/// MvImage made from a byte[]), and it is made at most once: later reads give the same array. Only an image decoded
/// into the array sized from the answer's Content-Length (an upper bound, so a little larger than the image) is copied
/// once, on the first read: the copy that keeps WriteAllBytes($path, $image.Bytes) the image's exact size.
/// </summary>
public sealed class MvImageBytesTests
{
    private static readonly byte[] Png = TestImages.Png(32, 16, 2);
    private static readonly ImageHeader Header = new(ImageFormat.Png, 32, 16, hasAlpha: true);

    [Fact]
    public void AnImageMadeFromAByteArrayGivesThatArray()
    {
        var image = new MvImage(Png, "png", 32, 16);
        Assert.Same(Png, image.Bytes);
        Assert.Same(Png, MvImage.BytesOf(new PSObject(image)));
    }

    [Fact]
    public void AnImageDecodedIntoSegmentsGivesTheDecodedArrayWithoutACopy()
    {
        // No Content-Length (or several images, or a streamed event): pooled segments, one exact-size array at the end.
        var data = Decode(contentLength: null);
        Assert.Equal((0, data.Array!.Length), (data.Offset, data.Count));

        var answer = new ImageAnswer(new[] { new AnswerImage(data, Header, null) }, null, null, "req_1");
        var image = Assert.Single(MvImage.FromResult(answer, new ImageRequest("p", "m"), new RequestTicket("k", 1, string.Empty)));
        Assert.Same(data.Array, image.Bytes);

        var streamed = MvImage.FromStreamed(new StreamedImage(data, Header, partialIndex: null, imageIndex: 0, created: null, requestId: "req_2", settings: null), new ImageRequest("p", "m"), new RequestTicket("k", 1, string.Empty));
        Assert.Same(data.Array, streamed.Bytes);
    }

    [Fact]
    public void AnImageDecodedIntoTheContentLengthArrayIsCopiedOnceToItsExactSize()
    {
        var data = Decode(contentLength: Json.Length);
        Assert.True(data.Array!.Length > data.Count, "the array sized from Content-Length is an upper bound, larger than the image");

        var answer = new ImageAnswer(new[] { new AnswerImage(data, Header, null) }, null, null, "req_3");
        var image = Assert.Single(MvImage.FromResult(answer, new ImageRequest("p", "m"), new RequestTicket("k", 1, string.Empty)));
        var first = image.Bytes;
        Assert.Equal(Png, first);
        Assert.Equal(image.Length, first.Length);
        Assert.Same(first, image.Bytes);
        Assert.Same(first, MvImage.BytesOf(new PSObject(image)));
    }

    private static readonly byte[] Json = Encoding.ASCII.GetBytes(
        "{\"created\":1,\"data\":[{\"b64_json\":\"" + Convert.ToBase64String(Png) + "\"}],\"usage\":{\"total_tokens\":3}}");

    private static ArraySegment<byte> Decode(long? contentLength)
    {
        using var scanner = new ImageJsonScanner(contentLength, expectedImages: 1);
        scanner.Feed(Json);
        scanner.Complete();
        var data = scanner.Images[0].Detach();
        Assert.Equal(Png, data.ToArray());
        return data;
    }
}
