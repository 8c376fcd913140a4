using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelverseImage.FakeApi;

/// <summary>
/// A local stand-in for the Modelverse image API (OpenAI-compatible) on 127.0.0.1, with scripted and random faults,
/// request recording and an in-flight counter. Start with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
/// <remarks>
/// Split by concern: hosting and lifecycle here; fault scripts (.Faults), request recording (.Recording), request
/// checks (.Checks), answers (.Answers, .Files, .Streaming, .ResponseBody).
/// </remarks>
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
    private CancellationTokenSource _ending = new(); // replaced by EndRequests
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
    private int _filesInFlight;

    /// <summary>When set, answers hold at most this many images, whatever n asked for (an API that returns fewer).</summary>
    public int? MaxImagesReturned { get; set; }

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
        _app.MapGet("/_test/requests", ServeRecordedRequestsAsync); // for tests in another process: FakeModelverseApi.Recording.cs
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
    /// Clears recorded requests, scripted faults, served files and counters; Delay = 0, FaultRate = 0,
    /// ExpectedApiKey = null. The fault random source restarts from <see cref="FaultSeed"/>.
    /// </summary>
    public void Reset()
    {
        ResetState();
    }

    /// <summary>
    /// <see cref="Reset"/>, and every other setting back to how <see cref="StartAsync"/> leaves it (FaultSeed 1,
    /// MaxImagesReturned, IncompressibleImages, EchoKey, ContentCredentials): the stand-in as new, for the next test
    /// of a <see cref="SharedStandIn"/>.
    /// </summary>
    public void ResetAll()
    {
        FaultSeed = 1;
        MaxImagesReturned = null;
        IncompressibleImages = false;
        EchoKey = false;
        ContentCredentials = false;
        ResetState();
    }

    /// <summary>
    /// Ends every /images/* and /files/* request being handled now, as stopping does (Delay, Slow, NeverAnswer and
    /// stalls end at once and their connections are aborted), and goes on serving new ones: what one test left
    /// hanging, such as a body the stand-in never reads, does not reach the next.
    /// </summary>
    public void EndRequests() => Interlocked.Exchange(ref _ending, new CancellationTokenSource()).Cancel();

    private CancellationToken Ending => Volatile.Read(ref _ending).Token;

    /// <summary>True once no /images/* or /files/* request is being handled; false if one still is after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (InFlight > 0 || Volatile.Read(ref _filesInFlight) > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return true;
    }

    private void ResetState()
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
        FileResets = 0;
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

    /// <summary>No console hooks and no "Application started" messages: the owner decides when to stop.</summary>
    private sealed class SilentLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
