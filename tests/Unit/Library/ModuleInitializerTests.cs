using ModelverseImage.Tests.Harness;
using Xunit;

namespace ModelverseImage.Tests.Library;

public sealed class ModuleInitializerTests
{
    [Fact]
    public void ShippedAssembliesResolveAtAnyVersionAndOthersDoNot()
    {
        var restSharp = ModuleInitializer.ResolveShipped(null, new ResolveEventArgs("RestSharp, Version=999.0.0.0, Culture=neutral, PublicKeyToken=598062e77f915f75"));
        Assert.NotNull(restSharp);
        Assert.Equal("RestSharp", restSharp!.GetName().Name);
        Assert.Null(ModuleInitializer.ResolveShipped(null, new ResolveEventArgs("Not.Shipped.Anywhere, Version=1.0.0.0")));
        Assert.Null(ModuleInitializer.ResolveShipped(null, new ResolveEventArgs("..\\..\\evil, Version=1.0.0.0")));
    }

    [Fact]
    public void NothingIsRegisteredOnPowerShell7()
    {
        Assert.False(ModuleInitializer.IsNetFramework);
        using var ps = new PsSession();
        Assert.Empty(ps.Run("Remove-Module ModelverseImage; Import-Module $args[0]", ModulePaths.ModuleManifest).Errors);
    }
}
