namespace ModelverseImage.FakeApi;

/// <summary>What the stand-in does with one /images/* request instead of (or before) a normal answer.</summary>
public enum FaultKind
{
    /// <summary>Answer normally.</summary>
    None,
    /// <summary>429 with <c>Retry-After: &lt;Fault.RetryAfterSeconds&gt;</c>.</summary>
    RetryAfterSeconds429,
    /// <summary>429 with <c>Retry-After: &lt;HTTP date now + Fault.RetryAfterSeconds&gt;</c>.</summary>
    RetryAfterDate429,
    /// <summary>429 with <c>retry-after-ms: &lt;Fault.RetryAfterMs&gt;</c> only.</summary>
    RetryAfterMs429,
    /// <summary>429 with code <c>insufficient_quota</c> and no retry hint.</summary>
    InsufficientQuota429,
    Status400,
    Status401,
    Status403,
    Status404,
    Status408,
    Status409,
    Status422,
    Status500,
    /// <summary>502 with an HTML body, as a proxy in front of the API would send.</summary>
    Html502,
    Status503,
    /// <summary>Send headers (200, application/json) and part of the body, then abort the connection.</summary>
    ConnectionReset,
    /// <summary>Content-Length says N but only part of the body is sent before the response ends.</summary>
    TruncatedBody,
    /// <summary>200 with a body that is not JSON.</summary>
    InvalidJson,
    /// <summary>200 with <c>data[0].b64_json</c> holding characters that are not base64.</summary>
    InvalidBase64,
    /// <summary>200 with an OpenAI error object instead of data.</summary>
    ErrorIn200,
    /// <summary><c>b64_json</c> prefixed with a <c>data:image/...;base64,</c> header.</summary>
    DataUri,
    /// <summary><c>data[i].url</c> pointing at <c>GET /files/{id}.png</c> on this server, no <c>b64_json</c>.</summary>
    Url,
    /// <summary><c>b64_json</c> written with JSON escapes: every '+' as <c>\u002B</c>, every '/' as <c>\/</c>.</summary>
    EscapedBase64,
    /// <summary>Answer normally, but without an <c>x-request-id</c> header (a gateway that sends none).</summary>
    NoRequestId,
    /// <summary>Wait <see cref="Fault.Delay"/> (default 30 s), then answer normally.</summary>
    Slow,
    /// <summary>Never answer until the client disconnects or the server is disposed.</summary>
    NeverAnswer,
    /// <summary>307 to <see cref="Fault.RedirectTo"/> (default: this server's root), keeping the path and query.</summary>
    Redirect,
    /// <summary>Send headers (200) and part of the body, then send nothing more until the client leaves.</summary>
    StallMidBody,
    /// <summary>Read the whole request, then abort the connection without sending any headers.</summary>
    DropAfterBody,
    /// <summary>200 with <c>b64_json</c> holding valid base64 of bytes that are not an image.</summary>
    NotAnImage,
    /// <summary>200 with a <c>b64_json</c> that starts as a PNG and never ends (streams until the client leaves).</summary>
    EndlessImage,
    /// <summary>200 with a JSON string outside any image that never ends (streams until the client leaves).</summary>
    EndlessJson,
    /// <summary>A streamed request (stream=true): the first partial image event, then an <c>error</c> event, and the stream ends.</summary>
    StreamErrorEvent,
    /// <summary>A streamed request: the first event whole, then half of the next, then the connection is aborted.</summary>
    StreamCut,
    /// <summary>A streamed request: the first event whole, then nothing more until the client leaves.</summary>
    StreamStall,
    /// <summary>A streamed request: the partial images and the first final image, then an <c>error</c> event (issue #20 item 1).</summary>
    StreamErrorAfterFirstImage,
    /// <summary>A streamed request: the partial images and the first final image, then the connection is aborted.</summary>
    StreamCutAfterFirstImage,
    /// <summary>A streamed request: the first event, then the next one a byte every 200 ms, never ending (issue #20 item 15).</summary>
    StreamTrickle,
    /// <summary>A streamed request: the first event, then only keep-alive comments every 200 ms, never an event.</summary>
    StreamKeepAliveOnly,
    /// <summary>A streamed request answered with 300 partial images and two final images more than n (issue #20 item 14).</summary>
    StreamExtraEvents,
    /// <summary>A streamed request answered normally, with <see cref="Fault.Delay"/> (default 30 s) before every event.</summary>
    SlowStream,
    /// <summary>A streamed request answered as if <c>stream</c> were not sent: one JSON body, as a server that ignores it would.</summary>
    IgnoreStream,
    /// <summary>200 with one image per n whose <c>revised_prompt</c> holds a byte that is not UTF-8 (0xFF).</summary>
    InvalidUtf8RevisedPrompt,
    /// <summary>429 whose error message holds a byte that is not UTF-8 (0xFF).</summary>
    InvalidUtf8Error429,
    /// <summary>503 whose error message holds a byte that is not UTF-8 (0xFF).</summary>
    InvalidUtf8Error503,
    /// <summary>400 whose error message holds a byte that is not UTF-8 (0xFF).</summary>
    InvalidUtf8Error400,
    /// <summary>200 with <see cref="Fault.ExtraImages"/> (default 2) more images than n asked for.</summary>
    ExtraImages,
    /// <summary>200 JSON without Content-Length or chunking (ended by closing the connection), closed in the middle of the JSON.</summary>
    CloseDelimitedCut,
    /// <summary>
    /// Like <see cref="Url"/>, but the URLs name another host than the API's: <c>localhost</c> instead of
    /// <c>127.0.0.1</c> (the same server, loopback only).
    /// </summary>
    UrlOnOtherHost,
    /// <summary>Like <see cref="Url"/>, with <see cref="Fault.ExtraImages"/> (default 2) more URLs than n asked for.</summary>
    ExtraUrlImages,
}

/// <summary>A scripted fault for one request. See <see cref="FakeModelverseApi.Enqueue"/>.</summary>
public sealed record Fault(FaultKind Kind)
{
    /// <summary>How long <see cref="FaultKind.Slow"/> waits; default 30 s.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Seconds for <see cref="FaultKind.RetryAfterSeconds429"/> and <see cref="FaultKind.RetryAfterDate429"/>.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Milliseconds for <see cref="FaultKind.RetryAfterMs429"/>.</summary>
    public int RetryAfterMs { get; init; } = 200;

    /// <summary>Absolute target of <see cref="FaultKind.Redirect"/>; only its scheme, host and port are used.</summary>
    public Uri? RedirectTo { get; init; }

    /// <summary>How many images beyond n <see cref="FaultKind.ExtraImages"/> adds.</summary>
    public int ExtraImages { get; init; } = 2;

    /// <summary>The port the URLs of <see cref="FaultKind.UrlOnOtherHost"/> name; default this server's (a closed one makes the download fail).</summary>
    public int? UrlPort { get; init; }

    public static implicit operator Fault(FaultKind kind) => new(kind);
}

/// <summary>One request the stand-in received on /v1/images/*.</summary>
public sealed class RecordedRequest
{
    /// <summary>The <c>x-request-id</c> the answer carried, e.g. <c>req_3</c>.</summary>
    public string RequestId { get; init; } = "";
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";

    /// <summary>The query string with its '?', or empty.</summary>
    public string Query { get; init; } = "";
    public string? Authorization { get; init; }
    public string? ContentType { get; init; }
    public DateTimeOffset Received { get; init; }

    /// <summary>All request headers, case-insensitive names; repeated values comma-joined.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Raw body text when the request was JSON.</summary>
    public string? JsonBody { get; init; }

    /// <summary>Multipart parts in the order they were sent; empty when not multipart.</summary>
    public IReadOnlyList<RecordedPart> Parts { get; init; } = [];

    /// <summary>Total bytes of the request body.</summary>
    public long BodyLength { get; init; }

    /// <summary>
    /// A JSON property (string value for strings, raw JSON text for anything else) or, for multipart,
    /// the text of the first non-file part with that name. Null when absent.
    /// </summary>
    public string? FieldValue(string name)
    {
        if (JsonBody is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(JsonBody);
                if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                    doc.RootElement.TryGetProperty(name, out var value))
                {
                    return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to the multipart fields (there are none).
            }
        }

        foreach (var part in Parts)
        {
            if (part.FileName is null && string.Equals(part.Name, name, StringComparison.Ordinal))
            {
                return part.Text;
            }
        }

        return null;
    }

    /// <summary>The parts with this name (e.g. <c>image[]</c> sent several times).</summary>
    public IEnumerable<RecordedPart> PartsNamed(string name) =>
        Parts.Where(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    public override string ToString() => $"{Method} {Path} ({RequestId})";
}

/// <summary>One part of a multipart/form-data request.</summary>
public sealed class RecordedPart
{
    public string Name { get; init; } = "";
    public string? FileName { get; init; }

    /// <summary>The part's Content-Disposition header as it was sent.</summary>
    public string? ContentDisposition { get; init; }
    public string? ContentType { get; init; }
    public long Length { get; init; }

    /// <summary>Up to the first 16 bytes of the part's content.</summary>
    public byte[] FirstBytes { get; init; } = [];

    /// <summary>
    /// The whole content of a <c>mask</c> file part, up to <see cref="FakeModelverseApi.MaxKeptMaskBytes"/> (masks are
    /// small), so tests can read the mask that was sent; null for other parts and larger masks.
    /// </summary>
    public byte[]? Content { get; init; }

    /// <summary>The UTF-8 text of a non-file part (one without a filename); null for files.</summary>
    public string? Text { get; init; }

    public override string ToString() =>
        FileName is null ? $"{Name}={Text}" : $"{Name}: {FileName} ({ContentType}, {Length} bytes)";
}
