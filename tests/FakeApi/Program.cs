using System.Runtime.InteropServices;

namespace ModelverseImage.FakeApi;

/// <summary>
/// Runs the stand-in alone:
/// <c>dotnet run --project tests/FakeApi -- [--port 5055] [--delay-ms N] [--api-key KEY] [--fault-rate 0..1] [--incompressible] [--echo-key] [--script Kind,Kind,...] [--content-credentials]</c>
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: ModelverseImage.FakeApi [--port N (default 5055)] [--delay-ms N] [--api-key KEY] [--fault-rate 0..1] [--incompressible] [--echo-key] [--script Kind,Kind,...] [--content-credentials]";

    private static async Task<int> Main(string[] args)
    {
        var port = 5055;
        var delayMs = 0;
        string? apiKey = null;
        var faultRate = 0.0;
        var incompressible = false;
        var echoKey = false;
        var script = new List<FaultKind>();
        var contentCredentials = false;

        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");

            try
            {
                switch (args[i])
                {
                    case "--port":
                        port = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--delay-ms":
                        delayMs = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--api-key":
                        apiKey = Value();
                        break;
                    case "--fault-rate":
                        faultRate = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
                        break;
                    case "--incompressible":
                        incompressible = true;
                        break;
                    case "--echo-key":
                        echoKey = true;
                        break;
                    case "--script":
                        foreach (var kind in Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                            script.Add(Enum.Parse<FaultKind>(kind, ignoreCase: true));
                        break;
                    case "--content-credentials":
                        contentCredentials = true;
                        break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }

        await using var api = await FakeModelverseApi.StartAsync(port);
        api.Delay = TimeSpan.FromMilliseconds(delayMs);
        api.ExpectedApiKey = apiKey;
        api.FaultRate = faultRate;
        api.IncompressibleImages = incompressible;
        api.EchoKey = echoKey;
        foreach (var kind in script) api.Enqueue(new Fault(kind));
        api.ContentCredentials = contentCredentials;

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });

        Console.WriteLine($"Modelverse stand-in listening on {api.BaseUri}");
        Console.WriteLine("Press Ctrl+C to stop.");
        await stop.Task;
        Console.WriteLine("Stopping.");
        return 0;
    }
}
