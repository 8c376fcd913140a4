using System.Reflection;
using System.Text;

namespace ModelverseImage.Bench;

/// <summary>
/// Measurements that need a process of their own: the peak working set of one image (a process that has done
/// nothing big yet), the cold start (the module imported where nothing of it is loaded or compiled yet) and
/// the memory of a long pipeline (a process holding nothing but PowerShell and the module).
/// The parent keeps the API stand-in; a child answers with one line "RESULT key=value ...".
/// </summary>
internal static class Child
{
    public const string Flag = "--child";
    private const string ResultPrefix = "RESULT ";
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Entry point of a child process.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var result = args[0] switch
            {
                "peak" => await PeakAsync(variant: args[1], size: args[2], baseUri: new Uri(args[3])),
                "startup" => StartupBench.ColdProcess(new Uri(args[1])),
                "long" => LongPipelineBench.InChild(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"unknown child mode '{args[0]}'"),
            };
            Console.WriteLine(ResultPrefix + string.Join(' ', result.Select(kv => $"{kv.Key}={kv.Value}")));
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            return 1;
        }
    }

    /// <summary>Starts this program as a child, waits for it and returns its RESULT fields.</summary>
    public static async Task<Dictionary<string, string>> StartAsync(params string[] args)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location); // started as "dotnet ModelverseImage.Bench.dll"
        }

        start.ArgumentList.Add(Flag);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The child's stderr (its progress lines, or what went wrong) is passed on as it comes.
        var errors = new StringBuilder();
        using var child = new Process { StartInfo = start };
        child.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (errors)
            {
                errors.AppendLine(line.Data);
            }

            Console.Error.WriteLine("    " + line.Data);
        };
        child.Start();
        child.BeginErrorReadLine();
        var stdout = child.StandardOutput.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(ChildTimeout))
        {
            try
            {
                await child.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
                throw new TimeoutException($"child '{string.Join(' ', args)}' did not finish within {ChildTimeout.TotalMinutes} min");
            }
        }

        child.WaitForExit(); // drains the stderr events
        var output = await stdout;
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"child '{string.Join(' ', args)}' failed (exit {child.ExitCode}): {FirstLine(errors)}");
        }

        return line[ResultPrefix.Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);
    }

    private static string FirstLine(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString().Trim().Split('\n').FirstOrDefault()?.Trim() ?? "";
        }
    }

    public static double Number(this Dictionary<string, string> fields, string key) =>
        double.Parse(fields[key], NumberStyles.Float, CultureInfo.InvariantCulture);

    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Warm the client up on tiny images, then measure the peak working set of one image of the size.</summary>
    private static async Task<Dictionary<string, string>> PeakAsync(string variant, string size, Uri baseUri)
    {
        var folder = Directory.CreateTempSubdirectory("mvbench-peak-");
        try
        {
            await using var client = ImageFetchers.Create(variant, baseUri, folder.FullName);
            for (var i = 0; i < 2; i++)
            {
                await client.FetchAsync(ImageFetchers.TinySize);
                client.AfterRun();
            }

            var peak = await PeakMeter.MeasureAsync(() => client.FetchAsync(size));
            client.AfterRun();
            return new Dictionary<string, string>
            {
                ["baseline"] = Text(peak.Baseline),
                ["peak"] = Text(peak.Peak),
                ["source"] = peak.Source.Replace(' ', '_'),
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
