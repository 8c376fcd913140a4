using ModelverseImage.Sizes;

namespace ModelverseImage.Tests.Library;

public sealed class ImageSizeRulesTests
{
    [Theory]
    [InlineData("3840x2160", true)]   // longer edge 3840 and exactly 8,294,400 pixels
    [InlineData("2160x3840", true)]
    [InlineData("3856x1296", false)]  // longer edge 3856
    [InlineData("3840x2176", false)]  // 8,355,840 pixels: just over
    [InlineData("3840x1280", true)]   // exactly 3:1
    [InlineData("1280x3840", true)]
    [InlineData("3840x1264", false)]  // just past 3:1
    [InlineData("1024x640", true)]    // exactly 655,360 pixels
    [InlineData("1008x640", false)]   // just under
    [InlineData("1000x1024", false)]  // a side not a multiple of 16
    [InlineData("1024x1000", false)]
    [InlineData("1024x1024", true)]
    [InlineData("AUTO", true)]
    [InlineData(" 1024X1536 ", true)]
    public void Boundaries(string size, bool valid) => Assert.Equal(valid, ImageSizeRules.IsValid(size));

    [Fact]
    public void EachBrokenRuleIsNamed()
    {
        Assert.Equal(new[] { SizeRule.WidthNotMultiple }, ImageSizeRules.Check("1000x1024").Broken);
        Assert.Equal(new[] { SizeRule.EdgeTooLong }, ImageSizeRules.Check("3856x1296").Broken);
        Assert.Contains("multiple of 16", Assert.Single(Problems("1000x1024")));
        Assert.Contains("longer edge is 3856", Problems("3856x1296")[0]);
        Assert.Contains("aspect ratio is 3.04:1", Assert.Single(Problems("3840x1264")));
        Assert.Contains("needs at least 655,360", Assert.Single(Problems("1008x640")));
        Assert.Contains("at most 8,294,400", Assert.Single(Problems("3840x2176")));
    }

    [Fact]
    public void AnEdgeTooLongForAnIntSaysSoAndAMalformedSizeHasNoPixels()
    {
        Assert.Contains("more than six digits", Assert.Single(Problems("99999999999x1")));
        Assert.Equal(0, ImageSizeRules.Check(-16, 1024).Pixels);
    }

    /// <summary>The problems as Test-MvImageSize -Detailed shows them: the core's broken rules, worded by the cmdlets.</summary>
    private static IReadOnlyList<string> Problems(string size) => ModelverseImage.Errors.Words.Worded(ImageSizeRules.Check(size)).Problems;

    [Fact]
    public void NormalizeGivesTheWireForm()
    {
        Assert.Equal("auto", ImageSizeRules.Normalize("Auto"));
        Assert.Equal("1024x1536", ImageSizeRules.Normalize(" 1024X1536"));
        Assert.Null(ImageSizeRules.Normalize("1000x1000"));
    }

    [Theory]
    [InlineData(1000, 1000)]
    [InlineData(4000, 3000)]
    [InlineData(100, 100)]
    [InlineData(10000, 100)]
    [InlineData(1, 5000)]
    [InlineData(3856, 2160)]
    public void SuggestionIsAlwaysValidAndKeepsTheClampedAspect(int w, int h)
    {
        var check = ImageSizeRules.Check(w, h);
        Assert.False(check.IsValid);
        var suggestion = ImageSizeRules.Check(check.Suggested);
        Assert.True(suggestion.IsValid, check.Suggested);
        double wanted = Math.Clamp((double)w / h, 1.0 / 3, 3);
        Assert.InRange(suggestion.AspectRatio / wanted, 0.95, 1.05);
    }
}
