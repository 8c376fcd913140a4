using ModelverseImage.Api;

namespace ModelverseImage.Tests.Library;

public sealed class ModelverseClientTests
{
    [Fact]
    public void RestSharpsOwnTimeoutIsOff()
    {
        using var client = new ModelverseClient(new ClientSettings(new Uri("https://example.invalid/v1"), ApiKey.FromString("k")!));
        Assert.Equal(Timeout.InfiniteTimeSpan, client.RestTimeout);
    }
}
