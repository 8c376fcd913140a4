using System.Text;
using ModelverseImage.Api;
using ModelverseImage.Errors;

namespace ModelverseImage.Tests.Library;

/// <summary>ResponseParser: the skeleton of an answer (data, created, echoed settings, usage) and error bodies.</summary>
public sealed class ResponseParserTests
{
    [Fact]
    public void UrlEntriesAreKeptForDownload()
    {
        var (answer, _) = (ResponseParser.ParseSkeleton(Encoding.UTF8.GetBytes("{\"data\":[{\"url\":\"https://cdn.example/x.png\"}]}"), 200, null), 0);
        Assert.Equal("https://cdn.example/x.png", Assert.Single(answer.Data).Url);
    }

    [Fact]
    public void AnEmptyImageWithAUrlKeepsTheUrl()
    {
        var answer = ResponseParser.ParseSkeleton(Encoding.UTF8.GetBytes("{\"data\":[{\"b64_json\":\"#0\",\"url\":\"https://cdn.example/x.png\"}]}"), 200, null);
        Assert.Equal((0, "https://cdn.example/x.png"), (answer.Data[0].ImageIndex, answer.Data[0].Url));
    }

    [Theory]
    [InlineData(1750667997L, 2025)]
    [InlineData(1750667997123L, 2025)]
    public void CreatedInSecondsOrMilliseconds(long stamp, int year)
    {
        var answer = ResponseParser.ParseSkeleton(Encoding.UTF8.GetBytes("{\"created\":" + stamp + ",\"data\":[{\"url\":\"u\"}]}"), 200, null);
        Assert.Equal(year, answer.Created!.Value.Year);
        var nonsense = ResponseParser.ParseSkeleton(Encoding.UTF8.GetBytes("{\"created\":" + long.MaxValue + ",\"data\":[{\"url\":\"u\"}]}"), 200, null);
        Assert.Null(nonsense.Created);
    }

    [Theory]
    [InlineData("size", "req_header_1", "req_header_1")]
    [InlineData("size", null, null)]
    [InlineData("req_abc123", null, "req_abc123")]
    [InlineData("req_abc123", "req_header_2", "req_header_2")]
    public void TheRequestIdComesFromTheHeaderOrAParamThatLooksLikeOne(string param, string? header, string? expected)
    {
        var body = Encoding.UTF8.GetBytes("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":\"" + param + "\",\"code\":\"x\"}}");
        Assert.Equal(expected, ResponseParser.ErrorFromBody(400, "Bad Request", body, header, null, null).RequestId);
    }

    [Fact]
    public void ANumericErrorCodeIsKept()
    {
        var body = Encoding.UTF8.GetBytes("{\"error\":{\"message\":\"sensitive content\",\"code\":1301}}");
        var error = ResponseParser.ErrorFromBody(400, "Bad Request", body, null, null, null);
        Assert.Equal("1301", error.ErrorCode);
        Assert.Contains("1301", ApiWords.Message(error));
    }

    [Fact]
    public void TheSettingsTheAnswerEchoesAreRead()
    {
        var answer = ResponseParser.ParseSkeleton(Encoding.UTF8.GetBytes(
            "{\"created\":1,\"data\":[{\"url\":\"u\"}],\"size\":\"1536x1024\",\"quality\":\"high\",\"background\":\"transparent\",\"output_format\":\"webp\"," +
            "\"usage\":{\"total_tokens\":10,\"input_tokens\":4,\"output_tokens\":6,\"input_tokens_details\":{\"text_tokens\":3,\"image_tokens\":1},\"output_tokens_details\":{\"text_tokens\":2,\"image_tokens\":4}}}"), 200, null);
        Assert.Equal(("1536x1024", "high", "transparent"), (answer.Settings.Size, answer.Settings.Quality, answer.Settings.Background));
        Assert.Equal((3L, 1L, 2L, 4L), (answer.Usage!.InputTextTokens!.Value, answer.Usage.InputImageTokens!.Value, answer.Usage.OutputTextTokens!.Value, answer.Usage.OutputImageTokens!.Value));
    }
}
