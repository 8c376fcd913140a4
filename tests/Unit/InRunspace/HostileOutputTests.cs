using System.Text.RegularExpressions;

namespace ModelverseImage.Tests.InRunspace;

/// <summary>Issue #20, items 18 and 23: what -WhatIf, -Verbose and progress show is the address used, and says each thing once.</summary>
public sealed class HostileOutputTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public HostileOutputTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void WhatIfShowsTheAddressActuallyUsedWhenTheBaseHasAQuery()
    {
        // ShouldProcess's verbose line is the -WhatIf text ("... on target 'gpt-image-2 at <address>'").
        var r = _s.Run("New-MvImage 'a cat' -BaseUri ($args[0] + '?api-version=2024-10') -Verbose", _s.Api.BaseUri.ToString());
        Assert.Empty(r.Errors);
        string shown = string.Join("\n", r.Verbose.Select(v => v.Message));
        Assert.Equal("?api-version=2024-10", _s.Api.Requests.Single().Query);
        Assert.Contains("/v1/images/generations?api-version=2024-10", shown);
        Assert.DoesNotContain("?api-version=2024-10/images", shown);
    }

    [Fact]
    public void TheProgressLineNamesThePromptOnce()
    {
        var r = _s.Run("New-MvImage 'a cat' -PartialImages 2");
        Assert.Empty(r.Errors);
        var withPartial = r.Progress.Where(p => (p.StatusDescription ?? string.Empty).Contains("partial")).ToList();
        Assert.NotEmpty(withPartial);
        Assert.All(withPartial, p => Assert.Single(Regex.Matches(p.StatusDescription, "'a cat'")));
    }
}
