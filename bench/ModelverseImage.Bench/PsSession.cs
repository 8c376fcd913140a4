using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ModelverseImage.Bench;

/// <summary>
/// A real PowerShell 7.6 runspace (System.Management.Automation) that imports the built module from
/// out/ModelverseImage, the folder users get. Scripts that write errors throw.
/// </summary>
internal sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>Opens a runspace; imports the module unless told not to (to time the import).</summary>
    public PsSession(bool importModule = true)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        if (importModule)
        {
            ImportModule();
        }
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModuleManifest { get; } = Path.Combine(RepoRoot, "out", "ModelverseImage", "ModelverseImage.psd1");

    /// <summary>Imports the module; returns how long Import-Module took.</summary>
    public TimeSpan ImportModule()
    {
        if (!File.Exists(ModuleManifest))
        {
            throw new FileNotFoundException("The module is not built: build src/ModelverseImage.Cmdlets first (building the bench does).", ModuleManifest);
        }

        var clock = Stopwatch.StartNew();
        Run("Import-Module -Name $args[0] -ErrorAction Stop", ModuleManifest);
        return clock.Elapsed;
    }

    /// <summary>Points the module's cmdlets at the stand-in with $PSDefaultParameterValues.</summary>
    public void UseStandIn(Uri baseUri) => Run(
        "$PSDefaultParameterValues['*-MvImage:BaseUri'] = $args[0]; $PSDefaultParameterValues['*-MvImage:ApiKey'] = $args[1]",
        baseUri, Bench.ApiKey);

    public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Runs a script with <paramref name="args"/> as $args; throws when it fails or writes an error.</summary>
    public Collection<PSObject> Run(string script, params object?[] args)
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

    public void Dispose() => _runspace.Dispose();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelverseImage.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
