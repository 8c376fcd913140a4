namespace ModelverseImage.Tests.Harness;

/// <summary>Assertions on a <see cref="PsResult"/>.</summary>
public static class PsResultAssertions
{
    /// <summary>
    /// The one error the run ended with: a script turns a cmdlet's terminating error into a record on the
    /// error stream (and goes on with the next statement), so both places are looked at.
    /// </summary>
    public static ErrorRecord TheError(this PsResult result)
    {
        var all = result.Errors.ToList();
        if (result.Terminating is IContainsErrorRecord container) all.Add(container.ErrorRecord);
        Assert.True(all.Count == 1, "Expected one error, got: " + string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return all[0];
    }

}
