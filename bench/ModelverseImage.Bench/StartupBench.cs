namespace ModelverseImage.Bench;

/// <summary>
/// 3. Startup: Import-Module of the built module in fresh runspaces of this (already warm) process, the first
/// runspace not counted, and time to first request (import + one New-MvImage round trip); then the same in
/// fresh processes, where nothing of PowerShell or the module is loaded or compiled yet; then Import-Module in
/// fresh real pwsh processes (`dotnet pwsh`, the repository's tool manifest: pwsh 7.6.9), as users meet it.
/// </summary>
internal static class StartupBench
{
    private const string Area = "3 startup";
    private const double ImportTargetMs = 250;
    private const double RealPwshImportTargetMs = 150;
    private const int RealPwshRuns = 5;

    // Timed inside the child, so pwsh's own start-up is not counted: the figure is the Import-Module call alone.
    private const string RealPwshImport =
        "$clock = [Diagnostics.Stopwatch]::StartNew(); Import-Module $env:MV_BENCH_MANIFEST -ErrorAction Stop; " +
        "'import-ms=' + $clock.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)";
    private const string FirstRequest = "$null = New-MvImage -Prompt $args[0]";

    // The fresh-process scripts: what a user's first image in a new shell runs (address and key from the environment).
    private const double FreshFirstImageTargetMs = 250;
    private const string ImportScript = "Import-Module $env:MV_BENCH_MANIFEST -ErrorAction Stop\n";
    private const string FirstImageScript = "$null = New-MvImage -Prompt 'a lighthouse at dawn' -Size 1024x1024 -ErrorAction Stop\n";

    public static async Task RunAsync(FakeModelverseApi api, BenchOptions options, Report report)
    {
        api.Reset();
        api.ExpectedApiKey = Bench.ApiKey;
        api.IncompressibleImages = false; // the default 1024x1024 gradient

        var imports = new List<double>();
        var firsts = new List<double>();
        Log.Line($"startup: {options.ImportRuns} fresh runspaces in this process (+1 not counted)");
        for (var i = 0; i <= options.ImportRuns; i++)
        {
            var (import, first) = FreshRunspace(api.BaseUri);
            if (i > 0)
            {
                imports.Add(import);
                firsts.Add(first);
            }
        }

        var importMs = Measure.Median(imports);
        var budget = $"budget {ImportTargetMs:0} ms";
        report.Check(Area, $"Import-Module, fresh runspace, warm process (median of {options.ImportRuns})", Fmt.Ms(importMs), budget,
            Fmt.Ratio(importMs / ImportTargetMs), $"< {ImportTargetMs:0} ms", importMs < ImportTargetMs);
        report.Info(Area, $"first request: import + New-MvImage, warm process (median of {options.ImportRuns})", Fmt.Ms(Measure.Median(firsts)));

        Log.Line($"startup: {options.ColdProcessRuns} fresh process(es)");
        var cold = new List<Dictionary<string, string>>();
        for (var i = 0; i < options.ColdProcessRuns; i++)
        {
            cold.Add(await Child.StartAsync("startup", api.BaseUri.AbsoluteUri));
        }

        var coldRuns = options.ColdProcessRuns == 1 ? "1 process" : $"median of {options.ColdProcessRuns} processes";
        double ColdMedian(string key) => Measure.Median(cold.Select(c => c.Number(key)));
        report.Info(Area, $"first runspace of a fresh process, before the import ({coldRuns})", Fmt.Ms(ColdMedian("runspace")));
        var coldImport = ColdMedian("import");
        report.Check(Area, $"Import-Module, fresh process ({coldRuns})", Fmt.Ms(coldImport), budget, Fmt.Ratio(coldImport / ImportTargetMs),
            $"< {ImportTargetMs:0} ms", coldImport < ImportTargetMs);
        report.Info(Area, $"first request: import + New-MvImage, fresh process ({coldRuns})", Fmt.Ms(ColdMedian("first")));

        await FreshPwshScriptAsync(api, options, report);

        Log.Line($"startup: {RealPwshRuns} fresh real pwsh processes (dotnet pwsh)");
        var real = new List<double>();
        for (var i = 0; i < RealPwshRuns; i++) real.Add(await RealPwshImportAsync(RepoPaths.ModuleManifest));
        var realMs = Measure.Median(real);
        report.Check(Area, $"Import-Module, fresh real pwsh 7.6.9 process (median of {RealPwshRuns}; runs {string.Join(", ", real.Select(r => r.ToString("0")))} ms)",
            Fmt.Ms(realMs), $"budget {RealPwshImportTargetMs:0} ms", Fmt.Ratio(realMs / RealPwshImportTargetMs), $"< {RealPwshImportTargetMs:0} ms", realMs < RealPwshImportTargetMs);
        api.Reset();
    }

    /// <summary>
    /// A user's first image in a new shell, whole processes timed from outside: `pwsh -NoProfile -File script.ps1`
    /// that imports the module and makes one 1024x1024 image from the stand-in, minus a bare `pwsh -NoProfile -c exit`;
    /// and a script that only imports, which splits the difference into its import and first-request parts. The three
    /// run in turn in every round (the first round not counted, the order rotated), and each part is the median of
    /// its per-round differences, so the machine's drift from round to round cancels out.
    /// </summary>
    private static async Task FreshPwshScriptAsync(FakeModelverseApi api, BenchOptions options, Report report)
    {
        var folder = Directory.CreateTempSubdirectory("mvbench-fresh-");
        try
        {
            var importScript = Path.Combine(folder.FullName, "import.ps1");
            var firstScript = Path.Combine(folder.FullName, "first-image.ps1");
            File.WriteAllText(importScript, ImportScript);
            File.WriteAllText(firstScript, ImportScript + FirstImageScript);
            var environment = new Dictionary<string, string>
            {
                ["MV_BENCH_MANIFEST"] = RepoPaths.ModuleManifest,
                ["MODELVERSE_BASE_URL"] = api.BaseUri.AbsoluteUri,
                ["MODELVERSE_API_KEY"] = Bench.ApiKey,
            };
            string[][] variants =
            [
                ["-NoProfile", "-c", "exit"],
                ["-NoProfile", "-File", importScript],
                ["-NoProfile", "-File", firstScript],
            ];

            var rounds = options.FreshProcessRounds;
            Log.Line($"startup: fresh `pwsh -NoProfile -File` processes, bare / import / import + 1K image, {rounds} rounds (+1 not counted)");
            var times = variants.Select(_ => new List<double>()).ToArray();
            var served = api.Requests.Count;
            for (var round = 0; round <= rounds; round++)
            {
                for (var k = 0; k < variants.Length; k++)
                {
                    var v = (round + k) % variants.Length;
                    var ms = await WholePwshProcessAsync(variants[v], environment);
                    if (round > 0) times[v].Add(ms);
                }
            }

            if (api.Requests.Count - served != rounds + 1)
            {
                throw new InvalidOperationException($"the stand-in answered {api.Requests.Count - served} requests from the fresh processes, expected {rounds + 1}");
            }

            var (bare, import, first) = (times[0], times[1], times[2]);
            double MedianOf(List<double> a, List<double> b) => Measure.Median(a.Zip(b, (x, y) => x - y));
            var total = MedianOf(first, bare);
            var what = $"median of {rounds} interleaved rounds";
            report.Info(Area, $"fresh `pwsh -NoProfile -c exit`, whole process ({what})", Fmt.Ms(Measure.Median(bare)));
            report.Check(Area, $"fresh `pwsh -NoProfile -File`: import + one 1K New-MvImage, minus the bare pwsh ({what})", Fmt.Ms(total),
                $"budget {FreshFirstImageTargetMs:0} ms", Fmt.Ratio(total / FreshFirstImageTargetMs), $"<= {FreshFirstImageTargetMs:0} ms", total <= FreshFirstImageTargetMs);
            report.Info(Area, "  of which the import: import-only script minus the bare pwsh", Fmt.Ms(MedianOf(import, bare)));
            report.Info(Area, "  of which the first request: import + image minus import-only script", Fmt.Ms(MedianOf(first, import)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One `dotnet pwsh` with <paramref name="arguments"/>, timed from its start to its exit; it must exit 0.</summary>
    private static async Task<double> WholePwshProcessAsync(string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("pwsh");
        foreach (var arg in arguments) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet pwsh did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet pwsh {string.Join(' ', arguments)} failed (exit code {process.ExitCode}; run `dotnet tool restore` first): {await error}{await output}");
        return ms;
    }

    /// <summary>
    /// One `dotnet pwsh -NoProfile` (pwsh 7.6.9 from .config/dotnet-tools.json; `dotnet tool restore` first) that
    /// imports <paramref name="manifest"/> and reports how long Import-Module took.
    /// </summary>
    public static async Task<double> RealPwshImportAsync(string manifest)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", RealPwshImport }) start.ArgumentList.Add(arg);
        start.Environment["MV_BENCH_MANIFEST"] = manifest;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet pwsh did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = (await output).Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("import-ms=", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line == null)
            throw new InvalidOperationException($"dotnet pwsh failed (exit code {process.ExitCode}; run `dotnet tool restore` first): {await error}{await output}");
        return double.Parse(line.Substring("import-ms=".Length), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>In a child process: runspace, then the timed import and first request.</summary>
    public static Dictionary<string, string> ColdProcess(Uri baseUri)
    {
        var clock = Stopwatch.StartNew();
        using var ps = new PsSession(importModule: false);
        var runspace = clock.Elapsed.TotalMilliseconds;
        if (ModuleAssemblyLoaded())
        {
            throw new InvalidOperationException("ModelverseImage.Cmdlets was loaded before Import-Module: the cold start would not be cold");
        }

        var (import, first) = ImportAndFirstRequest(ps, baseUri);
        if (!ModuleAssemblyLoaded())
        {
            throw new InvalidOperationException("Import-Module did not load ModelverseImage.Cmdlets");
        }
        return new Dictionary<string, string>
        {
            ["runspace"] = Child.Text(runspace),
            ["import"] = Child.Text(import),
            ["first"] = Child.Text(first),
        };
    }

    private static bool ModuleAssemblyLoaded() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "ModelverseImage.Cmdlets");

    private static (double ImportMs, double FirstRequestMs) FreshRunspace(Uri baseUri)
    {
        using var ps = new PsSession(importModule: false);
        return ImportAndFirstRequest(ps, baseUri);
    }

    /// <summary>Times Import-Module, and import plus the first New-MvImage (its defaults are set beforehand).</summary>
    private static (double ImportMs, double FirstRequestMs) ImportAndFirstRequest(PsSession ps, Uri baseUri)
    {
        ps.UseStandIn(baseUri, Bench.ApiKey);
        var clock = Stopwatch.StartNew();
        ps.ImportModule();
        var import = clock.Elapsed.TotalMilliseconds;
        ps.Invoke(FirstRequest, Bench.Prompt);
        return (import, clock.Elapsed.TotalMilliseconds);
    }
}
