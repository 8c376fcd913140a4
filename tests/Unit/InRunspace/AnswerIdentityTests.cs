namespace ModelverseImage.Tests.InRunspace;

/// <summary>
/// Issue #20 item 22: every answer has an identity that is never empty (AnswerId: the request id, else one the
/// module makes), so the README's tokens-of-a-run recipe counts each request once, with or without request ids.
/// </summary>
public sealed class AnswerIdentityTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public AnswerIdentityTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void TheTokenRecipeCountsEachRequestOnceWithoutRequestIds()
    {
        _s.Api.Enqueue(new Fault(FaultKind.NoRequestId), new Fault(FaultKind.NoRequestId));
        var r = _s.Run(@"
            $images = 'a cat', 'a dog' | New-MvImage -Count 2 -ThrottleLimit 1
            $perImage = ($images | Measure-Object -Sum { $_.Usage.TotalTokens }).Sum
            $recipe = ($images | Where-Object Usage | Sort-Object AnswerId -Unique | Measure-Object -Sum { $_.Usage.TotalTokens }).Sum
            [pscustomobject]@{ Ids = @($images.AnswerId); PerImage = $perImage; Recipe = $recipe }");
        Assert.Empty(r.Errors);
        var result = r.Output.Single();
        var ids = ((object[])result.Prop<object>("Ids")).Select(i => i?.ToString()).ToArray();
        Assert.Equal(4, ids.Length);
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(2, ids.Distinct().Count()); // one per answer, shared by its two images
        Assert.Equal(result.Prop<long>("PerImage") / 2, result.Prop<long>("Recipe"));
    }
}
