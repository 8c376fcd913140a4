namespace ModelverseImage.Bench;

/// <summary>
/// 2. Bulk: prompts piped into New-MvImage -ThrottleLimit N against a stand-in that holds every request for
/// 250 ms. Wall time against the ideal (requests x 0.25 s / N), and the most requests the stand-in saw at
/// once, which must be N.
/// </summary>
internal static class BulkBench
{
    private const string Area = "2 bulk";
    private const int TargetThrottle = 8;
    private const double TimeTarget = 1.2;

    private const string Script = "@($args[0] | New-MvImage -ThrottleLimit $args[1]).Count";

    public static Task RunAsync(FakeModelverseApi api, BenchOptions options, Report report)
    {
        using var ps = new PsSession();
        ps.UseStandIn(api.BaseUri, Bench.ApiKey);

        // Warm-up: the cmdlet and the client compiled, default-size gradient images cached by the stand-in.
        Prepare(api, TimeSpan.Zero);
        Run(ps, Prompts(8, "warm-up"), 4);

        var count = options.BulkRequests;
        foreach (var limit in options.ThrottleLimits)
        {
            Log.Line($"bulk: {count} requests, {options.BulkDelay.TotalMilliseconds:0} ms each, ThrottleLimit {limit}");
            Prepare(api, options.BulkDelay);
            var clock = Stopwatch.StartNew();
            var images = Run(ps, Prompts(count, $"bulk-{limit}"), limit);
            clock.Stop();

            if (images != count || api.Requests.Count != count)
            {
                throw new InvalidOperationException($"ThrottleLimit {limit}: {images} images from {api.Requests.Count} requests, expected {count}");
            }

            var ideal = count * options.BulkDelay.TotalSeconds / limit;
            var seconds = clock.Elapsed.TotalSeconds;
            var ratio = seconds / ideal;
            var figure = $"{count} requests, ThrottleLimit {limit}: wall time";
            if (limit == TargetThrottle)
            {
                report.Check(Area, figure, Fmt.Seconds(seconds), "ideal " + Fmt.Seconds(ideal), Fmt.Ratio(ratio), $"<= {Fmt.Ratio(TimeTarget)} ideal", ratio <= TimeTarget);
            }
            else
            {
                report.Info(Area, figure, Fmt.Seconds(seconds), "ideal " + Fmt.Seconds(ideal), Fmt.Ratio(ratio));
            }

            var most = api.MaxInFlight;
            report.Check(Area, $"ThrottleLimit {limit}: most requests in flight (stand-in)", Fmt.Number(most), $"N = {limit}",
                Fmt.Ratio(most / (double)limit), $"= {limit}", most == limit);
        }

        api.Reset();
        return Task.CompletedTask;
    }

    private static void Prepare(FakeModelverseApi api, TimeSpan delay)
    {
        api.Reset();
        api.ExpectedApiKey = Bench.ApiKey;
        api.IncompressibleImages = false;
        api.Delay = delay;
    }

    private static int Run(PsSession ps, string[] prompts, int throttleLimit) =>
        Convert.ToInt32(ps.Invoke(Script, prompts, throttleLimit).Single().BaseObject);

    private static string[] Prompts(int count, string tag) =>
        Enumerable.Range(1, count).Select(i => $"{Bench.Prompt} ({tag} {i})").ToArray();
}
