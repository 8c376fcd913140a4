using System.Text;

namespace ModelverseImage.Bench;

internal enum Verdict
{
    Info,
    Pass,
    Miss,
    Error,
}

/// <summary>One figure of the table: its value, the baseline it is compared with, the ratio, the target and the verdict.</summary>
internal sealed record Row(string Area, string Figure, string Value, string Baseline, string Ratio, string Target, Verdict Verdict);

/// <summary>Collects the figures of all sections and prints them as one table.</summary>
internal sealed class Report
{
    private const string None = "-";
    private readonly List<Row> _rows = [];

    public bool HasErrors => _rows.Any(r => r.Verdict == Verdict.Error);

    /// <summary>A figure without a target.</summary>
    public void Info(string area, string figure, string value, string baseline = None, string ratio = None) =>
        _rows.Add(new Row(area, figure, value, baseline, ratio, None, Verdict.Info));

    /// <summary>A figure with a target, met or not.</summary>
    public void Check(string area, string figure, string value, string baseline, string ratio, string target, bool met) =>
        _rows.Add(new Row(area, figure, value, baseline, ratio, target, met ? Verdict.Pass : Verdict.Miss));

    public void Error(string area, Exception e) =>
        _rows.Add(new Row(area, "section failed: " + e.GetType().Name, Shorten(e.Message, 100), None, None, None, Verdict.Error));

    public void Print(TextWriter output, string machine, string load, BenchOptions options, TimeSpan elapsed)
    {
        string[] header = ["Area", "Figure", "Value", "Baseline", "Ratio", "Target", "Result"];
        var cells = _rows.Select(r => new[] { r.Area, r.Figure, r.Value, r.Baseline, r.Ratio, r.Target, Word(r.Verdict) }).ToList();
        var widths = Enumerable.Range(0, header.Length)
            .Select(i => Math.Max(header[i].Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length)))
            .ToArray();

        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"ModelverseImage benchmark ({(options.Quick ? "--quick smoke run" : "full run")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine("Machine: " + machine);
        text.AppendLine("Load: " + load);
        text.AppendLine();
        AppendLine(text, header, widths);
        AppendLine(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        string? area = null;
        foreach (var row in cells)
        {
            if (area != null && row[0] != area)
            {
                text.AppendLine();
            }

            area = row[0];
            AppendLine(text, row, widths);
        }

        var targets = _rows.Count(r => r.Verdict is Verdict.Pass or Verdict.Miss);
        var met = _rows.Count(r => r.Verdict == Verdict.Pass);
        var errors = _rows.Count(r => r.Verdict == Verdict.Error);
        text.AppendLine();
        text.Append($"Targets: {met} of {targets} PASS, {targets - met} MISS");
        text.AppendLine(errors > 0 ? $"; {errors} section(s) FAILED to run" : ".");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Whole run: {elapsed.TotalSeconds:0} s."));
        output.Write(text.ToString());
    }

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            text.Append(last ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.AppendLine();
    }

    private static string Word(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Miss => "MISS",
        Verdict.Error => "ERROR",
        _ => None,
    };

    private static string Shorten(string text, int length)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= length ? text : text[..(length - 3)] + "...";
    }
}

/// <summary>How figures are written.</summary>
internal static class Fmt
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Ms(double milliseconds) => milliseconds >= 100
        ? milliseconds.ToString("0", Invariant) + " ms"
        : milliseconds.ToString("0.0", Invariant) + " ms";

    public static string Seconds(double seconds) => seconds.ToString("0.00", Invariant) + " s";

    public static string MiB(double bytes) => (bytes / (1024.0 * 1024.0)).ToString(bytes < 10 * 1024 * 1024 ? "0.00" : "0.0", Invariant) + " MiB";

    public static string Ratio(double ratio) => ratio.ToString("0.00", Invariant) + "x";

    public static string Number(double value, string format = "0") => value.ToString(format, Invariant);
}
