namespace ModelverseImage.Bench;

/// <summary>
/// 7. Rerun: a folder holding 3,000 saved images (half with their record, half -NoMetadata, so the ledger alone
/// knows them), and the same 3,000 rows piped into New-MvImage -Resume again. Pipeline time, cold (a fresh
/// runspace: the folder read for the first time in it) and warm, and what reading the folder allocated; nothing
/// may be sent.
/// </summary>
internal static class RerunBench
{
    private const string Area = "7 rerun";
    private const double TargetSeconds = 2.0;

    private const string SaveScript = "$args[0] | New-MvImage -ThrottleLimit 8 -Resume $args[1] | Save-MvImage -Directory $args[1] -NoMetadata:$args[2] | Out-Null";
    private const string RerunScript = @"
$before = [GC]::GetTotalAllocatedBytes($true)
$clock = [Diagnostics.Stopwatch]::StartNew()
$sent = @($args[0] | New-MvImage -Resume $args[1] -InformationAction Ignore).Count
$clock.Stop()
$sent, $clock.Elapsed.TotalSeconds, ([GC]::GetTotalAllocatedBytes($true) - $before)";

    public static Task RunAsync(FakeModelverseApi api, BenchOptions options, Report report)
    {
        var rows = options.RerunRows;
        var folder = Path.Combine(Path.GetTempPath(), "mvbench-rerun-" + Guid.NewGuid().ToString("N"));
        try
        {
            api.Reset();
            api.ExpectedApiKey = Bench.ApiKey;
            api.IncompressibleImages = false;
            api.Delay = TimeSpan.Zero;
            var prompts = Enumerable.Range(1, rows).Select(i => $"{Bench.Prompt} (rerun {i})").ToArray();
            Log.Line($"rerun: saving {rows} images into {folder}");
            using (var ps = new PsSession())
            {
                ps.UseStandIn(api.BaseUri, Bench.ApiKey);
                ps.Invoke(SaveScript, prompts[..(rows / 2)], folder, false);
                ps.Invoke(SaveScript, prompts[(rows / 2)..], folder, true);
            }
            var saved = Directory.GetFiles(folder, "*.png").Length;
            if (saved != rows) throw new InvalidOperationException($"rerun: {saved} images saved, expected {rows}");
            api.Reset();

            using var rerun = new PsSession();
            rerun.UseStandIn(api.BaseUri, Bench.ApiKey);
            foreach (var pass in new[] { "cold", "warm" })
            {
                var result = rerun.Invoke(RerunScript, prompts, folder);
                int sent = Convert.ToInt32(result[0].BaseObject);
                double seconds = Convert.ToDouble(result[1].BaseObject);
                long allocated = Convert.ToInt64(result[2].BaseObject);
                if (sent != 0 || api.Requests.Count != 0) throw new InvalidOperationException($"rerun ({pass}): {api.Requests.Count} requests sent, expected none");
                report.Check(Area, $"{rows:N0} done rows rerun with -Resume, {pass}: pipeline time", Fmt.Seconds(seconds), $"{Fmt.Number(allocated / (1024.0 * 1024.0), "0.0")} MiB allocated",
                    Fmt.Ratio(seconds / TargetSeconds), $"<= {Fmt.Seconds(TargetSeconds)}", seconds <= TargetSeconds);
            }
        }
        finally
        {
            api.Reset();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temporary folder.
            }
        }
        return Task.CompletedTask;
    }
}
