using System.Net.Http.Headers;
using System.Text.Json;
using ModelverseImage.Api;

namespace ModelverseImage.Bench;

/// <summary>
/// 5. A streamed answer (stream=true, partial_images 2) of a 3840x2160 incompressible PNG on loopback: three
/// images in server-sent events. The module's client (events split, every image decoded as it streams) against
/// the floor, the same stream read into one reused buffer and thrown away; bytes allocated against the decoded
/// bytes of all three images.
/// </summary>
internal static class StreamingBench
{
    private const string Area = "5 streamed 4K";
    private const string Size = "3840x2160";
    private const int Partials = 2;
    private const double TimeTarget = 1.15;
    private const double AllocTarget = 1.5;

    public static async Task RunAsync(FakeModelverseApi api, BenchOptions options, Report report)
    {
        api.Reset();
        api.ExpectedApiKey = Bench.ApiKey;
        api.IncompressibleImages = true;
        int runs = options.Quick ? 3 : 15;
        int warmUps = options.Quick ? 1 : 2;

        using var http = ImageFetchers.PlainHttpClient();
        using var client = new ModelverseClient(new ClientSettings(api.BaseUri, ApiKey.FromString(Bench.ApiKey)!));
        var uri = ImageFetchers.GenerationsUri(api.BaseUri);
        var buffer = new byte[64 * 1024];

        async Task<long> Floor()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(RequestJson()) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bench.ApiKey);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            return total;
        }

        async Task<(long Decoded, int PartialCount)> Module()
        {
            // As -PartialImages sets it: the request's PartialImages (stream and partial_images sent) is also the
            // number of partial images per image the client accepts; more are refused.
            var request = new ImageRequest(Bench.Prompt, Bench.Model) { PartialImages = Partials };
            request.Fields[ApiRules.SizeField] = Size;
            long decoded = 0;
            int partials = 0;
            // Every image is handed to the callback the moment its event ends, the final one too (which the
            // answer also holds): count the partial ones here, the final ones from the answer.
            var result = await client.SendAsync(request, streamed =>
            {
                if (!streamed.IsPartial) return;
                decoded += streamed.Data.Count;
                partials++;
            }, CancellationToken.None);
            return (decoded + result.Images.Sum(i => (long)i.Data.Count), partials);
        }

        Log.Line($"streamed 4K: {warmUps} warm-up round(s), then {runs} measured rounds (floor and module interleaved)");
        var (decoded, partialCount) = await Module();
        if (partialCount != Partials)
        {
            throw new InvalidOperationException($"the module received {partialCount} partial images, expected {Partials}");
        }

        var streamLength = await Floor();
        for (int i = 0; i < warmUps; i++)
        {
            await Floor();
            await Module();
        }

        var floor = new List<RunSample>();
        var module = new List<RunSample>();
        for (int run = 0; run < runs; run++)
        {
            floor.Add(await Measure.RunAsync(async () => await Floor()));
            module.Add(await Measure.RunAsync(async () => await Module()));
        }

        var floorMs = Measure.Median(floor.Select(s => s.Milliseconds));
        var moduleMs = Measure.Median(module.Select(s => s.Milliseconds));
        var ratio = Measure.Median(module.Zip(floor, (m, f) => m.Milliseconds / f.Milliseconds));
        var allocated = Measure.Median(module.Select(s => s.AllocatedBytes));
        var allocRatio = allocated / (double)decoded;

        report.Info(Area, $"answer: {Size} incompressible PNG, {Partials} partials + final in server-sent events; stream {Fmt.MiB(streamLength)}; median of {runs} runs", Fmt.MiB(decoded) + " decoded (3 images)");
        report.Info(Area, "time: floor, HttpClient read + discard of the same stream", Fmt.Ms(floorMs));
        report.Check(Area, "time: module ModelverseClient.SendAsync with partials", Fmt.Ms(moduleMs), "floor " + Fmt.Ms(floorMs), Fmt.Ratio(ratio),
            $"<= {Fmt.Ratio(TimeTarget)} floor", ratio <= TimeTarget);
        report.Info(Area, "allocated: floor", Fmt.MiB(Measure.Median(floor.Select(s => s.AllocatedBytes))), "decoded " + Fmt.MiB(decoded),
            Fmt.Ratio(Measure.Median(floor.Select(s => s.AllocatedBytes)) / (double)decoded));
        report.Check(Area, "allocated: module (all three images)", Fmt.MiB(allocated), "decoded " + Fmt.MiB(decoded), Fmt.Ratio(allocRatio),
            $"<= {Fmt.Ratio(AllocTarget)} decoded", allocRatio <= AllocTarget);
    }

    private static byte[] RequestJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prompt", Bench.Prompt);
            json.WriteString("model", Bench.Model);
            json.WriteString("size", Size);
            json.WriteBoolean("stream", true);
            json.WriteNumber("partial_images", Partials);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
