using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ModelverseImage.Tests.Harness;
using Xunit;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// The shipped assemblies must load on PowerShell 7.4 (.NET 8) beside what it already ships: no reference
/// may need a framework assembly newer than .NET 8's, and the shipped assemblies must agree with each other.
/// </summary>
public sealed class ShippedAssemblyTests
{
    private static readonly Version DotNet8 = new(8, 0, 0, 0);

    private static Dictionary<string, (AssemblyName Name, List<AssemblyName> References)> Shipped()
    {
        var result = new Dictionary<string, (AssemblyName, List<AssemblyName>)>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.GetFiles(ModulePaths.ModuleFolder, "*.dll"))
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var md = pe.GetMetadataReader();
            var name = md.GetAssemblyDefinition().GetAssemblyName();
            var references = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h).GetAssemblyName()).ToList();
            result[name.Name!] = (name, references);
        }
        return result;
    }

    [Fact]
    public void NoReferenceNeedsMoreThanPowerShell74Ships()
    {
        var shipped = Shipped();
        Assert.Contains("ModelverseImage.Cmdlets", shipped.Keys);
        Assert.Contains("RestSharp", shipped.Keys);
        var problems = new List<string>();
        foreach (var (name, references) in shipped.Values)
        {
            foreach (var reference in references)
            {
                if (shipped.TryGetValue(reference.Name!, out var target))
                {
                    if (target.Name.Version < reference.Version)
                        problems.Add($"{name.Name} wants {reference.Name} {reference.Version} but {target.Name.Version} is shipped");
                    continue;
                }
                var limit = reference.Name switch
                {
                    "netstandard" => new Version(2, 1, 0, 0),
                    "System.Management.Automation" => new Version(7, 4, 0, 0),
                    _ => DotNet8,
                };
                bool framework = reference.Name == "netstandard" || reference.Name == "mscorlib" || reference.Name!.StartsWith("System", StringComparison.Ordinal) || reference.Name.StartsWith("Microsoft.", StringComparison.Ordinal);
                if (!framework) problems.Add($"{name.Name} needs {reference.Name}, which is neither shipped nor part of PowerShell");
                else if (reference.Version > limit) problems.Add($"{name.Name} needs {reference.Name} {reference.Version}, newer than PowerShell 7.4 has ({limit})");
            }
        }
        // Framework assemblies shipped for Windows PowerShell 5.1 must not be newer than .NET 8's either.
        foreach (var (name, _) in shipped.Values.Where(a => a.Name.Name!.StartsWith("System.", StringComparison.Ordinal) || a.Name.Name!.StartsWith("Microsoft.Bcl", StringComparison.Ordinal)))
        {
            if (name.Version > DotNet8) problems.Add($"shipped {name.Name} {name.Version} is newer than .NET 8's");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheModuleFolderHoldsOnlyTheAllowList()
    {
        var files = Directory.GetFiles(ModulePaths.ModuleFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ModulePaths.ModuleFolder, f).Replace('\\', '/')).ToList();
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb") || f.EndsWith(".deps.json") || f.EndsWith(".xml") && !f.StartsWith("en-US/") || f.Contains("Test") || f.Contains("FakeApi"));
        foreach (var required in new[] { "ModelverseImage.psd1", "ModelverseImage.Cmdlets.dll", "RestSharp.dll", "ModelverseImage.Format.ps1xml", "LICENSE" })
            Assert.Contains(required, files);
    }

    [Fact]
    public void EveryFileTheManifestNamesIsShipped()
    {
        var ast = System.Management.Automation.Language.Parser.ParseFile(ModulePaths.ModuleManifest, out _, out var errors);
        Assert.Empty(errors);
        var data = (System.Collections.Hashtable)ast.Find(a => a is System.Management.Automation.Language.HashtableAst, false)!.SafeGetValue();
        var named = new List<string> { (string)data["RootModule"]! };
        named.AddRange(((object[])data["FormatsToProcess"]!).Cast<string>());
        named.AddRange(((object[])data["TypesToProcess"]!).Cast<string>());
        foreach (var file in named)
            Assert.True(File.Exists(Path.Combine(ModulePaths.ModuleFolder, file)), file + " is named by the manifest but not shipped");
    }
}
