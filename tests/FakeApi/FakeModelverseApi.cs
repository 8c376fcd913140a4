using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ModelverseImage.FakeApi;

/// <summary>
/// A local stand-in for the Modelverse image API (OpenAI-compatible) on 127.0.0.1, with scripted and random faults,
/// request recording and an in-flight counter. Start with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
public sealed partial class FakeModelverseApi : IAsyncDisposable
{
    private const int MaxImagesPerRequest = 10;
    private const int WriteChunkSize = 64 * 1024;
    private const int EscapeChunkSize = 16 * 1024;
    private const int PartialBodyLimit = 32 * 1024;
    private static readonly TimeSpan DefaultSlowDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private readonly Queue<Fault> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly ConcurrentDictionary<string, EncodedImage> _files = new(StringComparer.Ordinal);
    private int _fileFailures;
    private int _fileStalls;
    private int _fileRequests;
    private int _bodyStalls;
    private long _fileDelayTicks;
    private int _endlessEnded;

    /// <summary>When set, answers hold at most this many images, whatever n asked for (an API that returns fewer).</summary>
    public int? MaxImagesReturned { get; set; }

    /// <summary>The next this-many GET /files/... requests (downloads of <see cref="FaultKind.Url"/> answers) get 503.</summary>
    public int FileFailures
    {
        get => Math.Max(0, Volatile.Read(ref _fileFailures));
        set => Volatile.Write(ref _fileFailures, value);
    }

    /// <summary>The next this-many GET /files/... requests (after any <see cref="FileFailures"/>) never answer until the client leaves.</summary>
    public int FileStalls
    {
        get => Math.Max(0, Volatile.Read(ref _fileStalls));
        set => Volatile.Write(ref _fileStalls, value);
    }

    /// <summary>How long every GET /files/... request is held before it is answered.</summary>
    public TimeSpan FileDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _fileDelayTicks));
        set => Interlocked.Exchange(ref _fileDelayTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>GET /files/... requests received since start or <see cref="Reset"/>.</summary>
    public int FileRequests => Volatile.Read(ref _fileRequests);

    /// <summary>
    /// The next this-many /images/* requests are recorded (without body) but their body is never read and they are
    /// never answered: the client blocks while sending a body larger than the socket and server buffers.
    /// </summary>
    public int BodyStalls
    {
        get => Math.Max(0, Volatile.Read(ref _bodyStalls));
        set => Volatile.Write(ref _bodyStalls, value);
    }

    /// <summary><see cref="FaultKind.EndlessImage"/> and <see cref="FaultKind.EndlessJson"/> answers that ended because the client closed the connection.</summary>
    public int EndlessAnswersEnded => Volatile.Read(ref _endlessEnded);
    private Random _faultRandom;
    private int _faultSeed = 1;
    private long _delayTicks;
    private double _faultRate;
    private volatile string? _expectedApiKey;
    private volatile bool _incompressibleImages;
    private int _inFlight;
    private int _maxInFlight;
    private int _requestCounter;
    private int _fileCounter;
    private int _disposed;

    private FakeModelverseApi(int port)
    {
        _faultRandom = new Random(_faultSeed);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear(); // no appsettings.json / ASPNETCORE_URLS from the host process
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, SilentLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = StopTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });

        _app = builder.Build();
        _app.MapPost("/v1/images/generations", context => HandleImagesAsync(context, isEdit: false));
        _app.MapPost("/v1/images/edits", context => HandleImagesAsync(context, isEdit: true));
        _app.MapGet("/v1/health", context => WriteTextAsync(context, StatusCodes.Status200OK, "text/plain", "ok"));
        _app.MapGet("/files/{name}", ServeFileAsync);
        _app.MapFallback(context => WriteErrorAsync(context, StatusCodes.Status404NotFound,
            $"Unknown request URL: {context.Request.Method} {context.Request.Path}.", "invalid_request_error", "unknown_url", null));
    }

    /// <summary>Starts a stand-in on 127.0.0.1; port 0 picks a free port.</summary>
    public static async Task<FakeModelverseApi> StartAsync(int port = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        var api = new FakeModelverseApi(port);
        try
        {
            await api._app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await api._app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address).Port;
        api.RootUri = new Uri($"http://127.0.0.1:{bound}/");
        api.BaseUri = new Uri($"http://127.0.0.1:{bound}/v1");
        return api;
    }

    /// <summary>The API base, e.g. <c>http://127.0.0.1:41234/v1</c> (no trailing slash).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri RootUri { get; private set; } = null!;

    /// <summary>When set, /images/* requests without <c>Authorization: Bearer &lt;key&gt;</c> get 401.</summary>
    public string? ExpectedApiKey
    {
        get => _expectedApiKey;
        set => _expectedApiKey = value;
    }

    /// <summary>How long each /images/* request is held before it is answered (ends early if the client leaves).</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>PNGs of seeded random pixels (and bigger JPEG/WebP filler) instead of a smooth gradient.</summary>
    public bool IncompressibleImages
    {
        get => _incompressibleImages;
        set => _incompressibleImages = value;
    }

    /// <summary>
    /// 0..1: chance that an unscripted request gets a random transient fault (500, 503, 429 Retry-After: 0, a proxy's
    /// HTML 502): all of them failures a client may retry without paying twice.
    /// </summary>
    public double FaultRate
    {
        get => Volatile.Read(ref _faultRate);
        set => Volatile.Write(ref _faultRate, Math.Clamp(value, 0, 1));
    }

    /// <summary>Seed of the random source behind <see cref="FaultRate"/>; setting it restarts the sequence.</summary>
    public int FaultSeed
    {
        get
        {
            lock (_gate)
            {
                return _faultSeed;
            }
        }
        set
        {
            lock (_gate)
            {
                _faultSeed = value;
                _faultRandom = new Random(value);
            }
        }
    }

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

    /// <summary>Scripted faults for the next /images/* requests, one per request, in order.</summary>
    public void Enqueue(params Fault[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                _script.Enqueue(fault ?? throw new ArgumentException("A fault is null.", nameof(faults)));
            }
        }
    }

    /// <summary>
    /// Clears recorded requests, scripted faults, served files and counters; Delay = 0, FaultRate = 0,
    /// ExpectedApiKey = null. The fault random source restarts from <see cref="FaultSeed"/>.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _script.Clear();
            _faultRandom = new Random(_faultSeed);
        }

        _files.Clear();
        FileFailures = 0;
        FileStalls = 0;
        FileDelay = TimeSpan.Zero;
        BodyStalls = 0;
        Interlocked.Exchange(ref _fileRequests, 0);
        Interlocked.Exchange(ref _endlessEnded, 0);
        Interlocked.Exchange(ref _requestCounter, 0);
        Interlocked.Exchange(ref _fileCounter, 0);
        Interlocked.Exchange(ref _maxInFlight, InFlight);
        Delay = TimeSpan.Zero;
        FaultRate = 0;
        ExpectedApiKey = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel(); // ends Delay, Slow and NeverAnswer waits at once
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Connections that did not close in time were aborted.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // ================================================================ /images/*

    private async Task HandleImagesAsync(HttpContext context, bool isEdit)
    {
        UpdateMaxInFlight(Interlocked.Increment(ref _inFlight));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
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
                        RequestId = requestId, Method = context.Request.Method, Path = context.Request.Path.Value ?? "",
                        Query = context.Request.QueryString.Value ?? "", ContentType = context.Request.ContentType, Received = DateTimeOffset.UtcNow,
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

    /// <summary>Takes one from a "next N requests" counter; false (and the counter back at 0) when none is left.</summary>
    private static bool TakeOne(ref int counter)
    {
        if (Interlocked.Decrement(ref counter) >= 0)
        {
            return true;
        }

        Interlocked.Exchange(ref counter, 0);
        return false;
    }

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

    private bool IsAuthorized(RecordedRequest request)
    {
        var key = ExpectedApiKey;
        return key is null || string.Equals(request.Authorization, "Bearer " + key, StringComparison.Ordinal);
    }

    private Fault NextFault()
    {
        lock (_gate)
        {
            if (_script.TryDequeue(out var scripted))
            {
                return scripted;
            }

            var rate = FaultRate;
            if (rate <= 0 || _faultRandom.NextDouble() >= rate)
            {
                return new Fault(FaultKind.None);
            }

            return _faultRandom.Next(4) switch
            {
                0 => new Fault(FaultKind.Status500),
                1 => new Fault(FaultKind.Status503),
                2 => new Fault(FaultKind.RetryAfterSeconds429) { RetryAfterSeconds = 0 },
                _ => new Fault(FaultKind.Html502),
            };
        }
    }

    private async Task AnswerAsync(HttpContext context, RecordedRequest request, string requestId, bool isEdit,
        bool malformed, Fault fault, CancellationToken ct)
    {
        switch (fault.Kind)
        {
            case FaultKind.Slow:
                await Task.Delay(fault.Delay ?? DefaultSlowDelay, ct);
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
                    "Your request was rejected as a result of our safety system.", "invalid_request_error",
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

    private readonly record struct ErrorSpec(int Status, string Message, string Type, string Code);

    private static ErrorSpec? ErrorFor(Fault fault) => fault.Kind switch
    {
        FaultKind.RetryAfterSeconds429 or FaultKind.RetryAfterDate429 or FaultKind.RetryAfterMs429 =>
            new(429, "Rate limit reached for images per minute. Please try again later.", "requests", "rate_limit_exceeded"),
        FaultKind.InsufficientQuota429 =>
            new(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"),
        FaultKind.Status400 => new(400, "Invalid request: the parameters could not be processed.", "invalid_request_error", "invalid_value"),
        FaultKind.Status401 => new(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
        FaultKind.Status403 => new(403, "You are not allowed to use this model.", "invalid_request_error", "permission_denied"),
        FaultKind.Status404 => new(404, "The model does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"),
        FaultKind.Status408 => new(408, "The request timed out.", "invalid_request_error", "request_timeout"),
        FaultKind.Status409 => new(409, "The request conflicts with another request in progress.", "invalid_request_error", "conflict"),
        FaultKind.Status422 => new(422, "The request could not be processed.", "invalid_request_error", "unprocessable_entity"),
        FaultKind.Status500 => new(500, "The server had an error while processing your request.", "server_error", "internal_error"),
        FaultKind.Status503 => new(503, "The engine is currently overloaded, please try again later.", "server_error", "service_unavailable"),
        _ => null,
    };

    // ================================================================ reading and checking requests

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
            long length = 0;
            int read;
            while ((read = await section.Body.ReadAsync(buffer, ct)) > 0)
            {
                for (var i = 0; i < read && first.Count < 16; i++)
                {
                    first.Add(buffer[i]);
                }

                text?.Write(buffer, 0, read);
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

    private readonly record struct ImageRequest(int Count, int Width, int Height, ImageFormat Format, string Prompt, string Quality, string Background);

    private readonly record struct RequestProblem(string Message, string Code);

    /// <summary>Reads n, size, output_format and prompt; false with the reason when the request cannot be answered.</summary>
    private static bool TryParseImageRequest(RecordedRequest request, bool isEdit, bool malformed,
        out ImageRequest parsed, out RequestProblem problem)
    {
        parsed = default;
        problem = default;

        if (isEdit)
        {
            if (malformed || request.Parts.Count == 0)
            {
                problem = new("The request body must be multipart/form-data with an image and a prompt.", "invalid_request_body");
                return false;
            }

            if (!request.Parts.Any(p => p.Name is "image" or "image[]"))
            {
                problem = new("Missing required parameter: 'image'.", "missing_required_parameter");
                return false;
            }
        }
        else
        {
            if (request.JsonBody is null || !IsJsonObject(request.JsonBody))
            {
                problem = new("We could not parse the JSON body of your request. The request body must be a JSON object.", "invalid_json");
                return false;
            }
        }

        var count = 1;
        if (request.FieldValue("n") is { } nText &&
            (!int.TryParse(nText, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxImagesPerRequest))
        {
            problem = new($"Invalid value for 'n': {nText}. Expected an integer from 1 to {MaxImagesPerRequest}.", "invalid_value");
            return false;
        }

        int width = 1024, height = 1024;
        var size = request.FieldValue("size");
        if (size is not null && !size.Equals("auto", StringComparison.OrdinalIgnoreCase) && !TryParseSize(size, out width, out height))
        {
            problem = new($"Invalid value for 'size': '{size}'. Expected 'auto' or WIDTHxHEIGHT.", "invalid_value");
            return false;
        }

        ImageFormat format;
        switch (request.FieldValue("output_format")?.ToLowerInvariant())
        {
            case null or "png":
                format = ImageFormat.Png;
                break;
            case "jpeg" or "jpg":
                format = ImageFormat.Jpeg;
                break;
            case "webp":
                format = ImageFormat.Webp;
                break;
            default:
                problem = new("Invalid value for 'output_format'. Supported values are: 'png', 'jpeg' and 'webp'.", "invalid_value");
                return false;
        }

        // The answer echoes what was used, as OpenAI's does: "auto" or nothing resolves to one value.
        var quality = request.FieldValue("quality")?.ToLowerInvariant() is "low" or "medium" or "high" ? request.FieldValue("quality")!.ToLowerInvariant() : "medium";
        var background = request.FieldValue("background")?.ToLowerInvariant() == "transparent" ? "transparent" : "opaque";
        parsed = new ImageRequest(count, width, height, format, request.FieldValue("prompt") ?? "", quality, background);
        return true;
    }

    private static string FormatName(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Webp => "webp",
        _ => "png",
    };

    private static bool TryParseSize(string size, out int width, out int height)
    {
        width = height = 0;
        var x = size.IndexOfAny(['x', 'X']);
        return x > 0 &&
               int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out width) &&
               int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out height) &&
               width >= 1 && height >= 1 && (long)width * height <= ImageEncoder.MaxPixels;
    }

    private static bool IsJsonObject(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // ================================================================ writing answers

    private ResponseBody BuildImagesBody(ImageRequest parsed, FaultKind kind)
    {
        var image = ImageEncoder.Get(parsed.Width, parsed.Height, parsed.Format, IncompressibleImages);

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

    private async Task ServeFileAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        Interlocked.Increment(ref _fileRequests);
        if (TakeOne(ref _fileFailures))
        {
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "The file store is busy.", "server_error", "file_store_busy", null);
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            if (TakeOne(ref _fileStalls))
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancel.Token);
            }

            if (FileDelay > TimeSpan.Zero)
            {
                await Task.Delay(FileDelay, cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        if (!_files.TryGetValue(name, out var image))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"No such file: {name}.", "invalid_request_error", "file_not_found", null);
            return;
        }

        context.Response.ContentType = image.MediaType;
        context.Response.ContentLength = image.Bytes.Length;
        try
        {
            for (var offset = 0; offset < image.Bytes.Length; offset += WriteChunkSize)
            {
                await context.Response.Body.WriteAsync(
                    image.Bytes.AsMemory(offset, Math.Min(WriteChunkSize, image.Bytes.Length - offset)), context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
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

    /// <summary>
    /// A JSON answer kept as pieces: small UTF-8 text plus the cached base64 of images, which is streamed in chunks
    /// (optionally with '+' and '/' JSON-escaped) instead of being copied into one large string.
    /// </summary>
    private sealed class ResponseBody
    {
        private readonly List<(ReadOnlyMemory<byte> Data, bool Escape)> _segments = [];

        public long Length { get; private set; }

        public void Append(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            _segments.Add((bytes, false));
            Length += bytes.Length;
        }

        public void AppendBase64(EncodedImage image, bool escape)
        {
            _segments.Add((image.Base64, escape));
            Length += escape ? image.EscapedBase64Length : image.Base64.Length;
        }

        /// <summary>Writes the first <paramref name="limit"/> bytes of the body.</summary>
        public async Task WriteAsync(Stream destination, long limit, CancellationToken ct)
        {
            var remaining = limit;
            byte[]? escaped = null;
            foreach (var (data, escape) in _segments)
            {
                var offset = 0;
                while (offset < data.Length && remaining > 0)
                {
                    ReadOnlyMemory<byte> chunk;
                    if (escape)
                    {
                        var source = data.Slice(offset, Math.Min(EscapeChunkSize, data.Length - offset));
                        escaped ??= new byte[EscapeChunkSize * 6];
                        chunk = escaped.AsMemory(0, EscapeBase64(source.Span, escaped));
                        offset += source.Length;
                    }
                    else
                    {
                        chunk = data.Slice(offset, Math.Min(WriteChunkSize, data.Length - offset));
                        offset += chunk.Length;
                    }

                    if (chunk.Length > remaining)
                    {
                        chunk = chunk[..(int)remaining];
                    }

                    await destination.WriteAsync(chunk, ct);
                    remaining -= chunk.Length;
                }
            }
        }

        private static int EscapeBase64(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            var n = 0;
            foreach (var b in source)
            {
                switch (b)
                {
                    case (byte)'+':
                        "\\u002B"u8.CopyTo(destination[n..]);
                        n += 6;
                        break;
                    case (byte)'/':
                        destination[n++] = (byte)'\\';
                        destination[n++] = (byte)'/';
                        break;
                    default:
                        destination[n++] = b;
                        break;
                }
            }

            return n;
        }
    }

    /// <summary>No console hooks and no "Application started" messages: the owner decides when to stop.</summary>
    private sealed class SilentLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
