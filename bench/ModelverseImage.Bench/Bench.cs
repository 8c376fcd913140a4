namespace ModelverseImage.Bench;

/// <summary>What every measurement shares: the key the stand-in expects, the model and the prompt.</summary>
internal static class Bench
{
    public const string ApiKey = "sk-bench-5f3c2a91d0e84b7f";
    public const string Model = "gpt-image-2";
    public const string Prompt = "a lighthouse at dawn, long exposure";

    public static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
}

/// <summary>Progress lines on stderr, so that stdout holds only the table.</summary>
internal static class Log
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Line(string text) => Console.Error.WriteLine($"[{Clock.Elapsed.TotalSeconds,6:0.0}s] {text}");
}
