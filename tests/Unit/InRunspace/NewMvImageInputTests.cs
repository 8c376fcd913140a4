namespace ModelverseImage.Tests.InRunspace;

/// <summary>New-MvImage refuses bad input (parameters, prompts, keys, base URIs, reserved fields) before or instead of sending.</summary>
public sealed class NewMvImageInputTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public NewMvImageInputTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Theory]
    [InlineData("-Size 1000x1000", "Size")]
    [InlineData("-Size big", "Size")]
    [InlineData("-Count 0", "Count")]
    [InlineData("-Count 11", "Count")]
    [InlineData("-OutputCompression 101", "OutputCompression")]
    [InlineData("-OutputCompression -1", "OutputCompression")]
    [InlineData("-Quality ultra", "Quality")]
    [InlineData("-OutputFormat gif", "OutputFormat")]
    public void BadParametersFailAtBindingAndSendNothing(string arguments, string parameter)
    {
        var r = _s.Run($"New-MvImage -Prompt 'x' {arguments}");
        var error = Assert.IsAssignableFrom<ParameterBindingException>(r.TheError().Exception);
        Assert.Equal(parameter, error.ParameterName);
        Assert.Empty(_s.Api.Requests);
    }

    [Theory]
    [InlineData("''")]
    [InlineData("'   '")]
    [InlineData("('x' * 32001)")]
    public void BadPromptsAreRefusedBeforeSending(string prompt)
    {
        var r = _s.Run($"New-MvImage -Prompt {prompt}");
        Assert.IsAssignableFrom<ParameterBindingException>(r.TheError().Exception);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void BadPipelinePromptIsOneErrorAndTheOthersGoOn()
    {
        var r = _s.Run("'a cat', '  ', 'a dog' | New-MvImage -ThrottleLimit 1");
        Assert.Equal(2, r.Images().Count());
        Assert.Single(r.Errors);
        Assert.Equal(2, _s.Api.Requests.Count);
    }

    // Objects that are not text never become a prompt such as "@{Text=a cat}": they bind by property name or not at all.
    [Theory]
    [InlineData("[pscustomobject]@{ Text = 'a cat'; Size = '1024x1024' }")]
    [InlineData("('Promt,Size', 'a cat,1024x1024' | ConvertFrom-Csv)")]
    [InlineData("@{ Prompt = 'a cat' }")]
    [InlineData("@{ Text = 'a cat' }.GetEnumerator()")]
    [InlineData("([uri]'https://example.com/a-cat')")]
    public void PipedObjectsWithoutAPromptAreNotSentAsText(string input)
    {
        var r = _s.Run(input + " | New-MvImage");
        Assert.StartsWith("InputObject", r.TheError().FullyQualifiedErrorId);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void APipedPromptPropertyBindsAsText()
    {
        var r = _s.Run("[pscustomobject]@{ Prompt = 42 }, ('Prompt,Count', 'a cat,2' | ConvertFrom-Csv) | New-MvImage -ThrottleLimit 1");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "42", "a cat" }, _s.Api.Requests.Select(request => request.FieldValue("prompt")));
        Assert.Equal(3, r.Images().Count());
    }

    [Fact]
    public void TransparentJpegIsRefusedBeforeSending()
    {
        var r = _s.Run("New-MvImage 'x' -Background transparent -OutputFormat jpeg");
        Assert.Equal("TransparentJpeg,ModelverseImage.Commands.NewMvImageCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Empty(_s.Api.Requests);
    }

    [Theory]
    [InlineData("ftp://example.com/v1")]
    [InlineData("http://api.example.com/v1")]
    public void BaseUriMustBeHttpsOrLoopback(string uri)
    {
        var r = _s.Run("New-MvImage 'x' -BaseUri $args[0]", uri);
        var error = r.TheError();
        Assert.Equal("InvalidBaseUri,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void PlainStringKeyConverts()
    {
        var r = _s.Run("New-MvImage 'x' -ApiKey ([string]$args[0])", ApiSession.Key);
        Assert.Empty(r.Errors);
        Assert.Single(r.Images());
    }

    [Fact]
    public void WrongKeyIsAnAuthenticationErrorWithoutTheKey()
    {
        const string wrong = "sk-wrong-key-0000000000001";
        var r = _s.Run("New-MvImage 'x' -ApiKey $args[0]", wrong);
        var error = Assert.Single(r.Errors);
        Assert.Equal("AuthenticationFailed,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal("x", error.TargetObject);
        Assert.Contains("invalid_api_key", error.ErrorDetails.Message);
        Assert.Single(_s.Api.Requests); // 401 is never retried
        Assert.DoesNotContain(wrong, r.AllText());
    }

    [Theory]
    [InlineData("@{ Prompt = 'sneaky' }")]
    [InlineData("@{ MODEL = 'other' }")]
    [InlineData("@{ mask = 'x' }")]
    public void AdditionalParameterCannotSetReservedFieldsInAnyCase(string table)
    {
        var error = _s.Run($"New-MvImage 'x' -AdditionalParameter {table}").TheError();
        Assert.Equal("InvalidAdditionalParameter,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void AKeyWithALineBreakIsRefusedWithoutShowingIt()
    {
        const string broken = "sk-first-half-1234\nsecond-half-5678";
        var r = _s.Run("New-MvImage 'x' -ApiKey $args[0]", broken);
        var error = r.TheError();
        Assert.Equal("InvalidApiKey,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("first-half", r.AllText());
        Assert.DoesNotContain("second-half", r.AllText());
        Assert.Empty(_s.Api.Requests);
    }

    [Theory]
    [InlineData("@{ stream = $true }")]
    [InlineData("@{ Partial_Images = 2 }")]
    public void StreamingFieldsCannotBeSmuggled(string table)
    {
        var error = _s.Run("New-MvImage 'x' -AdditionalParameter " + table).TheError();
        Assert.Equal("InvalidAdditionalParameter,ModelverseImage.Commands.NewMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("stream", error.Exception.Message);
        Assert.Empty(_s.Api.Requests);
    }
}
