namespace ModelverseImage.FakeApi;

// A server that echoes the caller's key back (for redaction tests): in x-request-id, error params and messages.
public sealed partial class FakeModelverseApi
{
    /// <summary>When set, the key of each request comes back in its x-request-id, its errors' param and message, and stream error events.</summary>
    public bool EchoKey { get; set; }

    /// <summary>The bearer key a request carried, or null.</summary>
    private static string? EchoedKey(RecordedRequest request) =>
        request.Authorization is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
}
