using System.Text;
using ModelverseImage.Api;

namespace ModelverseImage.Tests.Library;

public sealed class ImageJsonScannerTests
{
    private static byte[] Bytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static (AnswerSkeleton Answer, List<byte[]> Images) Scan(string json, int chunk, long? contentLength = null, int expectedImages = 0)
    {
        using var scanner = new ImageJsonScanner(contentLength, expectedImages);
        var utf8 = Encoding.UTF8.GetBytes(json);
        for (int i = 0; i < utf8.Length; i += chunk)
            scanner.Feed(utf8.AsSpan(i, Math.Min(chunk, utf8.Length - i)));
        scanner.Complete();
        var answer = ResponseParser.ParseSkeleton(scanner.Skeleton, 200, "req_x");
        return (answer, answer.Data.Select(d => scanner.Images[d.ImageIndex].Detach().ToArray()).ToList());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public void DecodesEveryShapeAtAnyChunkBoundary(int chunk)
    {
        var a = Bytes(3001, 1);   // length % 3 == 1: "==" padding
        var b = Bytes(3002, 2);   // "=" padding
        var c = Bytes(3003, 3);   // no padding
        string escaped = Convert.ToBase64String(b).Replace("+", "\\u002B").Replace("/", "\\/");
        string json = "{ \"created\" : 1750667997, \"data\": [ {\"b64_json\":\"" + Convert.ToBase64String(a) + "\", \"revised_prompt\": \"a \\\"quoted\\\" b64_json\"},"
            + " {\"revised_prompt\":\"x\",\"b64_json\" :\n \"" + escaped + "\"},"
            + " {\"b64_json\":\"data:image/png;base64," + Convert.ToBase64String(c) + "\"} ],"
            + " \"usage\": {\"total_tokens\": 4169, \"input_tokens\": 9, \"output_tokens\": 4160, \"input_tokens_details\": {\"text_tokens\": 9, \"image_tokens\": 0}} }";
        var (answer, images) = Scan(json, chunk);
        Assert.Equal(3, images.Count);
        Assert.Equal(a, images[0]);
        Assert.Equal(b, images[1]);
        Assert.Equal(c, images[2]);
        Assert.Equal("a \"quoted\" b64_json", answer.Data[0].RevisedPrompt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1750667997), answer.Created);
        Assert.Equal((4169L, 9L, 4160L, 9L, 0L), (answer.Usage!.TotalTokens!.Value, answer.Usage.InputTokens!.Value, answer.Usage.OutputTokens!.Value, answer.Usage.InputTextTokens!.Value, answer.Usage.InputImageTokens!.Value));
    }

    [Fact]
    public void TheSkeletonIsSmall()
    {
        var big = Bytes(3_000_000, 4);
        using var scanner = new ImageJsonScanner();
        scanner.Feed(Encoding.ASCII.GetBytes("{\"data\":[{\"b64_json\":\"" + Convert.ToBase64String(big) + "\"}]}"));
        scanner.Complete();
        Assert.True(scanner.Skeleton.Length < 64, scanner.Skeleton.Length.ToString());
        Assert.Equal(big, scanner.Images[0].Detach().ToArray());
    }

    [Theory]
    [InlineData("{\"data\":[{\"b64_json\":\"@@@@\"}]}")]
    [InlineData("{\"data\":[{\"b64_json\":\"QUJD\\u00e9\"}]}")]
    [InlineData("{\"data\":[{\"b64_json\":\"Q\"}]}")]
    public void InvalidBase64IsAnInvalidResponse(string json)
    {
        var ex = Assert.Throws<ApiException>(() => Scan(json, 3));
        Assert.Equal(FailureKind.InvalidResponse, ex.Kind);
    }

    [Theory]
    [InlineData("{\"data\":[{\"b64_json\":\"QUJD")]
    [InlineData("{\"data\":[{\"b64_json\":\"QUJD\"}]")]
    [InlineData("<html>502</html>")]
    [InlineData("{\"data\":[]}")]
    [InlineData("{\"data\":[{\"revised_prompt\":\"no image\"}]}")]
    public void IncompleteOrEmptyAnswersAreInvalidResponses(string json)
    {
        var ex = Assert.Throws<ApiException>(() => Scan(json, 4));
        Assert.Equal(FailureKind.InvalidResponse, ex.Kind);
    }

    [Fact]
    public void AnErrorObjectInsideTheBodyBecomesAnApiException()
    {
        var ex = Assert.Throws<ApiException>(() => Scan("{\"error\":{\"message\":\"blocked\",\"type\":\"t\",\"param\":\"req_9\",\"code\":\"moderation_blocked\"}}", 5));
        Assert.Equal(FailureKind.ContentPolicy, ex.Kind);
        Assert.Equal("req_x", ex.RequestId); // the x-request-id header wins over error.param
        Assert.Equal("blocked", ex.ApiMessage);
    }

    [Theory]
    [InlineData(0)]      // the announced length is exact
    [InlineData(-400)]   // the server announced less than it sent: the buffer grows
    [InlineData(5000)]   // or more
    public void OneImageWithAKnownLengthIsDecodedIntoOneArrayWithoutACopy(int lengthError)
    {
        var image = Bytes(100_001, 5);
        string json = "{\"created\":1,\"data\":[{\"b64_json\":\"" + Convert.ToBase64String(image) + "\"}],\"usage\":{\"total_tokens\":3}}";
        int length = Encoding.ASCII.GetByteCount(json);
        using var scanner = new ImageJsonScanner(length + lengthError, expectedImages: 1);
        var utf8 = Encoding.ASCII.GetBytes(json);
        for (int i = 0; i < utf8.Length; i += 4096) scanner.Feed(utf8.AsSpan(i, Math.Min(4096, utf8.Length - i)));
        scanner.Complete();
        Assert.IsType<ContiguousBuffer>(scanner.Images[0]);
        var data = scanner.Images[0].Detach();
        Assert.Equal(image, data.ToArray());
        Assert.Equal(0, data.Offset);
        if (lengthError == 0) Assert.InRange(data.Array!.Length - data.Count, 0, 64); // sized from the length: little slack

        var result = new AnswerImage(data, default, null);
        Assert.Equal(image, result.Bytes);
    }

    [Fact]
    public void SeveralImagesOrNoLengthUseSegments()
    {
        using var several = new ImageJsonScanner(10_000, expectedImages: 2);
        several.Feed(Encoding.ASCII.GetBytes("{\"data\":[{\"b64_json\":\"QUJD\"},{\"b64_json\":\"REVG\"}]}"));
        several.Complete();
        Assert.All(several.Images, b => Assert.IsType<SegmentedBuffer>(b));
        using var unknown = new ImageJsonScanner(null, expectedImages: 1);
        unknown.Feed(Encoding.ASCII.GetBytes("{\"data\":[{\"b64_json\":\"QUJD\"}]}"));
        unknown.Complete();
        Assert.IsType<SegmentedBuffer>(Assert.Single(unknown.Images));
        Assert.Equal("ABC"u8.ToArray(), unknown.Images[0].Detach().ToArray());
    }

    [Fact]
    public void ExactArraysAreNotCopied()
    {
        var whole = new byte[] { 1, 2, 3 };
        Assert.Same(whole, ImageBytes.Exact(new ArraySegment<byte>(whole)));
        Assert.Equal(new byte[] { 2, 3 }, ImageBytes.Exact(new ArraySegment<byte>(whole, 1, 2)));
    }

    [Fact]
    public void AnAbsurdContentLengthIsNotTrustedWithOneAllocation()
    {
        using var scanner = new ImageJsonScanner(1_300_000_000, expectedImages: 1);
        scanner.Feed(Encoding.ASCII.GetBytes("{\"data\":[{\"b64_json\":\"QUJD\"}]}"));
        scanner.Complete();
        Assert.IsType<SegmentedBuffer>(scanner.Images[0]);
    }
}
