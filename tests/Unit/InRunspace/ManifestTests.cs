using System.Management.Automation.Language;

namespace ModelverseImage.Tests.InRunspace;

public sealed class ManifestTests
{
    private static readonly string[] Cmdlets = { "Edit-MvImage", "Import-MvImage", "New-MvImage", "New-MvImageMask", "Save-MvImage", "Test-MvImageSize" };

    [Fact]
    public void TestModuleManifestPassesOnTheBuiltModule()
    {
        using var ps = new PsSession(importModule: false);
        var r = ps.Run("Test-ModuleManifest -Path $args[0] -ErrorAction Stop", RepoPaths.ModuleManifest);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        var info = Assert.IsType<PSModuleInfo>(Assert.Single(r.Output).BaseObject);
        Assert.Equal("ModelverseImage", info.Name);
        Assert.Contains("Core", info.CompatiblePSEditions);
        Assert.Contains("Desktop", info.CompatiblePSEditions);
    }

    [Fact]
    public void ImportedModuleExportsExactlyTheCmdlets()
    {
        using var ps = new PsSession();
        var r = ps.Run("(Get-Module ModelverseImage).ExportedCommands.Keys");
        Assert.Equal(Cmdlets, r.Output.Select(o => o.ToString()).OrderBy(s => s, StringComparer.Ordinal));
    }

    [Fact]
    public void ManifestHasNoWildcardsAndTrueGalleryData()
    {
        var ast = Parser.ParseFile(Path.Combine(RepoPaths.RepoRoot, "ModelverseImage.psd1"), out _, out ParseError[] errors);
        Assert.Empty(errors);
        var data = (System.Collections.Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue();
        Assert.Equal(Cmdlets, ((object[])data["CmdletsToExport"]!).Cast<string>().OrderBy(s => s, StringComparer.Ordinal));
        foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
            Assert.Empty((object[])data[key]!);
        Assert.Equal("5.1", data["PowerShellVersion"]);
        var psData = (System.Collections.Hashtable)((System.Collections.Hashtable)data["PrivateData"]!)["PSData"]!;
        var tags = ((object[])psData["Tags"]!).Cast<string>().ToList();
        foreach (var tag in new[] { "PSEdition_Core", "PSEdition_Desktop", "Windows", "Linux", "MacOS" })
            Assert.Contains(tag, tags);
        // Issue 26 item 12: the release notes name every cmdlet; no address is published that nobody owns (the README
        // says where the module lives, and LICENSE ships in the module folder).
        string notes = Assert.IsType<string>(psData["ReleaseNotes"]);
        foreach (var cmdlet in (object[])data["CmdletsToExport"]!)
            Assert.Contains((string)cmdlet, notes);
        Assert.False(psData.ContainsKey("ProjectUri"), "ProjectUri names a repository that does not exist");
        Assert.False(psData.ContainsKey("LicenseUri"), "LicenseUri names a repository that does not exist");
        Assert.DoesNotContain("://", File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "ModelverseImage.psd1")));
    }

    [Fact]
    public void AssemblyVersionComesFromTheManifest()
    {
        using var ps = new PsSession();
        var r = ps.Run("(Get-Module ModelverseImage).Version.ToString(); (Get-Command Test-MvImageSize).ImplementingType.Assembly.GetName().Version.ToString(3)");
        Assert.Equal(r.Output[0].ToString(), r.Output[1].ToString());
    }

    [Fact]
    public void EveryPesterFileParses()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "tests", "Pester"), "*.Tests.ps1");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Parser.ParseFile(file, out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, $"{Path.GetFileName(file)}: {string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}"))}");
        }
    }
}
