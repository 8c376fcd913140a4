using System.Management.Automation;

namespace ModelverseImage.TestKit;

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

    /// <summary>What the run wrote to the session's <see cref="RecordingHost"/> ("What if:" lines); empty without one.</summary>
    public string HostText { get; init; } = string.Empty;

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
        parts.Add(HostText);
        return string.Join("\n", parts.Where(p => p != null));
    }
}
