using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ModelverseImage.TestKit;

/// <summary>
/// A real PowerShell 7.6 runspace with the built module imported from out/ModelverseImage, the way a user
/// gets it. Each instance is one runspace; dispose it after use. <see cref="Run"/> captures every stream
/// (tests); <see cref="Invoke"/> throws when the script fails or writes an error (bench, tools). Without a host (the
/// default) host-only text such as "What if:" lines goes nowhere; give a <see cref="RecordingHost"/> to keep it.
/// </summary>
public sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly RecordingHost? _host;
    private PowerShell? _current;

    public PsSession(bool importModule = true, RecordingHost? host = null)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        var iss = InitialSessionState.CreateDefault2();
        _host = host;
        _runspace = host == null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
        _runspace.Open();
        if (importModule)
        {
            ImportModule();
        }
    }

    /// <summary>Imports the built module; returns how long Import-Module took.</summary>
    public TimeSpan ImportModule()
    {
        if (!File.Exists(RepoPaths.ModuleManifest))
        {
            throw new FileNotFoundException("The module is not built: build src/ModelverseImage.Cmdlets first (dotnet build stages it).", RepoPaths.ModuleManifest);
        }

        var clock = Stopwatch.StartNew();
        Invoke("Import-Module -Name $args[0] -ErrorAction Stop", RepoPaths.ModuleManifest);
        return clock.Elapsed;
    }

    /// <summary>Points the module's cmdlets at a stand-in with $PSDefaultParameterValues.</summary>
    public void UseStandIn(Uri baseUri, string apiKey) => Invoke(
        "$PSDefaultParameterValues['*-MvImage:BaseUri'] = $args[0]; $PSDefaultParameterValues['*-MvImage:ApiKey'] = $args[1]",
        baseUri, apiKey);

    /// <summary>Runs a script with <paramref name="args"/> as $args; throws when it fails or writes an error.</summary>
    public Collection<PSObject> Invoke(string script, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var arg in args)
        {
            ps.AddArgument(arg);
        }

        var output = ps.Invoke();
        if (ps.Streams.Error.Count > 0)
        {
            var first = ps.Streams.Error[0];
            throw new InvalidOperationException(
                $"{ps.Streams.Error.Count} error(s) from '{script.Trim()}', first: {first.FullyQualifiedErrorId}: {first}", first.Exception);
        }

        return output;
    }

    public Runspace Runspace => _runspace;

    /// <summary>Sets a variable in the session (for values that are awkward to write as PowerShell text).</summary>
    public void Set(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    public object? Get(string name) => _runspace.SessionStateProxy.GetVariable(name);

    /// <summary>Runs a script; $args holds <paramref name="args"/>. Terminating errors are captured, not thrown.</summary>
    public PsResult Run(string script, params object?[] args) => RunAsync(script, null, args).GetAwaiter().GetResult();

    /// <summary>Starts the script and calls <paramref name="whileRunning"/> with the live PowerShell (to Stop() it).</summary>
    public async Task<PsResult> RunAsync(string script, Func<PowerShell, Task>? whileRunning, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var a in args) ps.AddArgument(a);
        _current = ps;
        var hostMark = _host?.Mark ?? 0;
        var output = new PSDataCollection<PSObject>();
        Exception? terminating = null;
        try
        {
            var invocation = ps.InvokeAsync<PSObject, PSObject>(null, output);
            if (whileRunning != null) await whileRunning(ps);
            await invocation;
        }
        catch (Exception ex) when (ex is RuntimeException or PipelineStoppedException or ParameterBindingException or CmdletInvocationException or ActionPreferenceStopException)
        {
            terminating = ex;
        }
        finally
        {
            _current = null;
        }
        return new PsResult
        {
            Output = output.ToList(),
            Errors = ps.Streams.Error.ToList(),
            Warnings = ps.Streams.Warning.ToList(),
            Verbose = ps.Streams.Verbose.ToList(),
            Debug = ps.Streams.Debug.ToList(),
            Progress = ps.Streams.Progress.ToList(),
            Information = ps.Streams.Information.ToList(),
            Terminating = terminating,
            HostText = _host?.TextSince(hostMark) ?? string.Empty,
        };
    }

    public void Dispose()
    {
        _current?.Stop();
        _runspace.Dispose();
    }
}
