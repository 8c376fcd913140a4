using System.Text;

namespace ModelverseImage.Tests.InRunspace;

public sealed class SecurityAndLoadTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public SecurityAndLoadTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void TheKeyAppearsInNoStreamObjectOrFile()
    {
        _s.Api.Enqueue(new Fault(FaultKind.Status500), new Fault(FaultKind.Status401), new Fault(FaultKind.ErrorIn200), new Fault(FaultKind.Url));
        // A host that keeps what is written to it: the What-if line (and verbose, debug, warnings) is scanned too.
        using var ps = _s.WithHost();
        var r = ps.Run(@"
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            'one', 'two', 'three' | New-MvImage -ThrottleLimit 1 -MaximumRetryCount 1 | Save-MvImage -PassThru
            New-MvImage 'four' -WhatIf
            $e = $Error | ForEach-Object { $_; $_.Exception; $_.Exception.InnerException }
            $e");
        Assert.NotEmpty(r.Errors);
        Assert.NotEmpty(r.Debug);
        Assert.NotEmpty(r.Images());
        Assert.Contains("What if: ", r.HostText);
        var text = new StringBuilder(r.AllText());
        foreach (var image in r.Images())
        {
            text.Append(image).Append(image.Prop<string>("Path")).Append(image.Prop<string>("RequestId"));
            text.Append(Encoding.Latin1.GetString(image.Bytes()));
        }
        foreach (var file in Directory.GetFiles(_s.Folder, "*", SearchOption.AllDirectories))
        {
            text.Append(file).Append(Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }
        Assert.DoesNotContain(ApiSession.Key, text.ToString());
        Assert.DoesNotContain(ApiSession.Key.Substring(3, 12), text.ToString());
        Assert.All(_s.Api.Requests, q => Assert.Equal("Bearer " + ApiSession.Key, q.Authorization));
    }

    [Fact]
    public void PlainHttpToAnotherHostNeedsTheSwitch()
    {
        var refused = _s.Run("New-MvImage 'x' -BaseUri 'http://192.0.2.1/v1'").TheError();
        Assert.Equal("InvalidBaseUri,ModelverseImage.Commands.NewMvImageCommand", refused.FullyQualifiedErrorId);
        Assert.Contains("-AllowUnencryptedAuthentication", refused.Exception.Message);
        var edit = _s.Run("Edit-MvImage 'x' ./x.png -BaseUri 'http://192.0.2.1/v1'").TheError();
        Assert.Equal("InvalidBaseUri,ModelverseImage.Commands.EditMvImageCommand", edit.FullyQualifiedErrorId);
        // With the switch the address is accepted (-WhatIf: nothing is sent).
        var allowed = _s.Run("New-MvImage 'x' -BaseUri 'http://192.0.2.1/v1' -AllowUnencryptedAuthentication -WhatIf");
        Assert.Empty(allowed.Errors);
    }

    [Fact]
    public void TheBaseUriComesFromTheEnvironmentWhenNotGiven()
    {
        using var environment = new EnvironmentScope("MODELVERSE_BASE_URL", "not a uri");
        var error = _s.Run("$PSDefaultParameterValues.Remove('*-MvImage:BaseUri'); New-MvImage 'x'").TheError();
        Assert.Equal("InvalidBaseUri,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("MODELVERSE_BASE_URL", error.Exception.Message);
    }

    [Fact]
    public void TwoHundredRequestsWithInjectedFaultsAllAddUp()
    {
        _s.Api.FaultRate = 0.10;
        _s.Api.FaultSeed = 7;
        var r = _s.Run("1..200 | ForEach-Object { \"p$_\" } | New-MvImage -ThrottleLimit 16 -MaximumRetryCount 2");
        var prompts = r.Images().Select(i => i.Prop<string>("Prompt")).Concat(r.Errors.Select(e => (string)e.TargetObject)).ToList();
        Assert.Equal(200, prompts.Count);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"p{i}").OrderBy(p => p), prompts.OrderBy(p => p));
        Assert.True(_s.Api.MaxInFlight <= 16);
        Assert.True(_s.Api.Requests.Count > 200, "the faults were injected and retried");
    }

    [Fact]
    public void TheModuleImportsIntoTwoRunspacesOfOneProcess()
    {
        using var first = new PsSession();
        using var second = new PsSession();
        Assert.Equal(new[] { true }, first.Run("Test-MvImageSize 1024x1024").Objects<bool>());
        Assert.Equal(new[] { true }, second.Run("Test-MvImageSize 2048x2048").Objects<bool>());
    }
}
