using ModelverseImage.Imaging;

namespace ModelverseImage.Bench;

/// <summary>
/// 8. Making a 3840x2160 mask (issue 26): the PNG writer and rasteriser of the core (MaskDesign.Paint), for a rectangle
/// (the top third: rows repeat) and an ellipse (every row differs), and New-MvImageMask in a runspace, from the command
/// to the MvImage. Each mask is checked before measuring (read back by an independent decoder). Target: under 100 ms.
/// </summary>
internal static class MaskBench
{
    private const string Area = "8 mask";
    private const int Width = 3840, Height = 2160;
    private const double TargetMs = 100;

    public static Task RunAsync(BenchOptions options, Report report)
    {
        int runs = options.Quick ? 7 : 21;
        var designs = new (string Name, MaskDesign Design)[]
        {
            ("top third (rectangle, -Fraction)", new MaskDesign([new MaskRegion(MaskShape.Rectangle, 0, 0, 1, 0.333)], fraction: true, invert: false)),
            ("ellipse, every row different", new MaskDesign([new MaskRegion(MaskShape.Ellipse, 0.05, 0.05, 0.9, 0.9)], fraction: true, invert: false)),
        };
        foreach (var (name, design) in designs)
        {
            Check(design.Paint(Width, Height), design);
            var times = new List<double>();
            long allocated = 0;
            int length = 0;
            for (int i = -2; i < runs; i++) // two warm-up rounds, not counted
            {
                GC.Collect();
                long before = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                length = design.Paint(Width, Height).Length;
                double ms = clock.Elapsed.TotalMilliseconds;
                if (i < 0) continue;
                times.Add(ms);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            double median = Median(times);
            report.Check(Area, $"4K mask, {name}: time, median of {runs}", Fmt.Ms(median), "budget " + Fmt.Ms(TargetMs), Fmt.Ratio(median / TargetMs), $"< {Fmt.Ms(TargetMs)}", median < TargetMs);
            report.Info(Area, $"4K mask, {name}: PNG size / allocated", $"{length / 1024.0:0.0} KiB / {Fmt.MiB(allocated)}", "raw RGBA " + Fmt.MiB(Width * 4.0 * Height), Fmt.Ratio(allocated / (Width * 4.0 * Height)));
        }

        using var ps = new PsSession();
        const string Script = "(New-MvImageMask -Size 3840x2160 -Rectangle 0, 0, 1, 0.333 -Fraction).Length";
        var first = ps.Run(Script);
        if (first.Terminating != null || first.Errors.Count > 0) throw new InvalidOperationException("New-MvImageMask failed: " + first.AllText());
        var cmdletTimes = new List<double>();
        for (int i = -2; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            ps.Run(Script);
            if (i >= 0) cmdletTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        double cmdlet = Median(cmdletTimes);
        report.Check(Area, $"New-MvImageMask -Size 3840x2160 (top third) in a runspace, median of {runs}", Fmt.Ms(cmdlet), "budget " + Fmt.Ms(TargetMs), Fmt.Ratio(cmdlet / TargetMs), $"< {Fmt.Ms(TargetMs)}", cmdlet < TargetMs);
        return Task.CompletedTask;
    }

    /// <summary>The mask must be what it says before it is timed: the right size, alpha 0 in the region, 255 outside.</summary>
    private static void Check(byte[] png, MaskDesign design)
    {
        var (width, height, rgba) = TestPngDecoder.DecodeRgba(png);
        if (width != Width || height != Height) throw new InvalidOperationException($"the mask is {width}x{height}");
        var region = design.Regions[0];
        int inX = (int)((region.X + region.Width / 2) * Width), inY = (int)((region.Y + region.Height / 2) * Height);
        if (rgba[(inY * Width + inX) * 4 + 3] != 0) throw new InvalidOperationException("the region is not transparent");
        if (rgba[((Height - 1) * Width + Width - 1) * 4 + 3] != 255) throw new InvalidOperationException("the corner outside the region is not opaque");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
