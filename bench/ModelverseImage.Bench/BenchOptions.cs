namespace ModelverseImage.Bench;

/// <summary>How much to measure: the full run, or a short smoke run with --quick.</summary>
internal sealed record BenchOptions(bool Quick, IReadOnlySet<int> Sections)
{
    public const string Usage = "usage: dotnet run -c Release --project bench/ModelverseImage.Bench [-- [--quick] [--only 1,2,3,4,5,6,7,8]]";

    /// <summary>Whether section <paramref name="number"/> (1 single image, 2 bulk, 3 startup, 4 long pipeline, 5 streamed 4K, 6 saving marked, 7 rerun, 8 mask) runs.</summary>
    public bool Runs(int number) => Sections.Contains(number);

    public static BenchOptions Parse(string[] args)
    {
        var quick = false;
        var sections = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8 };
        for (int i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    sections = args[++i].Split(',').Select(n => int.TryParse(n, out var k) && k is >= 1 and <= 8 ? k : throw new ArgumentException($"--only takes section numbers 1 to 8, not '{n}'")).ToHashSet();
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{arg}'");
            }
        }

        return new BenchOptions(quick, sections);
    }

    // 1. One image end to end
    public int Runs1K => Quick ? 5 : 15;
    public int Runs4K => Quick ? 3 : 15;
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
    public int FreshProcessRounds => Quick ? 5 : 11;

    // 4. Long pipeline: samples every tenth of the run, compared with the one at a fifth (100 of 500)
    public int LongImages => Quick ? 100 : 500;
    public int SampleEvery => LongImages / 10;
    public int ReferenceSampleAt => LongImages / 5;

    // 7. Rerun: the figure is for 3,000 rows, in the quick run too
    public int RerunRows => 3000;
}
