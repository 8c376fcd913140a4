namespace ModelverseImage.Bench;

/// <summary>
/// 4. Memory across a long pipeline: prompts piped into New-MvImage | Save-MvImage (default 1024x1024
/// gradient images, default ThrottleLimit) into a temporary folder, in a child process of its own so that
/// neither the stand-in nor the earlier sections weigh on its memory. Every tenth of the run the pipeline
/// calls back into <see cref="MemorySampler"/>, which takes the working set and the GC heap after a full
/// collection. Flat: the working set at the end within 1.25x of the one at a fifth of the run (100 of 500
/// images), each taken as the median of three neighbouring samples.
/// </summary>
internal static class LongPipelineBench
{
    private const string Area = "4 long pipeline";
    private const double FlatTarget = 1.25;

    private const string Script = @"
        $sampler = $args[2]
        $every = $args[3]
        $saved = 0
        $args[0] | New-MvImage | Save-MvImage -Directory $args[1] | ForEach-Object {
            $saved++
            if ($saved % $every -eq 0) { $sampler.Sample($saved) }
        }
        $saved";

    public static async Task RunAsync(FakeModelverseApi api, BenchOptions options, Report report)
    {
        api.Reset();
        api.ExpectedApiKey = Bench.ApiKey;
        api.IncompressibleImages = false;

        var count = options.LongImages;
        Log.Line($"long pipeline: {count} images through New-MvImage | Save-MvImage in a child process, a sample every {options.SampleEvery}");
        var result = await Child.StartAsync("long", api.BaseUri.AbsoluteUri, Child.Text(count), Child.Text(options.SampleEvery));
        api.Reset();

        var seconds = result.Number("seconds");
        report.Info(Area, $"{count} images New-MvImage | Save-MvImage: wall time", Fmt.Seconds(seconds),
            $"{Fmt.Number(count / seconds, "0.0")} images/s");

        var images = Numbers(result["images"]).Select(n => (int)n).ToArray();
        var reference = Array.IndexOf(images, options.ReferenceSampleAt);
        Flat(report, "working set after full GC", images, Numbers(result["ws"]), reference, target: true);
        Flat(report, "GC heap after full GC", images, Numbers(result["heap"]), reference, target: false);
    }

    /// <summary>In the child: the pipeline with its memory samples.</summary>
    public static Dictionary<string, string> InChild(Uri baseUri, int count, int every)
    {
        var folder = Directory.CreateTempSubdirectory("mvbench-long-");
        try
        {
            using var ps = new PsSession();
            ps.UseStandIn(baseUri, Bench.ApiKey);
            ps.Invoke("$null = New-MvImage -Prompt 'warm-up' | Save-MvImage -Directory $args[0]", folder.FullName);
            foreach (var file in folder.EnumerateFiles())
            {
                file.Delete();
            }

            var sampler = new MemorySampler();
            var prompts = Enumerable.Range(1, count).Select(i => $"{Bench.Prompt} (long run {i})").ToArray();
            var clock = Stopwatch.StartNew();
            var saved = Convert.ToInt32(ps.Invoke(Script, prompts, folder.FullName, sampler, every).Single().BaseObject, CultureInfo.InvariantCulture);
            clock.Stop();
            var files = folder.EnumerateFiles().Count();
            if (saved != count || files != count)
            {
                throw new InvalidOperationException($"{saved} images saved and {files} files written, expected {count}");
            }

            return new Dictionary<string, string>
            {
                ["seconds"] = Child.Text(clock.Elapsed.TotalSeconds),
                ["images"] = string.Join(',', sampler.Samples.Select(s => s.Images)),
                ["ws"] = string.Join(',', sampler.Samples.Select(s => s.WorkingSet)),
                ["heap"] = string.Join(',', sampler.Samples.Select(s => s.Heap)),
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double[] Numbers(string list) =>
        list.Split(',').Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>
    /// Prints the samples and checks that they are flat: the median of the last three samples against the median
    /// of the three around the reference (at 50, 100 and 150 of 500 images). Medians of three, because each
    /// sample also holds the images still in flight (up to ThrottleLimit of them), which swings single samples.
    /// </summary>
    private static void Flat(Report report, string what, int[] images, double[] bytes, int reference, bool target)
    {
        var list = string.Join(" ", bytes.Select(b => Fmt.Number(b / (1024.0 * 1024), "0")));
        report.Info(Area, $"{what}, MiB at {images[0]}, {images[1]}, ... {images[^1]} images", list);

        var early = Measure.Median(bytes.Skip(reference - 1).Take(3));
        var late = Measure.Median(bytes.TakeLast(3));
        var ratio = late / early;
        var figure = $"{what}: last 3 samples vs 3 around {images[reference]} images (medians)";
        var baseline = $"at ~{images[reference]}: {Fmt.MiB(early)}";
        if (target)
        {
            report.Check(Area, figure, Fmt.MiB(late), baseline, Fmt.Ratio(ratio), $"<= {Fmt.Ratio(FlatTarget)}", ratio <= FlatTarget);
        }
        else
        {
            report.Info(Area, figure, Fmt.MiB(late), baseline, Fmt.Ratio(ratio));
        }
    }
}

public readonly record struct MemorySample(int Images, long WorkingSet, long Heap);

/// <summary>Called from the pipeline (so it is public, for PowerShell): one memory sample per call.</summary>
public sealed class MemorySampler
{
    private readonly List<MemorySample> _samples = [];

    public IReadOnlyList<MemorySample> Samples => _samples;

    public void Sample(int images)
    {
        Measure.FullCollect();
        _samples.Add(new MemorySample(images, Measure.WorkingSet(), GC.GetTotalMemory(forceFullCollection: false)));
        Console.Error.WriteLine($"  {images} images: working set {Fmt.MiB(_samples[^1].WorkingSet)}, GC heap {Fmt.MiB(_samples[^1].Heap)}");
    }
}
