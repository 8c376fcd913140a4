using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ModelverseImage.FakeApi;

// Request recording: what /images/* requests carried, and how many ran at once.
public sealed partial class FakeModelverseApi
{
    /// <summary>The largest mask part kept whole in <see cref="RecordedPart.Content"/> (the API takes masks under 4 MB).</summary>
    public const int MaxKeptMaskBytes = 4 << 20;

    /// <summary>Snapshot of the recorded /images/* requests, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Highest number of /images/* requests handled at once since start or <see cref="Reset"/>.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Number of /images/* requests being handled now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    private void UpdateMaxInFlight(int current)
    {
        var seen = Volatile.Read(ref _maxInFlight);
        while (current > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxInFlight, current, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private static async Task<(RecordedRequest Request, bool Malformed)> RecordAsync(HttpContext context, string requestId, CancellationToken ct)
    {
        var request = context.Request;
        var received = DateTimeOffset.UtcNow;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        string? json = null;
        var parts = new List<RecordedPart>();
        var malformed = false;
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType);
        var media = mediaType?.MediaType.Value ?? "";

        if (media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(mediaType!.Boundary).Value;
            try
            {
                if (string.IsNullOrEmpty(boundary))
                {
                    throw new InvalidDataException("multipart boundary missing");
                }

                await ReadPartsAsync(request.Body, boundary, parts, ct);
            }
            catch (InvalidDataException)
            {
                malformed = true;
            }
        }
        else if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                 media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            json = await reader.ReadToEndAsync(ct);
        }

        await DrainAsync(request.Body, ct);

        return (new RecordedRequest
        {
            RequestId = requestId,
            Method = request.Method,
            Path = request.Path.Value ?? "",
            Query = request.QueryString.Value ?? "",
            Authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
            ContentType = request.ContentType,
            Received = received,
            Headers = headers,
            JsonBody = json,
            Parts = parts,
        }, malformed);
    }

    private static async Task ReadPartsAsync(Stream body, string boundary, List<RecordedPart> parts, CancellationToken ct)
    {
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = null };
        var buffer = new byte[WriteChunkSize];
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
            var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value ?? "";
            string? fileName = null;
            if (disposition is not null && (disposition.FileNameStar.HasValue || disposition.FileName.HasValue))
            {
                fileName = disposition.FileNameStar.HasValue
                    ? disposition.FileNameStar.Value
                    : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            }

            var first = new List<byte>(16);
            var text = fileName is null ? new MemoryStream() : null;
            var content = fileName is not null && name == "mask" ? new MemoryStream() : null;
            long length = 0;
            int read;
            while ((read = await section.Body.ReadAsync(buffer, ct)) > 0)
            {
                for (var i = 0; i < read && first.Count < 16; i++)
                {
                    first.Add(buffer[i]);
                }

                text?.Write(buffer, 0, read);
                if (content is not null && content.Length + read <= MaxKeptMaskBytes) content.Write(buffer, 0, read);
                length += read;
            }

            parts.Add(new RecordedPart
            {
                Name = name,
                FileName = fileName,
                ContentDisposition = section.ContentDisposition,
                ContentType = section.ContentType,
                Length = length,
                FirstBytes = first.ToArray(),
                Text = text is null ? null : Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length),
                Content = content is not null && content.Length == length ? content.ToArray() : null,
            });
        }
    }

    private static async Task DrainAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (await body.ReadAsync(buffer, ct) > 0)
        {
        }
    }

    /// <summary>
    /// GET /_test/requests: the recorded /images/* requests as JSON, oldest first, for test code in another process
    /// (the Pester suite). With <c>?clear=1</c> they are forgotten in the same step. Loopback callers only.
    /// </summary>
    private Task ServeRecordedRequestsAsync(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return WriteErrorAsync(context, StatusCodes.Status404NotFound, "Unknown request URL.", "invalid_request_error", "unknown_url", null);
        }

        RecordedRequest[] requests;
        lock (_gate)
        {
            requests = _requests.ToArray();
            if (context.Request.Query["clear"] == "1")
            {
                _requests.Clear();
            }
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(requests.Select(r => new
        {
            r.RequestId,
            r.Method,
            r.Path,
            r.Query,
            r.ContentType,
            r.BodyLength,
            r.JsonBody,
            Fields = r.Parts.Where(p => p.FileName is null).GroupBy(p => p.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal),
            Parts = r.Parts.Select(p => new { p.Name, p.FileName, p.ContentDisposition, p.ContentType, p.Length, p.Content }),
        }));
        return WriteBytesAsync(context, StatusCodes.Status200OK, "application/json", json);
    }

}
