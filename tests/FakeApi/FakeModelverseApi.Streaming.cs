namespace ModelverseImage.FakeApi;

/// <summary>Streamed answers (stream=true): server-sent events as OpenAI's images API sends them.</summary>
public sealed partial class FakeModelverseApi
{
    /// <summary>
    /// Answers a request with <c>stream: true</c> as <c>text/event-stream</c>: a keep-alive comment, then
    /// <c>partial_images</c> events <c>image_generation.partial_image</c> (<c>image_edit.partial_image</c> for edits),
    /// then one <c>*.completed</c> event per image with the usage. Faults: <see cref="FaultKind.StreamErrorEvent"/>,
    /// <see cref="FaultKind.StreamCut"/>, <see cref="FaultKind.StreamStall"/>, <see cref="FaultKind.SlowStream"/>.
    /// </summary>
    private async Task WriteStreamAsync(HttpContext context, RecordedRequest request, ImageRequest parsed, bool isEdit, Fault fault, CancellationToken ct)
    {
        var prefix = isEdit ? "image_edit" : "image_generation";
        var partials = 0;
        if (request.FieldValue("partial_images") is { } asked && (!int.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out partials) || partials > 3))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"Invalid value for 'partial_images': {asked}. Expected an integer from 0 to 3.",
                "invalid_request_error", "invalid_value", context.Response.Headers["x-request-id"].ToString());
            return;
        }

        var image = AnswerImage(parsed);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var settings = string.Create(CultureInfo.InvariantCulture,
            $",\"size\":\"{parsed.Width}x{parsed.Height}\",\"quality\":\"{parsed.Quality}\",\"background\":\"{parsed.Background}\",\"output_format\":\"{FormatName(parsed.Format)}\",\"created_at\":{created}");
        var returned = Math.Min(parsed.Count, MaxImagesReturned ?? parsed.Count);
        if (fault.Kind == FaultKind.StreamExtraEvents)
        {
            // A server that streams more than was asked: 300 partial images and two final images beyond n.
            partials = 300;
            returned = parsed.Count + 2;
        }
        var inputTokens = Math.Max(1, (parsed.Prompt.Length + 3) / 4);
        var outputTokens = returned * (int)Math.Max(1, (long)parsed.Width * parsed.Height * 1056 / (1024 * 1024));
        var usage = string.Create(CultureInfo.InvariantCulture,
            $",\"usage\":{{\"total_tokens\":{inputTokens + outputTokens},\"input_tokens\":{inputTokens},\"output_tokens\":{outputTokens},\"input_tokens_details\":{{\"text_tokens\":{inputTokens},\"image_tokens\":0}},\"output_tokens_details\":{{\"text_tokens\":0,\"image_tokens\":{outputTokens}}}}}");

        var events = new List<ResponseBody>();
        for (var p = 0; p < partials; p++)
        {
            events.Add(ImageEvent(prefix + ".partial_image", image, string.Create(CultureInfo.InvariantCulture, $",\"partial_image_index\":{p}") + settings));
        }

        if (fault.Kind == FaultKind.StreamErrorEvent)
        {
            events.RemoveRange(Math.Min(1, events.Count), events.Count - Math.Min(1, events.Count));
            var error = new ResponseBody();
            error.Append("event: error\ndata: " + ErrorEventJson(context.Response.Headers["x-request-id"].ToString()) + "\n\n");
            events.Add(error);
        }
        else
        {
            for (var i = 0; i < returned; i++)
            {
                events.Add(ImageEvent(prefix + ".completed", image, settings + usage));
            }
        }

        var firstFinal = partials; // the index of the first completed event
        if (fault.Kind is FaultKind.StreamErrorAfterFirstImage or FaultKind.StreamCutAfterFirstImage && events.Count > firstFinal + 1)
        {
            events.RemoveRange(firstFinal + 1, events.Count - firstFinal - 1);
            if (fault.Kind == FaultKind.StreamErrorAfterFirstImage)
            {
                var error = new ResponseBody();
                error.Append("event: error\ndata: " + ErrorEventJson(context.Response.Headers["x-request-id"].ToString()) + "\n\n");
                events.Add(error);
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var body = context.Response.Body;
        await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), ct);
        await body.FlushAsync(ct);
        for (var e = 0; e < events.Count; e++)
        {
            if (fault.Kind == FaultKind.SlowStream)
            {
                await Task.Delay(fault.Delay ?? DefaultSlowDelay, ct);
            }

            if (e == 1 && fault.Kind == FaultKind.StreamCut)
            {
                await events[e].WriteAsync(body, events[e].Length / 2, ct);
                await body.FlushAsync(ct);
                // An abort is a TCP reset, which drops what the client has not read yet: give it time to read the first event.
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                context.Abort();
                return;
            }

            if (e == 1 && fault.Kind == FaultKind.StreamStall)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return;
            }

            if (e == 1 && fault.Kind is FaultKind.StreamTrickle or FaultKind.StreamKeepAliveOnly)
            {
                await TrickleAsync(body, events[e], fault.Kind == FaultKind.StreamTrickle, ct);
                return;
            }

            await events[e].WriteAsync(body, events[e].Length, ct);
            await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), ct);
            await body.FlushAsync(ct);
        }

        if (fault.Kind == FaultKind.StreamCutAfterFirstImage)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            context.Abort();
        }
    }

    /// <summary>Bytes that never make an event: one byte of <paramref name="next"/> at a time, or keep-alive comments, every 200 ms until the client leaves.</summary>
    private static async Task TrickleAsync(Stream body, ResponseBody next, bool insideAnEvent, CancellationToken ct)
    {
        var bytes = new MemoryStream();
        await next.WriteAsync(bytes, next.Length, ct);
        var data = bytes.ToArray();
        for (var i = 0; ; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            // The event's start, then base64 letters inside its image: the event never ends.
            if (insideAnEvent) await body.WriteAsync(new[] { i < 100 ? data[i] : (byte)'A' }, ct);
            else await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), ct);
            await body.FlushAsync(ct);
        }
    }

    private static ResponseBody ImageEvent(string type, EncodedImage image, string rest)
    {
        var body = new ResponseBody();
        body.Append($"event: {type}\ndata: {{\"type\":\"{type}\",\"b64_json\":\"");
        body.AppendBase64(image, escape: false);
        body.Append("\"" + rest + "}\n\n");
        return body;
    }

    private static string ErrorEventJson(string requestId)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "error");
            json.WriteStartObject("error");
            json.WriteString("message", "Your request was rejected by the safety system while the image was being generated.");
            json.WriteString("type", "image_generation_user_error");
            json.WriteString("code", "moderation_blocked");
            json.WriteString("param", requestId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
