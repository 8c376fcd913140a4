using System.Net;
using ModelverseImage.Api;

namespace ModelverseImage.Tests.Library;

public sealed class RetryRulesTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(409, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public void WhichStatusesAreRetried(int status, bool retried)
    {
        var error = new ApiException(RetryPolicy.KindOf(status, null), "x") { StatusCode = status };
        Assert.Equal(retried, error.Retried());
    }

    [Fact]
    public void ShouldRetryHeaderOverridesExceptForTheNeverRetriedStatuses()
    {
        Assert.False(new ApiException(FailureKind.Server, "x") { StatusCode = 503, ShouldRetry = false }.Retried());
        Assert.True(new ApiException(FailureKind.InvalidRequest, "x") { StatusCode = 418, ShouldRetry = true }.Retried());
        Assert.False(new ApiException(FailureKind.InvalidRequest, "x") { StatusCode = 400, ShouldRetry = true }.Retried());
        Assert.False(new ApiException(FailureKind.QuotaExceeded, "x") { StatusCode = 429 }.Retried());
    }

    [Fact]
    public void ALostAnswerIsRetriedOnlyWhenTheSettingsAllowPayingAgain()
    {
        var lost = new ApiException(FailureKind.AnswerLost, "x") { StatusCode = 200, ShouldRetry = true };
        Assert.False(lost.Retried());
        var settings = new ClientSettings(new Uri("https://x/v1"), ApiKey.FromString("k")!) { MaximumRetryCount = 2 };
        Assert.False(settings.RetryMayBeBilled);
        Assert.False(new RetryPolicy(settings).ShouldRetry(lost, 0));
        settings.RetryMayBeBilled = true;
        Assert.True(new RetryPolicy(settings).ShouldRetry(lost, 1));
        Assert.False(new RetryPolicy(settings).ShouldRetry(lost, 2));
        Assert.False(new RetryPolicy(settings).ShouldRetry(new ApiException(FailureKind.InvalidResponse, "x") { StatusCode = 200 }, 0));
    }

    [Fact]
    public void RetryAfterReadsMillisecondsSecondsAndDates()
    {
        var now = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
        var ms = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        ms.Headers.TryAddWithoutValidation("retry-after-ms", "250");
        ms.Headers.TryAddWithoutValidation("Retry-After", "9");
        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryPolicy.RetryAfter(ms, now));

        var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.TryAddWithoutValidation("Retry-After", "3");
        Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.RetryAfter(seconds, now));

        var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.TryAddWithoutValidation("Retry-After", now.AddSeconds(5).ToString("r"));
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.RetryAfter(date, now));

        Assert.Null(RetryPolicy.RetryAfter(new HttpResponseMessage(HttpStatusCode.InternalServerError), now));
    }

    [Fact]
    public void ServerDelaysAreCappedAndBackoffGrowsWithJitter()
    {
        var policy = new RetryPolicy(new ClientSettings(new Uri("https://x/v1"), ApiKey.FromString("k")!) { MaximumRetryDelay = TimeSpan.FromSeconds(60) });
        Assert.Equal(TimeSpan.FromSeconds(60), policy.DelayFor(new ApiException(FailureKind.RateLimited, "x") { RetryAfter = TimeSpan.FromHours(1) }, 0));
        var plain = new ApiException(FailureKind.Server, "x");
        for (int attempt = 0; attempt < 6; attempt++)
        {
            double expected = Math.Min(0.5 * Math.Pow(2, attempt), 8);
            Assert.InRange(policy.DelayFor(plain, attempt).TotalSeconds, expected * 0.75, expected);
        }
    }
}
