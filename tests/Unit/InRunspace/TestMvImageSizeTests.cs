namespace ModelverseImage.Tests.InRunspace;

public sealed class TestMvImageSizeTests : IDisposable
{
    private readonly PsSession _ps = new();

    public void Dispose() => _ps.Dispose();

    [Fact]
    public void ValidSizeIsTrue()
    {
        var r = _ps.Run("Test-MvImageSize -Size 1024x1536");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { true }, r.Objects<bool>());
    }

    /// <summary>Issue 26 item 7: with no size at all it said False, silently; a missing argument is an error.</summary>
    [Theory]
    [InlineData("Test-MvImageSize")]
    [InlineData("Test-MvImageSize -Detailed")]
    public void NoSizeAtAllIsAnErrorNotFalse(string command)
    {
        var r = _ps.Run(command);
        Assert.Empty(r.Output);
        Assert.StartsWith("MissingMandatoryParameter,", r.TheError().FullyQualifiedErrorId);
        Assert.Contains("Size", r.TheError().Exception.Message);
    }

    [Fact]
    public void PipelineGivesOneBoolEach()
    {
        var r = _ps.Run("'1000x1000','2048x2048','auto' | Test-MvImageSize");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { false, true, true }, r.Objects<bool>());
    }

    [Fact]
    public void WidthAndHeightParameters()
    {
        var r = _ps.Run("Test-MvImageSize -Width 3840 -Height 2160; Test-MvImageSize -Width 3840 -Height 2176");
        Assert.Equal(new[] { true, false }, r.Objects<bool>());
    }

    [Fact]
    public void BindsWidthHeightAndSizeByPropertyName()
    {
        var r = _ps.Run("[pscustomobject]@{ Width = 1024; Height = 640 }, [pscustomobject]@{ Width = 1008; Height = 640 }, [pscustomobject]@{ Size = '2048x1152' } | Test-MvImageSize");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { true, false, true }, r.Objects<bool>());
    }

    [Fact]
    public void BindsWidthAndHeightFromCsvText()
    {
        var r = _ps.Run("'Width,Height', '1024,1024', '1000,1000' | ConvertFrom-Csv | Test-MvImageSize -Detailed");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "1024x1024", "1000x1000" }, r.SizeChecks().Select(check => check.Prop<string>("Size")));
        Assert.Equal(new[] { true, false }, r.SizeChecks().Select(check => check.Prop<bool>("IsValid")));
    }

    [Fact]
    public void AnObjectWithoutSizePropertiesIsNotTestedAsText()
    {
        var r = _ps.Run("[pscustomobject]@{ Foo = 1 } | Test-MvImageSize");
        Assert.Equal("InputObjectNotBound,ModelverseImage.Commands.TestMvImageSizeCommand", r.TheError().FullyQualifiedErrorId);
        Assert.Empty(r.Objects<bool>());
    }

    [Theory]
    [InlineData("big")]
    [InlineData("0x0")]
    [InlineData("-16x32")]
    [InlineData("１０２４x１０２４")]
    [InlineData("")]
    [InlineData("1024x")]
    [InlineData("99999999x16")]
    public void MalformedIsFalseNeverAnException(string size)
    {
        var r = _ps.Run("Test-MvImageSize -Size $args[0]; Test-MvImageSize -Size $args[0] -Detailed", size);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.False(r.Objects<bool>().Single());
        var detail = r.SizeChecks().Single();
        Assert.False(detail.Prop<bool>("IsValid"));
        Assert.NotEmpty(detail.Prop<string[]>("Problems"));
    }

    [Fact]
    public void NullIsFalse()
    {
        var r = _ps.Run("Test-MvImageSize -Size $null; $null | Test-MvImageSize -Detailed");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.False(r.Objects<bool>().Single());
        Assert.Contains("No size", r.SizeChecks().Single().Prop<string[]>("Problems")[0]);
    }

    [Fact]
    public void DetailedExplainsAndSuggests()
    {
        var r = _ps.Run("'1000x1000','4000x3000','1024x1536' | Test-MvImageSize -Detailed");
        var checks = r.SizeChecks();
        Assert.Equal(3, checks.Count);

        var square = checks[0];
        Assert.Equal(1000, square.Prop<int>("Width"));
        Assert.Equal(1_000_000, square.Prop<long>("Pixels"));
        Assert.Equal(1.0, square.Prop<double>("AspectRatio"));
        Assert.Contains(square.Prop<string>("Suggested"), new[] { "1008x1008", "992x992" });
        Assert.Equal(2, square.Prop<string[]>("Problems").Length);
        Assert.Contains("multiple of 16", square.Prop<string[]>("Problems")[0]);

        var big = checks[1];
        Assert.Contains(big.Prop<string[]>("Problems"), p => p.Contains("longer edge is 4000"));
        Assert.Contains(big.Prop<string[]>("Problems"), p => p.Contains("12,000,000 pixels"));
        // The suggestion passes the module's own check, keeping the 4:3 shape.
        var suggested = _ps.Run("Test-MvImageSize -Size $args[0]; Test-MvImageSize -Size $args[0] -Detailed", big.Prop<string>("Suggested"));
        Assert.Empty(suggested.Errors);
        Assert.Equal(new[] { true }, suggested.Objects<bool>());
        Assert.InRange(suggested.SizeChecks().Single().Prop<double>("AspectRatio"), 4.0 / 3 * 0.99, 4.0 / 3 * 1.01);

        Assert.True(checks[2].Prop<bool>("IsValid"));
        Assert.Equal("1024x1536", checks[2].Prop<string>("Suggested"));
        Assert.Empty(checks[2].Prop<string[]>("Problems"));
    }

    [Fact]
    public void SizeCompletesOnEveryCmdletWithSize()
    {
        var r = _ps.Run(@"
            Get-Command -Module ModelverseImage | Where-Object { $_.Parameters.ContainsKey('Size') } | ForEach-Object {
                $line = ""$($_.Name) -Size ""
                $c = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
                [pscustomobject]@{ Name = $_.Name; Values = @($c.CompletionMatches.CompletionText) -join ',' }
            }");
        Assert.Empty(r.Errors);
        Assert.NotEmpty(r.Output);
        foreach (var row in r.Output)
        {
            Assert.Equal("1024x1024,1024x1536,1536x1024,2048x2048,2048x1152,2160x3840,auto", row.Properties["Values"].Value);
        }
        var prefix = _ps.Run("$l = 'Test-MvImageSize -Size 20'; [System.Management.Automation.CommandCompletion]::CompleteInput($l, $l.Length, $null).CompletionMatches.CompletionText");
        Assert.Equal(new[] { "2048x2048", "2048x1152" }, prefix.Output.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData("New-MvImage -Model ", "gpt-image-2,gpt-image-1.5,gpt-image-1,gpt-image-1-mini")]
    [InlineData("Edit-MvImage -Model gpt-image-1", "gpt-image-1.5,gpt-image-1,gpt-image-1-mini")]
    [InlineData("New-MvImage -Quality ", "low,medium,high,auto")]
    [InlineData("Edit-MvImage -InputFidelity ", "high,low")]
    [InlineData("New-MvImage -OutputFormat ", "jpeg,png,webp")]
    public void ModelAndSetParametersComplete(string line, string expected)
    {
        var r = _ps.Run("[System.Management.Automation.CommandCompletion]::CompleteInput($args[0], $args[0].Length, $null).CompletionMatches.CompletionText", line);
        Assert.Equal(expected, string.Join(",", r.Output.Select(o => o.ToString())));
    }
}
