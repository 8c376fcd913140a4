using System.Text.RegularExpressions;

namespace ModelverseImage.Tests.InRunspace;

/// <summary>
/// The help users get from Get-Help, read in a real runspace from the built module: every exported cmdlet has
/// written (not auto-generated) help that matches its real parameters, and the about topic ships with the module.
/// The runspace has only the core cmdlets, so the lists are compared here in C#.
/// </summary>
public sealed class HelpTests
{
    private const string AboutTopic = "about_ModelverseImage";

    /// <summary>
    /// Flattens Get-Help -Full of one cmdlet into simple records, one per part: the synopsis, the description, each
    /// example, each parameter, each parameter of each syntax item (Index = the syntax item) and each related link.
    /// </summary>
    private const string HelpScript = @"
        $h = Get-Help -Name $args[0] -Category Cmdlet -Full
        function Part($Kind, $Name, $Text, $Extra) { [pscustomobject]@{ Kind = $Kind; Name = [string]$Name; Text = [string]$Text; Extra = [string]$Extra; Index = 0; Required = ''; Position = ''; Pipeline = ''; Type = '' } }
        function Paras($Value) { (@($Value | ForEach-Object { $_.Text }) -join ""`n"").Trim() }
        Part 'Synopsis' '' $h.Synopsis ''
        Part 'Description' '' (Paras $h.description) ''
        foreach ($e in $h.examples.example) { Part 'Example' $e.title $e.code (Paras $e.remarks) }
        foreach ($l in $h.relatedLinks.navigationLink) { Part 'Link' $l.linkText $l.uri '' }
        foreach ($p in $h.parameters.parameter) {
            $r = Part 'Parameter' $p.name (Paras $p.description) ''
            $r.Required = [string]$p.required; $r.Position = [string]$p.position; $r.Pipeline = [string]$p.pipelineInput; $r.Type = [string]$p.type.name
            $r
        }
        $i = 0
        foreach ($s in $h.syntax.syntaxItem) {
            $i++
            foreach ($p in $s.parameter) { $r = Part 'SyntaxParameter' $p.name '' ''; $r.Index = $i; $r }
        }";

    private sealed record HelpPart(string Kind, string Name, string Text, string Extra, int Index, string Required, string Position, string Pipeline, string Type);

    private sealed record CommandFacts(string Name, IReadOnlyList<CommandParameterSetInfo> Sets, IReadOnlyList<HelpPart> Help)
    {
        public IEnumerable<HelpPart> Parts(string kind) => Help.Where(p => p.Kind == kind);

        public string Text(string kind) => Parts(kind).Select(p => p.Text).FirstOrDefault() ?? string.Empty;

        /// <summary>The cmdlet's own parameters (and WhatIf/Confirm), without the common parameters.</summary>
        public IEnumerable<CommandParameterInfo> RealParameters =>
            Sets.SelectMany(s => s.Parameters).Where(p => !Cmdlet.CommonParameters.Contains(p.Name));

        public HashSet<string> RealNames => new(RealParameters.Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
    }

    private static List<string> ExportedCmdlets(PsSession ps)
    {
        var r = ps.Run("(Get-Module -Name ModelverseImage).ExportedCmdlets.Keys");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        var names = r.Output.Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(names);
        return names;
    }

    private static List<CommandFacts> AllCommands(PsSession ps) => ExportedCmdlets(ps).Select(name => Facts(ps, name)).ToList();

    private static CommandFacts Facts(PsSession ps, string name)
    {
        var sets = ps.Run("(Get-Command -Name $args[0] -CommandType Cmdlet).ParameterSets", name);
        Assert.Null(sets.Terminating);
        var help = ps.Run(HelpScript, name);
        Assert.Null(help.Terminating);
        Assert.True(help.Errors.Count == 0, $"Get-Help {name}: " + string.Join(" | ", help.Errors));
        var parts = help.Output.Select(o => new HelpPart(
            Prop(o, "Kind"), Prop(o, "Name"), Prop(o, "Text"), Prop(o, "Extra"),
            Convert.ToInt32(o.Properties["Index"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Prop(o, "Required"), Prop(o, "Position"), Prop(o, "Pipeline"), Prop(o, "Type"))).ToList();
        return new CommandFacts(name, sets.Objects<CommandParameterSetInfo>().ToList(), parts);
    }

    private static string Prop(PSObject o, string name) => o.Properties[name].Value?.ToString() ?? string.Empty;

    private static void NoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, "Help problems:\n" + string.Join("\n", problems));

    [Fact]
    public void TheModuleShipsTheHelpFiles()
    {
        var folder = Path.Combine(RepoPaths.ModuleFolder, "en-US");
        Assert.True(File.Exists(Path.Combine(folder, "ModelverseImage.Cmdlets.dll-Help.xml")), "MAML help missing from " + folder);
        Assert.True(File.Exists(Path.Combine(folder, AboutTopic + ".help.txt")), "about topic missing from " + folder);
    }

    [Fact]
    public void EveryCmdletHasAWrittenSynopsisAndDescription()
    {
        using var ps = new PsSession();
        var problems = new List<string>();
        foreach (var c in AllCommands(ps))
        {
            string synopsis = c.Text("Synopsis").Trim();
            // Without help, Get-Help makes the synopsis from the syntax: "Name [-Parameter] <type> ...".
            if (synopsis.Length == 0) problems.Add($"{c.Name}: no synopsis");
            else if (synopsis.StartsWith(c.Name, StringComparison.OrdinalIgnoreCase) || Regex.IsMatch(synopsis, @"\[-\w+|\[<CommonParameters>\]"))
                problems.Add($"{c.Name}: the synopsis is the auto-generated syntax line: {synopsis}");
            else if (synopsis.Length < 20) problems.Add($"{c.Name}: the synopsis is too short to help: {synopsis}");

            string description = c.Text("Description");
            if (description.Length < 100) problems.Add($"{c.Name}: the description is missing or a stub: '{description}'");
        }
        NoProblems(problems);
    }

    [Fact]
    public void EveryCmdletHasAtLeastTwoExamplesWithCodeAndRemarks()
    {
        using var ps = new PsSession();
        var problems = new List<string>();
        foreach (var c in AllCommands(ps))
        {
            var examples = c.Parts("Example").ToList();
            if (examples.Count < 2) problems.Add($"{c.Name}: {examples.Count} example(s), at least 2 wanted");
            foreach (var e in examples)
            {
                if (string.IsNullOrWhiteSpace(e.Name)) problems.Add($"{c.Name}: an example has no title");
                if (string.IsNullOrWhiteSpace(e.Text)) problems.Add($"{c.Name}: example '{e.Name}' has no code");
                if (string.IsNullOrWhiteSpace(e.Extra)) problems.Add($"{c.Name}: example '{e.Name}' has no remarks");
            }
            if (!examples.Any(e => e.Text.Contains(c.Name, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"{c.Name}: no example uses the cmdlet itself");
        }
        NoProblems(problems);
    }

    [Fact]
    public void EveryCmdletHasRelatedLinksToTheOthersAndTheAboutTopic()
    {
        using var ps = new PsSession();
        var commands = AllCommands(ps);
        var names = commands.Select(c => c.Name).ToList();
        var problems = new List<string>();
        foreach (var c in commands)
        {
            var links = c.Parts("Link").Select(l => l.Name.Trim()).Where(l => l.Length > 0).ToList();
            if (links.Count == 0) problems.Add($"{c.Name}: no related links");
            if (!links.Contains(AboutTopic, StringComparer.OrdinalIgnoreCase)) problems.Add($"{c.Name}: no link to {AboutTopic}");
            foreach (var other in names.Where(n => n != c.Name && !links.Contains(n, StringComparer.OrdinalIgnoreCase)))
                problems.Add($"{c.Name}: no link to {other}");
            foreach (var link in links.Where(l => l.EndsWith("-MvImage", StringComparison.OrdinalIgnoreCase) || l.EndsWith("-MvImageSize", StringComparison.OrdinalIgnoreCase)))
                if (!names.Contains(link, StringComparer.OrdinalIgnoreCase)) problems.Add($"{c.Name}: links to {link}, which the module does not export");
        }
        NoProblems(problems);
    }

    [Fact]
    public void EveryParameterIsDescribedAndTheHelpNamesNoOtherParameter()
    {
        using var ps = new PsSession();
        var problems = new List<string>();
        foreach (var c in AllCommands(ps))
        {
            Assert.NotEmpty(c.Sets);
            var documented = c.Parts("Parameter").ToList();
            var real = c.RealNames;

            foreach (var name in real.Where(n => !Cmdlet.OptionalCommonParameters.Contains(n)))
            {
                var entry = documented.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (entry == null) problems.Add($"{c.Name}: -{name} is not in the help");
                else if (entry.Text.Length < 20) problems.Add($"{c.Name}: -{name} has no real description: '{entry.Text}'");
            }
            foreach (var d in documented.Where(d => !real.Contains(d.Name)))
                problems.Add($"{c.Name}: the help describes -{d.Name}, which the cmdlet does not have");
            foreach (var d in documented.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                problems.Add($"{c.Name}: -{d.Key} is described {d.Count()} times");
            foreach (var s in c.Parts("SyntaxParameter").Where(s => !real.Contains(s.Name)))
                problems.Add($"{c.Name}: syntax item {s.Index} names -{s.Name}, which the cmdlet does not have");
        }
        NoProblems(problems);
    }

    [Fact]
    public void TheSyntaxHasOneItemPerParameterSetWithExactlyItsParameters()
    {
        using var ps = new PsSession();
        var problems = new List<string>();
        foreach (var c in AllCommands(ps))
        {
            var items = c.Parts("SyntaxParameter").GroupBy(s => s.Index)
                .Select(g => new HashSet<string>(g.Select(s => s.Name), StringComparer.OrdinalIgnoreCase)).ToList();
            if (items.Count != c.Sets.Count)
                problems.Add($"{c.Name}: {items.Count} syntax item(s) for {c.Sets.Count} parameter set(s)");
            foreach (var set in c.Sets)
            {
                var wanted = new HashSet<string>(set.Parameters.Select(p => p.Name).Where(n => !Cmdlet.CommonParameters.Contains(n)), StringComparer.OrdinalIgnoreCase);
                if (!items.Any(i => i.SetEquals(wanted)))
                    problems.Add($"{c.Name}: no syntax item has exactly the parameters of the set '{set.Name}': {string.Join(", ", wanted.OrderBy(n => n, StringComparer.Ordinal))}");
            }
        }
        NoProblems(problems);
    }

    [Fact]
    public void ParameterFactsInTheHelpMatchTheCmdlets()
    {
        using var ps = new PsSession();
        var problems = new List<string>();
        foreach (var c in AllCommands(ps))
        {
            foreach (var group in c.RealParameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
            {
                var entry = c.Parts("Parameter").FirstOrDefault(d => d.Name.Equals(group.Key, StringComparison.OrdinalIgnoreCase));
                if (entry == null) continue; // reported by EveryParameterIsDescribedAndTheHelpNamesNoOtherParameter
                var info = group.ToList();
                string where = $"{c.Name} -{group.Key}";

                string type = info[0].ParameterType.FullName!;
                if (!entry.Type.Equals(type, StringComparison.OrdinalIgnoreCase))
                    problems.Add($"{where}: the help says type {entry.Type}, the cmdlet has {type}");

                bool required = info.Any(p => p.IsMandatory);
                if (!bool.TryParse(entry.Required, out bool helpRequired) || helpRequired != required)
                    problems.Add($"{where}: the help says required '{entry.Required}', the cmdlet says {required}");

                var positions = info.Where(p => p.Position >= 0).Select(p => p.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
                string position = positions.Count == 0 ? "named" : string.Join(",", positions);
                if (!entry.Position.Equals(position, StringComparison.OrdinalIgnoreCase))
                    problems.Add($"{where}: the help says position '{entry.Position}', the cmdlet has {position}");

                bool byValue = info.Any(p => p.ValueFromPipeline);
                bool byName = info.Any(p => p.ValueFromPipelineByPropertyName);
                if (entry.Pipeline.Contains("ByValue", StringComparison.OrdinalIgnoreCase) != byValue
                    || entry.Pipeline.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase) != byName
                    || entry.Pipeline.StartsWith("True", StringComparison.OrdinalIgnoreCase) != (byValue || byName))
                    problems.Add($"{where}: the help says pipeline input '{entry.Pipeline}', the cmdlet has ByValue={byValue}, ByPropertyName={byName}");
            }
        }
        NoProblems(problems);
    }

    [Fact]
    public void TheAboutTopicShipsWithTheModuleAndCoversConfigurationBulkUseAndRunbooks()
    {
        string file = Path.Combine(RepoPaths.ModuleFolder, "en-US", AboutTopic + ".help.txt");
        Assert.True(File.Exists(file), file + " is missing");
        string text = File.ReadAllText(file);
        Assert.Contains(AboutTopic, text);
        foreach (var term in new[] { "MODELVERSE_API_KEY", "ThrottleLimit", "Get-AutomationVariable" })
            Assert.Contains(term, text);
        foreach (var heading in new[] { "TOPIC", "SHORT DESCRIPTION", "LONG DESCRIPTION", "SEE ALSO" })
            Assert.Matches(new Regex("^" + heading + @"\s*$", RegexOptions.Multiline), text);
    }

    /// <summary>
    /// Issue 26 item 2.4: -Resume's help said the key is recorded "in each image's XMP and in the folder's journal,
    /// always", which was never so (the journal held only images saved without their record). It says what the
    /// ledger holds, what counts as saved, the claims and the folder check, in every cmdlet that has -Resume.
    /// </summary>
    [Fact]
    public void ResumeHelpSaysWhatTheLedgerHoldsAndWhatCountsAsSaved()
    {
        using var ps = new PsSession();
        foreach (var name in new[] { "New-MvImage", "Edit-MvImage" })
        {
            string text = string.Join("\n", Facts(ps, name).Help.Where(p => p.Kind == "Parameter" && p.Name == "Resume").Select(p => p.Text));
            Assert.DoesNotContain("in each image's XMP and in the folder's journal", text);
            foreach (var fact in new[] { "ledger .modelverseimage-journal", "for every image it saves", "SHA-256", "regular image file", "claimed", "ResumeFolderNotWritable", "Do not delete the ledger" })
                Assert.Contains(fact, text);
        }
    }

    [Fact]
    public void GetHelpFindsTheAboutTopic()
    {
        using var ps = new PsSession();
        var r = ps.Run("Get-Help -Name $args[0]", AboutTopic);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        string text = string.Join("\n", r.Output.Select(o => o?.ToString()));
        Assert.Contains("MODELVERSE_API_KEY", text);
    }
}
