using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// The shipped assemblies must load on PowerShell 7.4 (.NET 8) beside what it already ships: no reference
/// may need a framework assembly newer than .NET 8's, and the shipped assemblies must agree with each other.
/// The layout isolates the dependencies: beside the manifest only the loader and the cmdlets; the engine,
/// RestSharp and the 5.1 set in dependencies/, which no probing looks at.
/// </summary>
public sealed class ShippedAssemblyTests
{
    private static readonly Version DotNet8 = new(8, 0, 0, 0);
    private static readonly string DependencyFolder = Path.Combine(RepoPaths.ModuleFolder, "dependencies");

    private static Dictionary<string, (AssemblyName Name, List<AssemblyName> References)> Shipped()
    {
        var result = new Dictionary<string, (AssemblyName, List<AssemblyName>)>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.GetFiles(RepoPaths.ModuleFolder, "*.dll", SearchOption.AllDirectories))
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
        Assert.Contains("ModelverseImage.Core", shipped.Keys);
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
        var files = Directory.GetFiles(RepoPaths.ModuleFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.ModuleFolder, f).Replace('\\', '/')).ToList();
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb") || f.EndsWith(".deps.json") || f.EndsWith(".xml") && !f.StartsWith("en-US/") || f.Contains("Test") || f.Contains("FakeApi"));
        foreach (var required in new[] { "ModelverseImage.psd1", "ModelverseImage.Loader.dll", "ModelverseImage.Cmdlets.dll", "dependencies/ModelverseImage.Core.dll", "dependencies/RestSharp.dll", "dependencies/System.Text.Json.dll", "ModelverseImage.Format.ps1xml", "LICENSE" })
            Assert.Contains(required, files);
    }

    [Fact]
    public void OnlyTheLoaderTheCmdletsAndTheContractsSitBesideTheManifest()
    {
        // Everything else would be found by ordinary probing and loaded into the default context; the contracts belong there.
        var beside = Directory.GetFiles(RepoPaths.ModuleFolder, "*.dll").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal);
        Assert.Equal(new[] { "ModelverseImage.Cmdlets.dll", "ModelverseImage.Contracts.dll", "ModelverseImage.Loader.dll" }, beside);
        Assert.Equal(new[] { "dependencies", "en-US" }, Directory.GetDirectories(RepoPaths.ModuleFolder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
    }

    [Fact]
    public void TheCmdletsAndTheLoaderReferenceNoThirdPartyAssembly()
    {
        var shipped = Shipped();
        foreach (var name in new[] { "ModelverseImage.Cmdlets", "ModelverseImage.Loader" })
        {
            var references = shipped[name].References.Select(r => r.Name!).ToList();
            Assert.DoesNotContain("RestSharp", references);
            Assert.DoesNotContain("System.Text.Json", references);
        }
        Assert.DoesNotContain("ModelverseImage.Core", shipped["ModelverseImage.Loader"].References.Select(r => r.Name));
    }

    [Fact]
    public void NoPublicSignatureExposesARestSharpType()
    {
        // The engine's public API is its own types and the BCL's: what crosses from the private load context
        // into the cmdlets must mean the same type on both sides.
        var problems = new List<string>();
        foreach (var assembly in new[] { typeof(Api.ModelverseClient).Assembly, typeof(Commands.NewMvImageCommand).Assembly })
        {
            foreach (var type in assembly.GetExportedTypes())
            {
                var used = new List<Type?> { type.BaseType };
                used.AddRange(type.GetInterfaces());
                foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    switch (member)
                    {
                        case MethodBase m:
                            used.AddRange(m.GetParameters().Select(p => p.ParameterType));
                            if (m is MethodInfo mi) used.Add(mi.ReturnType);
                            break;
                        case PropertyInfo p: used.Add(p.PropertyType); break;
                        case FieldInfo f: used.Add(f.FieldType); break;
                        case EventInfo e: used.Add(e.EventHandlerType); break;
                    }
                }
                foreach (var t in used.Where(t => t != null))
                {
                    var name = t!.Assembly.GetName().Name;
                    if (name == "RestSharp") problems.Add($"{type.FullName} exposes {t.FullName}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryFileTheManifestNamesIsShipped()
    {
        var ast = System.Management.Automation.Language.Parser.ParseFile(RepoPaths.ModuleManifest, out _, out var errors);
        Assert.Empty(errors);
        var data = (System.Collections.Hashtable)ast.Find(a => a is System.Management.Automation.Language.HashtableAst, false)!.SafeGetValue();
        var named = new List<string> { (string)data["RootModule"]! };
        named.AddRange(((object[])data["NestedModules"]!).Cast<string>());
        named.AddRange(((object[])data["FormatsToProcess"]!).Cast<string>());
        named.AddRange(((object[])data["TypesToProcess"]!).Cast<string>());
        Assert.Contains("ModelverseImage.Loader.dll", named);
        foreach (var file in named)
            Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleFolder, file)), file + " is named by the manifest but not shipped");
    }
}
