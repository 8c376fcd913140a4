namespace ModelverseImage.FakeApi;

// Answers to /images/*: images, errors, endless bodies.
public sealed partial class FakeModelverseApi
{
    // ================================================================ /images/*

    private async Task HandleImagesAsync(HttpContext context, bool isEdit)
    {
        UpdateMaxInFlight(Interlocked.Increment(ref _inFlight));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token, Ending);
        var ct = cancel.Token;
        try
        {
            var requestId = "req_" + Interlocked.Increment(ref _requestCounter).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["x-request-id"] = requestId;

            if (TakeOne(ref _bodyStalls))
            {
                lock (_gate)
                {
                    _requests.Add(new RecordedRequest
                    {
                        RequestId = requestId,
                        Method = context.Request.Method,
                        Path = context.Request.Path.Value ?? "",
                        Query = context.Request.QueryString.Value ?? "",
                        ContentType = context.Request.ContentType,
                        Received = DateTimeOffset.UtcNow,
                    });
                }
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return;
            }

            var (recorded, malformed) = await RecordAsync(context, requestId, ct);
            lock (_gate)
            {
                _requests.Add(recorded);
            }
            if (EchoKey && EchoedKey(recorded) is { } echoed)
            {
                // A hostile or careless server: the caller's key comes back as the request id, and so in error params and events.
                requestId = echoed;
                context.Response.Headers["x-request-id"] = echoed;
            }

            var delay = Delay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }

            if (!IsAuthorized(recorded))
            {
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized,
                    "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", requestId);
                return;
            }

            await AnswerAsync(context, recorded, requestId, isEdit, malformed, NextFault(), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            context.Abort(); // the client left or the server is stopping
        }
        catch (IOException)
        {
            context.Abort(); // the client went away while the body was read or written
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context, RecordedRequest request, string requestId, bool isEdit,
        bool malformed, Fault fault, CancellationToken ct)
    {
        if (await AnswerHostileAsync(context, request, requestId, isEdit, malformed, fault, ct))
        {
            return;
        }

        switch (fault.Kind)
        {
            case FaultKind.Slow:
                await Task.Delay(fault.Delay ?? DefaultSlowDelay, ct);
                break; // then answer normally

            case FaultKind.NoRequestId:
                context.Response.Headers.Remove("x-request-id");
                break; // then answer normally

            case FaultKind.NeverAnswer:
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return;

            case FaultKind.DropAfterBody:
                context.Abort(); // the body was read by RecordAsync; no headers go out
                return;

            case FaultKind.EndlessImage:
            case FaultKind.EndlessJson:
                await WriteEndlessAsync(context, fault.Kind, ct);
                return;

            case FaultKind.Redirect:
                {
                    var target = new Uri(fault.RedirectTo ?? RootUri, context.Request.Path.Value + context.Request.QueryString.Value);
                    context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                    context.Response.Headers.Location = target.AbsoluteUri;
                    context.Response.ContentLength = 0;
                    return;
                }

            case FaultKind.Html502:
                await WriteTextAsync(context, StatusCodes.Status502BadGateway, "text/html",
                    "<html><body><h1>502 Bad Gateway</h1></body></html>");
                return;

            case FaultKind.InvalidJson:
                await WriteTextAsync(context, StatusCodes.Status200OK, "application/json",
                    "<html>this is not JSON {\"created\": 1, \"data\": [");
                return;

            case FaultKind.ErrorIn200:
                await WriteErrorAsync(context, StatusCodes.Status200OK,
                    "Your request was rejected as a result of our safety system." + (EchoKey ? " Key: " + EchoedKey(request) : string.Empty), "invalid_request_error",
                    "content_policy_violation", requestId);
                return;
        }

        if (ErrorFor(fault) is { } error)
        {
            switch (fault.Kind)
            {
                case FaultKind.RetryAfterSeconds429:
                    context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    break;
                case FaultKind.RetryAfterDate429:
                    context.Response.Headers.RetryAfter =
                        DateTimeOffset.UtcNow.AddSeconds(fault.RetryAfterSeconds).ToString("r", CultureInfo.InvariantCulture);
                    break;
                case FaultKind.RetryAfterMs429:
                    context.Response.Headers["retry-after-ms"] = fault.RetryAfterMs.ToString(CultureInfo.InvariantCulture);
                    break;
            }

            await WriteErrorAsync(context, error.Status, error.Message, error.Type, error.Code, requestId);
            return;
        }

        // Everything left answers with images, so the request itself must be good.
        if (!TryParseImageRequest(request, isEdit, malformed, out var parsed, out var problem))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, problem.Message, "invalid_request_error",
                problem.Code, requestId);
            return;
        }

        if (fault.Kind != FaultKind.IgnoreStream && string.Equals(request.FieldValue("stream"), "true", StringComparison.OrdinalIgnoreCase))
        {
            await WriteStreamAsync(context, request, parsed, isEdit, fault, ct);
            return;
        }

        var body = BuildImagesBody(parsed, fault.Kind);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;

        switch (fault.Kind)
        {
            case FaultKind.ConnectionReset:
                await body.WriteAsync(context.Response.Body, Math.Min(body.Length / 2, PartialBodyLimit), ct);
                await context.Response.Body.FlushAsync(ct);
                context.Abort();
                return;

            case FaultKind.StallMidBody:
                await body.WriteAsync(context.Response.Body, Math.Min(body.Length / 2, PartialBodyLimit), ct);
                await context.Response.Body.FlushAsync(ct);
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return;

            case FaultKind.TruncatedBody:
                // Returning early with fewer bytes than Content-Length makes Kestrel end the connection.
                await body.WriteAsync(context.Response.Body, Math.Min(body.Length / 2, PartialBodyLimit), ct);
                await context.Response.Body.FlushAsync(ct);
                return;

            default:
                await body.WriteAsync(context.Response.Body, body.Length, ct);
                return;
        }
    }

    // ================================================================ writing answers

    private ResponseBody BuildImagesBody(ImageRequest parsed, FaultKind kind)
    {
        var image = AnswerImage(parsed);

        var inputTokens = Math.Max(1, (parsed.Prompt.Length + 3) / 4);
        var outputTokens = parsed.Count * (int)Math.Max(1, (long)parsed.Width * parsed.Height * 1056 / (1024 * 1024));
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var body = new ResponseBody();
        body.Append($"{{\"created\":{created},\"data\":[");
        var returned = Math.Min(parsed.Count, MaxImagesReturned ?? parsed.Count);
        for (var i = 0; i < returned; i++)
        {
            if (i > 0)
            {
                body.Append(",");
            }

            switch (kind)
            {
                case FaultKind.Url:
                    var fileName = $"img_{Interlocked.Increment(ref _fileCounter)}.{image.Extension}";
                    _files[fileName] = image;
                    body.Append($"{{\"url\":\"{new Uri(RootUri, "files/" + fileName).AbsoluteUri}\"}}");
                    continue;
                case FaultKind.InvalidBase64 when i == 0:
                    body.Append("{\"b64_json\":\"@@@@not*base64@@@@\"}");
                    continue;
                case FaultKind.NotAnImage when i == 0:
                    body.Append("{\"b64_json\":\"" + Convert.ToBase64String("<html><body>Not an image, but valid base64.</body></html>"u8) + "\"}");
                    continue;
                case FaultKind.DataUri:
                    body.Append($"{{\"b64_json\":\"data:{image.MediaType};base64,");
                    break;
                default:
                    body.Append("{\"b64_json\":\"");
                    break;
            }

            body.AppendBase64(image, escape: kind == FaultKind.EscapedBase64);
            body.Append("\"}");
        }

        body.Append(string.Create(CultureInfo.InvariantCulture,
            $"],\"size\":\"{parsed.Width}x{parsed.Height}\",\"quality\":\"{parsed.Quality}\",\"background\":\"{parsed.Background}\",\"output_format\":\"{FormatName(parsed.Format)}\"") +
            string.Create(CultureInfo.InvariantCulture,
            $",\"usage\":{{\"total_tokens\":{inputTokens + outputTokens},\"input_tokens\":{inputTokens},\"output_tokens\":{outputTokens},\"input_tokens_details\":{{\"text_tokens\":{inputTokens},\"image_tokens\":0}},\"output_tokens_details\":{{\"text_tokens\":0,\"image_tokens\":{outputTokens}}}}}}}"));
        return body;
    }

    /// <summary>
    /// A 200 answer that never ends: a PNG signature then endless base64 inside b64_json (EndlessImage), or an endless
    /// string outside any image (EndlessJson). Stops when the client closes the connection, and then counts in
    /// <see cref="EndlessAnswersEnded"/>: a client that kept reading (or left the connection open) never ends it.
    /// </summary>
    private async Task WriteEndlessAsync(HttpContext context, FaultKind kind, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var start = kind == FaultKind.EndlessImage
            ? "{\"created\":1,\"data\":[{\"b64_json\":\"" + Convert.ToBase64String(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 })
            : "{\"created\":1,\"note\":\"";
        var chunk = new byte[WriteChunkSize];
        Array.Fill(chunk, kind == FaultKind.EndlessImage ? (byte)'A' : (byte)'x');
        try
        {
            await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(start), ct);
            while (true)
            {
                // Kestrel completes writes to a closed connection without an error; the abort token comes a moment later.
                ct.ThrowIfCancellationRequested();
                await context.Response.Body.WriteAsync(chunk, ct);
                await Task.Yield();
            }
        }
        finally
        {
            Interlocked.Increment(ref _endlessEnded);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string type, string code, string? param)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            json.WriteString("param", param);
            json.WriteString("code", code);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return WriteBytesAsync(context, status, "application/json", buffer.ToArray());
    }

    private static Task WriteTextAsync(HttpContext context, int status, string contentType, string text) =>
        WriteBytesAsync(context, status, contentType, Encoding.UTF8.GetBytes(text));

    private static Task WriteBytesAsync(HttpContext context, int status, string contentType, byte[] bytes)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
