using ModelverseImage.Bench;

// dotnet run -c Release --project bench/ModelverseImage.Bench [-- [--quick] [--only 1,2,3,4,5,6,7,8]]
// Progress goes to stderr; the one table of figures goes to stdout at the end. See bench/README.md.

if (args.Length > 0 && args[0] == Child.Flag)
{
    return await Child.RunAsync(args[1..]);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var total = Stopwatch.StartNew();
var loadAtStart = Machine.LoadAverage();
var report = new Report();
Log.Line($"ModelverseImage benchmark, {(options.Quick ? "quick" : "full")} run; module {RepoPaths.ModuleManifest}");

await using (var api = await FakeModelverseApi.StartAsync())
{
    Log.Line($"API stand-in on {api.BaseUri}");
    if (options.Runs(1)) await Section("1 single image", () => SingleImageBench.RunAsync(api, options, report));
    if (options.Runs(2)) await Section("2 bulk", () => BulkBench.RunAsync(api, options, report));
    if (options.Runs(3)) await Section("3 startup", () => StartupBench.RunAsync(api, options, report));
    if (options.Runs(4)) await Section("4 long pipeline", () => LongPipelineBench.RunAsync(api, options, report));
    if (options.Runs(5)) await Section("5 streamed 4K", () => StreamingBench.RunAsync(api, options, report));
    if (options.Runs(6)) await Section("6 saving marked", () => MarkingBench.RunAsync(options, report));
    if (options.Runs(7)) await Section("7 rerun", () => RerunBench.RunAsync(api, options, report));
    if (options.Runs(8)) await Section("8 mask", () => MaskBench.RunAsync(options, report));
}

total.Stop();
var load = $"load average (1/5/15 min) {loadAtStart} at start, {Machine.LoadAverage()} at end";
report.Print(Console.Out, Machine.Describe(), load, options, total.Elapsed);
return report.HasErrors ? 1 : 0;

// A section that throws is reported as a failed row; the other sections still run.
async Task Section(string area, Func<Task> run)
{
    try
    {
        await run();
    }
    catch (Exception e)
    {
        Log.Line($"{area} FAILED: {e}");
        report.Error(area, e);
    }
}
