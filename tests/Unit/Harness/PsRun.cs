using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Xunit;

namespace ModelverseImage.Tests.Harness;

/// <summary>Everything one pipeline produced, stream by stream.</summary>
public sealed class PsResult
{
    public required IReadOnlyList<PSObject> Output { get; init; }
    public required IReadOnlyList<ErrorRecord> Errors { get; init; }
    public required IReadOnlyList<WarningRecord> Warnings { get; init; }
    public required IReadOnlyList<VerboseRecord> Verbose { get; init; }
    public required IReadOnlyList<DebugRecord> Debug { get; init; }
    public required IReadOnlyList<ProgressRecord> Progress { get; init; }
    public required IReadOnlyList<InformationRecord> Information { get; init; }
    public Exception? Terminating { get; init; }

    /// <summary>
    /// The one error the run ended with: a script turns a cmdlet's terminating error into a record on the
    /// error stream (and goes on with the next statement), so both places are looked at.
    /// </summary>
    public ErrorRecord TheError()
    {
        var all = Errors.ToList();
        if (Terminating is IContainsErrorRecord container) all.Add(container.ErrorRecord);
        Assert.True(all.Count == 1, "Expected one error, got: " + string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return all[0];
    }

    public IEnumerable<T> Objects<T>() => Output.Where(o => o != null).Select(o => o.BaseObject).OfType<T>();

    /// <summary>All the text the run produced on every stream, for scanning (keys must never appear).</summary>
    public string AllText()
    {
        var parts = new List<string?>();
        parts.AddRange(Output.Select(o => o?.ToString()));
        foreach (var o in Output.Where(o => o != null))
            foreach (var p in o.Properties)
            {
                try { parts.Add(p.Value?.ToString()); } catch (GetValueException) { }
            }
        foreach (var e in Errors)
        {
            parts.Add(e.ToString()); parts.Add(e.Exception?.ToString()); parts.Add(e.ErrorDetails?.Message);
            parts.Add(e.ErrorDetails?.RecommendedAction); parts.Add(e.TargetObject?.ToString()); parts.Add(e.FullyQualifiedErrorId);
        }
        parts.AddRange(Warnings.Select(w => w.Message));
        parts.AddRange(Verbose.Select(v => v.Message));
        parts.AddRange(Debug.Select(d => d.Message));
        parts.AddRange(Progress.Select(p => p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation));
        parts.AddRange(Information.Select(i => i.MessageData?.ToString()));
        parts.Add(Terminating?.ToString());
        return string.Join("\n", parts.Where(p => p != null));
    }
}

/// <summary>
/// A real PowerShell 7.6 runspace with the built module imported from out/ModelverseImage, the way a user
/// gets it. Each instance is one runspace; dispose it after the test.
/// </summary>
public sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;
    private PowerShell? _current;

    public PsSession(bool importModule = true)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        var iss = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
        if (importModule)
        {
            var r = Run("Import-Module -Name $args[0] -ErrorAction Stop", ModulePaths.ModuleManifest);
            if (r.Terminating != null || r.Errors.Count > 0)
                throw new InvalidOperationException("Import-Module failed: " + (r.Terminating?.ToString() ?? r.Errors[0].ToString()));
        }
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
        };
    }

    public void Dispose()
    {
        _current?.Stop();
        _runspace.Dispose();
    }
}
