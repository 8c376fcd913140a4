namespace ModelverseImage.Bench;

/// <summary>
/// 1. One image end to end on loopback, 1024x1024 and 3840x2160 PNGs of incompressible pixels: wall time and
/// bytes allocated per image for the module's client and the cmdlets, beside the floor (a), a hand-written
/// client (b) and the OpenAI SDK (c); then the peak working set of one image, each in a fresh process.
/// </summary>
internal static class SingleImageBench
{
    private const string Area = "1 one image";

    private const double TimeTarget = 1.15;        // 4K SendAsync time <= 1.15x the floor
    private const double AllocTarget = 1.5;        // 4K allocation <= 1.5x the decoded image: SendAsync, and New-MvImage + $image.Bytes
    private const double FewerThanHandTarget = 3;  // ... and at least 3x fewer bytes than (b)

    private sealed record Case(string Name, string Size, int Runs, int WarmUps, bool Peak, bool Targets);

    public static async Task RunAsync(FakeModelverseApi api, BenchOptions options, Report report)
    {
        api.Reset();
        api.ExpectedApiKey = Bench.ApiKey;
        api.IncompressibleImages = true;

        Case[] cases =
        [
            new("1K", "1024x1024", options.Runs1K, options.WarmUps1K, options.PeakFor1K, Targets: false),
            new("4K", "3840x2160", options.Runs4K, options.WarmUps4K, Peak: true, Targets: true),
        ];

        var folder = Directory.CreateTempSubdirectory("mvbench-single-");
        var clients = new List<ImageFetcher>();
        try
        {
            foreach (var id in ImageFetchers.Ids)
            {
                clients.Add(ImageFetchers.Create(id, api.BaseUri, folder.FullName));
            }

            var decoded = new Dictionary<Case, long>();
            foreach (var c in cases)
            {
                decoded[c] = await MeasureAsync(c, clients, report);
            }

            foreach (var c in cases.Where(c => c.Peak))
            {
                await PeakAsync(c, decoded[c], api.BaseUri, clients, report);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            folder.Delete(recursive: true);
        }
    }

    private static async Task<long> MeasureAsync(Case c, List<ImageFetcher> clients, Report report)
    {
        Log.Line($"{c.Name}: checking that every client gets the same image");
        var decoded = await CheckSameImageAsync(c.Size, clients);

        Log.Line($"{c.Name}: {c.WarmUps} warm-up round(s), then {c.Runs} measured rounds (clients interleaved)");
        for (var i = 0; i < c.WarmUps; i++)
        {
            foreach (var client in clients)
            {
                await client.FetchAsync(c.Size);
                client.AfterRun();
            }
        }

        var samples = clients.ToDictionary(x => x.Id, _ => new List<RunSample>());
        for (var run = 0; run < c.Runs; run++)
        {
            foreach (var client in clients)
            {
                long length = 0;
                samples[client.Id].Add(await Measure.RunAsync(async () => length = await client.FetchAsync(c.Size)));
                client.AfterRun();
                if (client.DecodesImage && length != decoded)
                {
                    throw new InvalidOperationException($"{client.Label} returned {length} bytes, expected {decoded}");
                }
            }
        }

        var time = samples.ToDictionary(kv => kv.Key, kv => Measure.Median(kv.Value.Select(s => s.Milliseconds)));
        var alloc = samples.ToDictionary(kv => kv.Key, kv => Measure.Median(kv.Value.Select(s => s.AllocatedBytes)));
        var label = clients.ToDictionary(x => x.Id, x => x.Label);
        var floor = time["floor"];

        report.Info(Area, $"{c.Name} image: {c.Size} incompressible PNG, decoded size; figures: median of {c.Runs} runs, time ratios: median of per-round ratios", Fmt.MiB(decoded));

        // Wall time, request to decoded bytes (or to the file on disk), against the floor.
        report.Info(Area, $"{c.Name} time: {label["floor"]}", Fmt.Ms(floor));
        foreach (var id in ImageFetchers.Ids.Skip(1))
        {
            // Each round runs every client back to back, so the ratio is taken per round and its median
            // reported: the machine's drift from round to round cancels out.
            var ratio = Measure.Median(samples[id].Zip(samples["floor"], (x, f) => x.Milliseconds / f.Milliseconds));
            var figure = $"{c.Name} time: {label[id]}";
            if (c.Targets && id == "module")
            {
                report.Check(Area, figure, Fmt.Ms(time[id]), "floor " + Fmt.Ms(floor), Fmt.Ratio(ratio), $"<= {Fmt.Ratio(TimeTarget)} floor", ratio <= TimeTarget);
            }
            else
            {
                report.Info(Area, figure, Fmt.Ms(time[id]), "floor " + Fmt.Ms(floor), Fmt.Ratio(ratio));
            }
        }

        // Bytes allocated per image by all threads (the in-process stand-in's share is in the floor's figure).
        foreach (var id in ImageFetchers.Ids)
        {
            var ratio = alloc[id] / (double)decoded;
            var figure = $"{c.Name} allocated: {label[id]}" + (id is "cmdlets" or "bytes" ? " (+ PowerShell)" : "");
            if (c.Targets && id is "module" or "bytes")
            {
                report.Check(Area, figure, Fmt.MiB(alloc[id]), "decoded " + Fmt.MiB(decoded), Fmt.Ratio(ratio), $"<= {Fmt.Ratio(AllocTarget)} decoded", ratio <= AllocTarget);
            }
            else
            {
                report.Info(Area, figure, Fmt.MiB(alloc[id]), "decoded " + Fmt.MiB(decoded), Fmt.Ratio(ratio));
            }
        }

        var fewer = alloc["hand"] / (double)Math.Max(1, alloc["module"]);
        var fewerFigure = $"{c.Name} allocated: module, times fewer than (b)";
        if (c.Targets)
        {
            report.Check(Area, fewerFigure, Fmt.Ratio(fewer), "(b) " + Fmt.MiB(alloc["hand"]), Fmt.Ratio(alloc["module"] / (double)alloc["hand"]),
                $">= {Fmt.Ratio(FewerThanHandTarget)} fewer", fewer >= FewerThanHandTarget);
        }
        else
        {
            report.Info(Area, fewerFigure, Fmt.Ratio(fewer), "(b) " + Fmt.MiB(alloc["hand"]), Fmt.Ratio(alloc["module"] / (double)alloc["hand"]));
        }

        return decoded;
    }

    /// <summary>Fetches once with every client (a first warm-up too) and checks they all decode the same PNG.</summary>
    private static async Task<long> CheckSameImageAsync(string size, List<ImageFetcher> clients)
    {
        ReadOnlyMemory<byte> reference = default;
        foreach (var client in clients)
        {
            client.Keep = true;
            try
            {
                var length = await client.FetchAsync(size);
                if (!client.DecodesImage)
                {
                    if (length == 0)
                    {
                        throw new InvalidOperationException($"{client.Label} read an empty body");
                    }

                    continue;
                }

                var image = client.Kept;
                if (!image.Span.StartsWith(Bench.PngSignature))
                {
                    throw new InvalidOperationException($"{client.Label} did not get a PNG");
                }

                if (reference.IsEmpty)
                {
                    reference = image;
                }
                else if (!image.Span.SequenceEqual(reference.Span))
                {
                    throw new InvalidOperationException($"{client.Label} decoded a different image ({image.Length} bytes, expected {reference.Length})");
                }
            }
            finally
            {
                client.Keep = false;
                client.AfterRun();
            }
        }

        return reference.Length;
    }

    /// <summary>Peak working set of one image, each client in a fresh child process warmed up on tiny images.</summary>
    private static async Task PeakAsync(Case c, long decoded, Uri baseUri, List<ImageFetcher> clients, Report report)
    {
        Log.Line($"{c.Name}: peak working set of one image, one child process per client");
        foreach (var client in clients)
        {
            var result = await Child.StartAsync("peak", client.Id, c.Size, baseUri.AbsoluteUri);
            var rise = result.Number("peak") - result.Number("baseline");
            report.Info(Area, $"{c.Name} peak working set rise: {client.Label}", Fmt.MiB(rise),
                $"decoded {Fmt.MiB(decoded)}", Fmt.Ratio(rise / decoded));
        }
    }
}
