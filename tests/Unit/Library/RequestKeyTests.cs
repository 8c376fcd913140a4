using System.Collections;
using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Resume;

namespace ModelverseImage.Tests.Library;

/// <summary>The request key: the same request gives the same key, anything that changes what is made gives another.</summary>
public sealed class RequestKeyTests
{
    private static readonly byte[] Cat = TestImages.Png(4, 4, colourType: 2);
    private static readonly byte[] Dog = TestImages.Png(4, 5, colourType: 2);

    private static ImageRequest Generation(string prompt = "a red kite", string model = "gpt-image-2", string size = "1024x1024", string? quality = "high", int count = 1)
    {
        var request = new ImageRequest(prompt, model) { Count = count, Size = Sizes.ImageSizeRules.Parse(size), Quality = quality };
        return request;
    }

    private static ImageRequest Edit(byte[] source, string prompt = "add snow", byte[]? mask = null)
    {
        var request = new ImageRequest(prompt, "gpt-image-2");
        request.Images.Add(ImageUpload.FromBytes(new ArraySegment<byte>(source), "whatever.png", ImageFormat.Png));
        if (mask != null) request.Mask = ImageUpload.FromBytes(new ArraySegment<byte>(mask), "mask.png", ImageFormat.Png);
        return request;
    }

    private static string Key(ImageRequest request) => RequestKey.Of(request, RequestKey.ContentHash);

    [Fact]
    public void SameRequestSameKey()
    {
        Assert.Equal(Key(Generation()), Key(Generation()));
        Assert.Equal(RequestKey.Length, Key(Generation()).Length);
        Assert.Matches("^[0-9a-f]+$", Key(Generation()));
    }

    [Fact]
    public void PromptModelSizeQualityAndCountEachMakeANewKey()
    {
        var keys = new[]
        {
            Key(Generation()),
            Key(Generation(prompt: "a red kite ")),
            Key(Generation(model: "gpt-image-1.5")),
            Key(Generation(size: "1536x1024")),
            Key(Generation(quality: "low")),
            Key(Generation(quality: null)),
            Key(Generation(count: 2)),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void FieldOrderDoesNotMatterButValuesDo()
    {
        var a = Generation();
        a.Send("background", "transparent");
        a.Send("output_format", "png");
        var b = Generation();
        b.Send("output_format", "png");
        b.Send("background", "transparent");
        var c = Generation();
        c.Send("output_format", "webp");
        c.Send("background", "transparent");
        Assert.Equal(Key(a), Key(b));
        Assert.NotEqual(Key(a), Key(c));
    }

    [Fact]
    public void AdditionalParametersCountWhateverTheirHashtableOrder()
    {
        var a = Generation();
        a.Fields["style"] = new Hashtable { ["tone"] = "warm", ["grain"] = 2 };
        var b = Generation();
        b.Fields["style"] = new Hashtable { ["grain"] = 2, ["tone"] = "warm" };
        var c = Generation();
        c.Fields["style"] = new Hashtable { ["grain"] = 3, ["tone"] = "warm" };
        Assert.Equal(Key(a), Key(b));
        Assert.NotEqual(Key(a), Key(c));
    }

    [Fact]
    public void AnEditIsKeyedByTheSourceContentNotItsName()
    {
        var first = Edit(Cat);
        var renamed = new ImageRequest("add snow", "gpt-image-2");
        renamed.Images.Add(ImageUpload.FromBytes(new ArraySegment<byte>((byte[])Cat.Clone()), "other-name.png", ImageFormat.Png));

        Assert.Equal(Key(first), Key(renamed));
        Assert.NotEqual(Key(first), Key(Edit(Dog)));
        Assert.NotEqual(Key(first), Key(Edit(Cat, prompt: "add rain")));
        Assert.NotEqual(Key(first), Key(Edit(Cat, mask: Dog)));
        Assert.NotEqual(Key(first), Key(Generation(prompt: "add snow")));
    }

    [Fact]
    public void ATextThatLooksLikeTwoFieldsIsNotTwoFields()
    {
        // Length prefixes keep "a" + "b=c" apart from "a=b" + "c".
        var a = Generation(prompt: "x\nfield:size=9:1024x1024");
        var b = Generation(prompt: "x");
        Assert.NotEqual(Key(a), Key(b));
    }

    [Fact]
    public void TheKeyOfARequestStaysWhatEarlierVersionsSaved()
    {
        // Keys are saved in the images' records and the journal: -Resume of a folder written by an earlier version must
        // find them. This pins the canonical text and the key of one request with every kind of field.
        var request = Generation(count: 2);
        request.Send("output_format", "png");
        request.Send("background", "transparent");
        request.Fields["partial_images"] = null;
        request.Fields["style"] = new Hashtable { ["tone"] = "warm", ["grain"] = 2 };
        request.Fields["seeds"] = new object[] { 1, "two" };

        Assert.Equal(
            "mvimage-request-key 1\nendpoint=18:images/generations\nmodel=11:gpt-image-2\nprompt=10:a red kite\n"
            + "field:background=15:s11:transparent\nfield:n=2:n2\nfield:output_format=6:s3:png\nfield:quality=7:s4:high\n"
            + "field:seeds=11:[n1,s3:two]\nfield:size=12:s9:1024x1024\nfield:style=29:{s5:grain=n2,s4:tone=s4:warm}\n",
            RequestKey.Canonical(request, RequestKey.ContentHash));
        Assert.Equal("7f92a325387042d7afb9a1f71be7c7c9", Key(request));
    }

    [Fact]
    public void OccurrencesAreNumberedPerKey()
    {
        var counter = new OccurrenceCounter();
        Assert.Equal(new[] { 1, 2, 1, 3 }, new[] { counter.Next("a"), counter.Next("a"), counter.Next("b"), counter.Next("a") });
    }
}
