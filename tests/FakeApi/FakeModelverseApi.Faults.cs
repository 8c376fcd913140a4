namespace ModelverseImage.FakeApi;

// Fault scripts: scripted and random faults for /images/*, and the "next N" file and body faults.
public sealed partial class FakeModelverseApi
{
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
}
