using System.Net.Http;
using ModelverseImage.Api;

namespace ModelverseImage.Tests.Library;

/// <summary>Issue #20 item 13: a Retry-After a hostile server makes huge is clamped to the longest wait, like a far-future date.</summary>
public sealed class HostileRetryAfterTests
{
    [Theory]
    [InlineData("Retry-After", "Infinity")]
    [InlineData("Retry-After", "1e300")]
    [InlineData("retry-after-ms", "1e300")]
    [InlineData("retry-after-ms", "Infinity")]
    public void AHugeRetryAfterIsClampedNotAnOverflow(string header, string value)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, value);
        var wait = RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow);
        Assert.NotNull(wait);
        var settings = new ClientSettings(new Uri("https://x/v1"), ApiKey.FromString("k")!);
        var failure = new ApiException(FailureKind.RateLimited, "x") { StatusCode = 429, RetryAfter = wait };
        Assert.Equal(settings.MaximumRetryDelay, new RetryPolicy(settings).DelayFor(failure, 0));
    }
}
