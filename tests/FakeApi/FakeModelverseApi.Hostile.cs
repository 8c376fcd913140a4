namespace ModelverseImage.FakeApi;

// Hostile answers (issue #20): bytes that are not UTF-8 in text fields, more images than asked for, a close-delimited
// body cut short, url answers on another host, and downloads cut mid-body.
public sealed partial class FakeModelverseApi
{
    private static readonly byte[] NotUtf8 = [0xFF];
    private int _fileResets;

    /// <summary>The next this-many GET /files/... requests (after any <see cref="FileFailures"/>) send half the file, then abort the connection.</summary>
    public int FileResets
    {
        get => Math.Max(0, Volatile.Read(ref _fileResets));
        set => Volatile.Write(ref _fileResets, value);
    }

    /// <summary>Whether this download is to be cut mid-body (<see cref="FileResets"/>); if so, sends half of it and aborts.</summary>
    private async Task<bool> ResetFileAsync(HttpContext context, EncodedImage image)
    {
        if (!TakeOne(ref _fileResets))
        {
            return false;
        }

        context.Response.ContentType = image.MediaType;
        context.Response.ContentLength = image.Bytes.Length;
        await context.Response.Body.WriteAsync(image.Bytes.AsMemory(0, image.Bytes.Length / 2), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
        return true;
    }

    /// <summary>Answers the hostile faults of this file; false for any other fault.</summary>
    private async Task<bool> AnswerHostileAsync(HttpContext context, RecordedRequest request, string requestId, bool isEdit,
        bool malformed, Fault fault, CancellationToken ct)
    {
        switch (fault.Kind)
        {
            case FaultKind.InvalidUtf8Error429:
                await WriteNotUtf8ErrorAsync(context, 429, "rate_limit_exceeded", requestId, ct);
                return true;
            case FaultKind.InvalidUtf8Error503:
                await WriteNotUtf8ErrorAsync(context, 503, "service_unavailable", requestId, ct);
                return true;
            case FaultKind.InvalidUtf8Error400:
                await WriteNotUtf8ErrorAsync(context, 400, "invalid_value", requestId, ct);
                return true;
            case FaultKind.InvalidUtf8RevisedPrompt:
            case FaultKind.ExtraImages:
            case FaultKind.CloseDelimitedCut:
            case FaultKind.UrlOnOtherHost:
            case FaultKind.ExtraUrlImages:
                break;
            default:
                return false;
        }

        if (!TryParseImageRequest(request, isEdit, malformed, out var parsed, out var problem))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, problem.Message, "invalid_request_error", problem.Code, requestId);
            return true;
        }

        var body = HostileImagesBody(parsed, fault);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        if (fault.Kind == FaultKind.CloseDelimitedCut)
        {
            // A Transfer-Encoding that is not chunked makes Kestrel send no length and end the body by closing the connection.
            context.Response.Headers.TransferEncoding = "identity";
            // Returning early ends the body as a close-delimited body ends: the connection closes cleanly, mid-JSON.
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), ct);
            return true;
        }

        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, ct);
        return true;
    }

    private byte[] HostileImagesBody(ImageRequest parsed, Fault fault)
    {
        var image = ImageEncoder.Get(parsed.Width, parsed.Height, parsed.Format, IncompressibleImages);
        var count = fault.Kind is FaultKind.ExtraImages or FaultKind.ExtraUrlImages ? parsed.Count + fault.ExtraImages : parsed.Count;
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        Write("{\"created\":" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ",\"data\":[");
        for (var i = 0; i < count; i++)
        {
            Write(i > 0 ? ",{" : "{");
            if (fault.Kind is FaultKind.UrlOnOtherHost or FaultKind.ExtraUrlImages)
            {
                var fileName = $"img_{Interlocked.Increment(ref _fileCounter)}.{image.Extension}";
                _files[fileName] = image;
                var root = fault.Kind == FaultKind.ExtraUrlImages ? RootUri.AbsoluteUri
                    : "http://localhost:" + (fault.UrlPort ?? RootUri.Port).ToString(CultureInfo.InvariantCulture) + "/";
                Write($"\"url\":\"{root}files/{fileName}\"}}");
                continue;
            }

            Write("\"revised_prompt\":\"image " + i.ToString(CultureInfo.InvariantCulture) + " ");
            if (fault.Kind == FaultKind.InvalidUtf8RevisedPrompt)
            {
                body.Write(NotUtf8);
            }

            Write("\",\"b64_json\":\"");
            body.Write(image.Base64);
            Write("\"}");
        }

        Write($"],\"size\":\"{parsed.Width}x{parsed.Height}\",\"output_format\":\"{FormatName(parsed.Format)}\",\"usage\":{{\"total_tokens\":2,\"input_tokens\":1,\"output_tokens\":1}}}}");
        return body.ToArray();
    }

    private static Task WriteNotUtf8ErrorAsync(HttpContext context, int status, string code, string requestId, CancellationToken ct)
    {
        if (status == 429)
        {
            context.Response.Headers.RetryAfter = "0";
        }

        using var body = new MemoryStream();
        body.Write("{\"error\":{\"message\":\"Bad byte "u8);
        body.Write(NotUtf8);
        body.Write(Encoding.UTF8.GetBytes($" in the message.\",\"type\":\"server_error\",\"param\":\"{requestId}\",\"code\":\"{code}\"}}}}"));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body.ToArray(), ct).AsTask();
    }
}
