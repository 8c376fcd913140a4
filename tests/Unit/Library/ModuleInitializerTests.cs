using System.Reflection;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// The loader's rules (ModelverseImage.Loader): which load requests the module answers, with which shipped file.
/// The Windows PowerShell 5.1 path (FrameworkResolver: AppDomain.AssemblyResolve) cannot run here; its decision
/// is <see cref="DependencyCatalog.Find(string)"/>, tested below against the staged dependencies/ folder. The
/// PowerShell 7 path runs for real in tests/Pester/Isolation.Tests.ps1.
/// </summary>
public sealed class ModuleInitializerTests
{
    private static readonly string Dependencies = Path.Combine(RepoPaths.ModuleFolder, DependencyCatalog.FolderName);
    private static readonly DependencyCatalog Catalog = new(Dependencies);

    private static AssemblyName Shipped(string name) => AssemblyName.GetAssemblyName(Path.Combine(Dependencies, name + ".dll"));

    private static string WithVersion(AssemblyName name, Version version)
    {
        var copy = (AssemblyName)name.Clone();
        copy.Version = version;
        return copy.FullName;
    }

    [Fact]
    public void EveryShippedDependencyIsAnsweredAtItsShippedVersion()
    {
        var shipped = InternalHooks.ShippedAssemblies(Catalog).ToList();
        Assert.Contains(shipped, n => n.Name == "RestSharp");
        Assert.Contains(shipped, n => n.Name == "ModelverseImage.Core");
        Assert.Contains(shipped, n => n.Name == "System.Text.Json");
        foreach (var name in shipped)
        {
            var path = Catalog.Find(name.FullName);
            Assert.NotNull(path);
            Assert.Equal(Path.Combine(Dependencies, name.Name + ".dll"), path);
        }
    }

    [Fact]
    public void RestSharpAndTheEngineAreAnsweredOnlyAtTheExactVersion()
    {
        foreach (var name in new[] { Shipped("RestSharp"), Shipped("ModelverseImage.Core") })
        {
            var v = name.Version!;
            Assert.NotNull(Catalog.Find(name.FullName));
            // Someone else's RestSharp 108 (lower) or a newer one: not ours to answer.
            Assert.Null(Catalog.Find(WithVersion(name, new Version(108, 0, 3, 0))));
            Assert.Null(Catalog.Find(WithVersion(name, new Version(v.Major, v.Minor, v.Build + 1, 0))));
            Assert.Null(Catalog.Find(WithVersion(name, new Version(v.Major + 1, 0, 0, 0))));
        }
        // The version the issue saw another module load first.
        Assert.Null(Catalog.Find("RestSharp, Version=108.0.3.0, Culture=neutral, PublicKeyToken=598062e77f915f75"));
    }

    [Fact]
    public void FrameworkPolyfillsAreAnsweredForOlderVersionsAsABindingRedirectWouldButNotNewerOnes()
    {
        var memory = Shipped("System.Memory");
        Assert.NotNull(Catalog.Find(WithVersion(memory, new Version(4, 0, 1, 0))));
        Assert.Null(Catalog.Find(WithVersion(memory, new Version(memory.Version!.Major + 1, 0, 0, 0))));
        var json = Shipped("System.Text.Json");
        Assert.NotNull(Catalog.Find(WithVersion(json, new Version(6, 0, 0, 0))));
        Assert.Null(Catalog.Find(WithVersion(json, new Version(10, 0, 0, 0))));
    }

    [Fact]
    public void OtherTokensNamesWithoutVersionsUnknownAndMalformedNamesAreNotAnswered()
    {
        var restSharp = Shipped("RestSharp");
        Assert.Null(Catalog.Find($"RestSharp, Version={restSharp.Version}, Culture=neutral, PublicKeyToken=0123456789abcdef"));
        Assert.Null(Catalog.Find($"RestSharp, Version={restSharp.Version}, Culture=neutral, PublicKeyToken=null"));
        Assert.Null(Catalog.Find("RestSharp"));
        Assert.Null(Catalog.Find("Not.Shipped.Anywhere, Version=1.0.0.0"));
        Assert.Null(Catalog.Find("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed"));
        Assert.Null(Catalog.Find("..\\..\\evil, Version=1.0.0.0"));
        Assert.Null(Catalog.Find("ModelverseImage.Cmdlets, Version=0.1.0.0")); // beside the manifest, not a dependency
        Assert.Null(Catalog.Find(""));
        Assert.Null(Catalog.Find((string?)null));
        Assert.Null(Catalog.Find("=,=,"));
    }

    [Fact]
    public void AMissingFolderAnswersNothing()
    {
        var empty = new DependencyCatalog(Path.Combine(Path.GetTempPath(), "mv-no-such-folder-" + Guid.NewGuid().ToString("N")));
        Assert.Empty(InternalHooks.ShippedAssemblies(empty));
        Assert.Null(empty.Find(Shipped("RestSharp").FullName));
    }

    [Fact]
    public void ThePrivateContextLeavesPlatformAssembliesToTheDefaultContext()
    {
        var platform = DependencyLoadContext.PlatformAssemblies();
        Assert.Contains("System.Text.Json", platform.Keys);
        Assert.Contains("System.Memory", platform.Keys);
        Assert.Contains("System.Private.CoreLib", platform.Keys);
        Assert.True(File.Exists(platform["System.Text.Json"]));
    }

    /// <summary>
    /// PowerShell 7.2 runs .NET 6, whose System.Text.Json is 6.0: RestSharp 112 asks for 8.0, which the platform
    /// cannot serve, so the shipped copy must load privately. That runtime is not here; the decision is checked.
    /// </summary>
    [Theory]
    [InlineData("8.0.0.0", "10.0.0.0", true)]   // PowerShell 7.6: in-box is newer, shared
    [InlineData("8.0.0.0", "8.0.0.0", true)]    // PowerShell 7.4: the same, shared
    [InlineData("8.0.0.0", "6.0.0.0", false)]   // PowerShell 7.2 (.NET 6): too old, the shipped copy loads
    [InlineData(null, "6.0.0.0", true)]         // no version asked: the platform's
    [InlineData("8.0.0.0", null, true)]         // platform version unreadable: left to the default context
    public void ThePlatformServesOnlyVersionsItHas(string? requested, string? platform, bool serves) =>
        Assert.Equal(serves, DependencyLoadContext.PlatformServes(requested is null ? null : new Version(requested), platform is null ? null : new Version(platform)));
}

/// <summary>
/// The import count is process-wide state: these tests run alone (no other test runs beside them, in this collection
/// or another), so the count before each step is the test's own and every change is its own import or removal.
/// </summary>
[CollectionDefinition(nameof(ProcessWideImports), DisableParallelization = true)]
public sealed class ProcessWideImports;

[Collection(nameof(ProcessWideImports))]
public sealed class ModuleInitializerImportTests
{
    private static int Import(PsSession ps)
    {
        Assert.Empty(ps.Run("Import-Module $args[0]", RepoPaths.ModuleManifest).Errors);
        return InternalHooks.ActiveImports;
    }

    private static int Remove(PsSession ps)
    {
        Assert.Empty(ps.Run("Remove-Module ModelverseImage").Errors);
        return InternalHooks.ActiveImports;
    }

    [Fact]
    public void OnPowerShell7EachImportCountsOnceAndRemoveModuleTakesItBack()
    {
        Assert.False(ModuleInitializer.IsNetFramework);
        using var first = new PsSession(importModule: false);
        using var second = new PsSession(importModule: false);
        int before = InternalHooks.ActiveImports;
        Assert.Equal(before + 1, Import(first));
        Assert.Equal(before + 2, Import(second));
        Assert.Equal(before + 1, Remove(second));
        Assert.Equal(before + 2, Import(second));
        Assert.Equal(new[] { true }, second.Run("Test-MvImageSize 1024x1024").Objects<bool>());
        Assert.Equal(before + 1, Remove(first));
        Assert.Equal(before, Remove(second));
    }
}
