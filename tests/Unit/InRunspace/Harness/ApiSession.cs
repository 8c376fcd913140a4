namespace ModelverseImage.Tests.Harness;

/// <summary>
/// The test class's stand-in for the API (reset for this test) and a runspace whose $PSDefaultParameterValues point
/// the module's cmdlets at it, with a test key; the runspace's location is a fresh temporary folder.
/// </summary>
public sealed class ApiSession(StandInFixture standIn) : IAsyncLifetime
{
    public const string Key = "sk-test-key-9f86d081884c7d65";

    public FakeModelverseApi Api { get; private set; } = null!;
    public PsSession Ps { get; private set; } = null!;
    public string Folder { get; } = Directory.CreateTempSubdirectory("mvimage-test-").FullName;

    public async Task InitializeAsync()
    {
        Api = await standIn.NextAsync();
        Api.ExpectedApiKey = Key;
        Ps = Connect(new PsSession());
    }

    /// <summary>
    /// Another runspace set up as <see cref="Ps"/> is (the stand-in, the key, the folder) whose host keeps what is
    /// written to it: <see cref="PsResult.HostText"/> then holds the "What if:" lines. Dispose it after use.
    /// </summary>
    public PsSession WithHost() => Connect(new PsSession(host: new RecordingHost()));

    private PsSession Connect(PsSession ps)
    {
        var r = ps.Run(@"
            $PSDefaultParameterValues['*-MvImage:BaseUri'] = $args[0]
            $PSDefaultParameterValues['*-MvImage:ApiKey'] = $args[1]
            Set-Location -LiteralPath $args[2]", Api.BaseUri, Key, Folder);
        if (r.Terminating != null) throw r.Terminating;
        return ps;
    }

    public PsResult Run(string script, params object?[] args) => Ps.Run(script, args);

    /// <summary>Files in the session folder (top level), by name.</summary>
    public string[] Files(string? under = null) =>
        Directory.GetFiles(under ?? Folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    public Task DisposeAsync()
    {
        Ps.Dispose(); // the stand-in is the class's: StandInFixture stops it
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
