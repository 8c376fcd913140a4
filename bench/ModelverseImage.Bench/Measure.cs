namespace ModelverseImage.Bench;

/// <summary>One timed run: wall time and bytes allocated by all threads of this process meanwhile.</summary>
internal readonly record struct RunSample(double Milliseconds, long AllocatedBytes);

internal static class Measure
{
    /// <summary>
    /// Collects garbage (GC.Collect, as an application would leave it: no compaction of the large object
    /// heap), then times <paramref name="run"/> and counts what every thread allocated during it
    /// (GC.GetTotalAllocatedBytes(precise: true) before and after).
    /// </summary>
    public static async Task<RunSample> RunAsync(Func<Task> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await run();
        clock.Stop();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return new RunSample(clock.Elapsed.TotalMilliseconds, after - before);
    }

    /// <summary>
    /// A blocking, compacting collection of every generation (the large object heap included) in aggressive
    /// mode, which also gives the memory it freed back to the OS: the working set after it is what is live.
    /// </summary>
    public static void FullCollect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("no values");
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static long Median(IEnumerable<long> values) => (long)Math.Round(Median(values.Select(v => (double)v)));

    /// <summary>This process's resident set now (Process.WorkingSet64, refreshed).</summary>
    public static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}

/// <summary>
/// The peak working set while one action runs, above the working set just before it: the kernel's
/// high-water mark (Process.PeakWorkingSet64, reset first through /proc/self/clear_refs where Linux allows
/// it) and, as a cross-check, a sampling thread reading the working set every millisecond.
/// </summary>
internal static class PeakMeter
{
    public readonly record struct Result(long Baseline, long Peak, string Source)
    {
        public long Rise => Math.Max(0, Peak - Baseline);
    }

    public static async Task<Result> MeasureAsync(Func<Task> run)
    {
        Measure.FullCollect();
        Thread.Sleep(200); // let the GC give back what it freed
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var baseline = self.WorkingSet64;
        var highWaterReset = TryResetHighWaterMark();

        long sampledPeak = baseline;
        using var stop = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            using var me = Process.GetCurrentProcess();
            while (!stop.IsSet)
            {
                me.Refresh();
                sampledPeak = Math.Max(sampledPeak, me.WorkingSet64);
                stop.Wait(1);
            }
        })
        { IsBackground = true, Name = "working set sampler" };
        sampler.Start();
        try
        {
            await run();
        }
        finally
        {
            stop.Set();
            sampler.Join();
        }

        self.Refresh();
        return highWaterReset && self.PeakWorkingSet64 >= sampledPeak
            ? new Result(baseline, self.PeakWorkingSet64, "kernel high-water mark")
            : new Result(baseline, sampledPeak, "1 ms sampling");
    }

    /// <summary>Writing 5 to /proc/self/clear_refs resets VmHWM (the peak resident set) to the current one.</summary>
    private static bool TryResetHighWaterMark()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
