namespace ModelverseImage.Bench;

/// <summary>How much to measure: the full run, or a short smoke run with --quick.</summary>
internal sealed record BenchOptions(bool Quick)
{
    public const string Usage = "usage: dotnet run -c Release --project bench/ModelverseImage.Bench [-- --quick]";

    public static BenchOptions Parse(string[] args)
    {
        var quick = false;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{arg}'");
            }
        }

        return new BenchOptions(quick);
    }

    // 1. One image end to end
    public int Runs1K => Quick ? 5 : 15;
    public int Runs4K => Quick ? 3 : 7;
    public int WarmUps1K => Quick ? 2 : 5;
    public int WarmUps4K => Quick ? 1 : 2;

    /// <summary>Peak working set is sampled in child processes: for both sizes, or only 4K with --quick.</summary>
    public bool PeakFor1K => !Quick;

    // 2. Bulk
    public int BulkRequests => Quick ? 16 : 64;
    public int[] ThrottleLimits { get; } = [1, 4, 8, 16];
    public TimeSpan BulkDelay { get; } = TimeSpan.FromMilliseconds(250);

    // 3. Startup: fresh runspaces in this process (the first is not counted), and fresh processes
    public int ImportRuns => Quick ? 3 : 9;
    public int ColdProcessRuns => Quick ? 1 : 3;

    // 4. Long pipeline: samples every tenth of the run, compared with the one at a fifth (100 of 500)
    public int LongImages => Quick ? 100 : 500;
    public int SampleEvery => LongImages / 10;
    public int ReferenceSampleAt => LongImages / 5;
}
