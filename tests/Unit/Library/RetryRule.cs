using ModelverseImage.Api;

namespace ModelverseImage.Tests.Library;

/// <summary>The retry rule's answer for a failure, as the client asks it after a first attempt (retries allowed, no paying twice).</summary>
internal static class RetryRule
{
    private static readonly RetryPolicy Policy = new(new ClientSettings(new Uri("https://x/v1"), ApiKey.FromString("k")!) { MaximumRetryCount = 2 });

    public static bool Retried(this ApiException failure) => Policy.ShouldRetry(failure, 0);
}
