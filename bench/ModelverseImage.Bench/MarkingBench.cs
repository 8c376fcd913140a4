using System.IO.Compression;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Saving;

namespace ModelverseImage.Bench;

/// <summary>
/// 6. Saving with the XMP record against saving the bytes unchanged (-NoMetadata), for a 3840x2160 PNG of
/// incompressible pixels: the walk over the chunk list and the inserted chunk should cost next to nothing beside
/// writing the file (the goal is at most 1.05x). Figures only, no verdict: disk timings vary from run to run.
/// </summary>
internal static class MarkingBench
{
    private const string Area = "6 saving marked";

    public static Task RunAsync(BenchOptions options, Report report)
    {
        var png = IncompressiblePng(3840, 2160);
        var image = new MvImage(png, "png", 3840, 2160) { Prompt = "a benchmark of the marking", Model = "gpt-image-2" };
        var folder = Directory.CreateTempSubdirectory("mvbench-marking-");
        try
        {
            int runs = options.Quick ? 5 : 15;
            var marked = new List<double>();
            var plain = new List<double>();
            for (int i = -1; i < runs; i++) // the first round warms up and is not counted
            {
                // Alternated, so that a slower stretch of the disk hits both alike.
                double withRecord = Time(() => Save(folder.FullName, image, noMetadata: false));
                double without = Time(() => Save(folder.FullName, image, noMetadata: true));
                if (i < 0) continue;
                marked.Add(withRecord);
                plain.Add(without);
            }
            double m = Median(marked), p = Median(plain);
            report.Info(Area, $"4K PNG ({Fmt.MiB(png.Length)}) saved with XMP, median of {runs}", Fmt.Ms(m), Fmt.Ms(p) + " without (-NoMetadata)", Fmt.Ratio(m / p));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        return Task.CompletedTask;
    }

    private static void Save(string folder, MvImage image, bool noMetadata)
    {
        var marking = SaveMarking.For(image.Data, image.ToRecord(), image.IsPartial, noMetadata, enterMarked: false);
        string written = AtomicFile.WriteUnique(folder, "bench.png", marking.Parts, CancellationToken.None, marking.BeforeMove);
        File.Delete(written);
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static byte[] IncompressiblePng(int width, int height)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 4];
            var random = new Random(width * 7919 + height);
            for (int y = 0; y < height; y++)
            {
                random.NextBytes(row.AsSpan(1));
                row[0] = 0;
                zlib.Write(row);
            }
        }
        var output = new MemoryStream((int)compressed.Length + 1024);
        output.Write(TestPng.Signature);
        TestPng.WriteChunk(output, "IHDR", TestPng.Header(width, height, colourType: 6));
        var data = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        const int idatSize = 1 << 16;
        for (int offset = 0; offset < data.Length; offset += idatSize)
        {
            TestPng.WriteChunk(output, "IDAT", data.Slice(offset, Math.Min(idatSize, data.Length - offset)));
        }
        TestPng.WriteChunk(output, "IEND", []);
        return output.ToArray();
    }
}
