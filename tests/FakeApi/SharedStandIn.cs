namespace ModelverseImage.FakeApi;

/// <summary>
/// One stand-in for the tests of a class, which run one after another: <see cref="NextAsync"/> hands it to the next
/// test as new (requests, faults, counters and settings reset: <see cref="FakeModelverseApi.ResetAll"/>) once the
/// requests of the test before have ended (<see cref="FakeModelverseApi.EndRequests"/> ends those left hanging). One
/// that still holds a request after <see cref="IdleTimeout"/> is replaced by a fresh stand-in, so nothing of one
/// test reaches the next. Each test
/// project's xunit class fixture derives from it (IAsyncLifetime: InitializeAsync and DisposeAsync are here).
/// </summary>
public class SharedStandIn
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    private FakeModelverseApi? _api;

    /// <summary>How many times a stand-in was replaced because a request of the test before was still running.</summary>
    public int Replaced { get; private set; }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The stand-in for the next test, as new.</summary>
    public async Task<FakeModelverseApi> NextAsync()
    {
        _api?.EndRequests();
        if (_api != null && !await _api.WaitIdleAsync(IdleTimeout).ConfigureAwait(false))
        {
            await _api.DisposeAsync().ConfigureAwait(false);
            _api = null;
            Replaced++;
        }

        _api ??= await FakeModelverseApi.StartAsync().ConfigureAwait(false);
        _api.ResetAll();
        return _api;
    }

    public async Task DisposeAsync()
    {
        if (_api != null)
        {
            await _api.DisposeAsync().ConfigureAwait(false);
        }
    }
}
