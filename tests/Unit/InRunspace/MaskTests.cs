using System.Buffers.Binary;

namespace ModelverseImage.Tests.InRunspace;

/// <summary>
/// New-MvImageMask, and masks in Edit-MvImage (-Mask given an object, -MaskRegion), as a script uses them, against the
/// stand-in: what is made, what is saved, and the mask part each edit request carries (its bytes, read back).
/// </summary>
public sealed class MaskTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private const string TopThird = "@{ Rectangle = 0, 0, 1, 0.333; Fraction = $true }";

    private readonly ApiSession _s;
    private readonly PhotoFolder _photos;

    public MaskTests(StandInFixture standIn)
    {
        _s = new ApiSession(standIn);
        _photos = new PhotoFolder(_s.Folder);
    }

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    private static (int Width, int Height) PngSize(byte[] png) =>
        (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

    /// <summary>The mask part of each request, in the order the image parts' sources were sent.</summary>
    private List<RecordedPart> MaskParts() =>
        _s.Api.Requests.Where(q => q.Path.EndsWith("/edits", StringComparison.Ordinal)).Select(q => Assert.Single(q.PartsNamed("mask"))).ToList();

    [Fact]
    public void NewMvImageMaskMakesAMaskOfTheFilesSize()
    {
        string photo = _photos.Add("room.jpg", TestImages.Jpeg(300, 200, 0xC0, 100, 50));
        var r = _s.Run("New-MvImageMask $args[0] -Rectangle 100, 50, 40, 30", photo);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        var mask = Assert.Single(r.Images());
        Assert.True(mask.Prop<bool>("IsMask"));
        Assert.Equal(("png", 300, 200, "300x200", photo), (mask.Prop<string>("Format"), mask.Prop<int>("Width"), mask.Prop<int>("Height"), mask.Prop<string>("Size"), mask.Prop<string>("SourcePath")));
        Assert.Equal("mask 300x200, 1 KB: for room.jpg", mask.ToString());
        var alpha = TestPngDecoder.Alpha(mask.Bytes());
        Assert.Equal((0, 0), (alpha[50, 100], alpha[79, 139]));
        Assert.Equal((255, 255, 255), (alpha[49, 100], alpha[80, 139], alpha[50, 140]));
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void TheSizeComesFromPipedFilesImagesOrSize()
    {
        _photos.Add("a.png", PhotoFolder.Png(64, 48));
        _photos.Add("b.jpg", TestImages.Jpeg(80, 60, 0xC0, 10, 10));
        var files = _s.Run("Get-ChildItem -LiteralPath $args[0] | New-MvImageMask -Ellipse 0, 0, 1, 1 -Fraction", _photos.Path);
        Assert.Empty(files.Errors);
        Assert.Equal(new[] { "64x48", "80x60" }, files.Images().Select(i => i.Prop<string>("Size")));

        var images = _s.Run("New-MvImage 'a kite' -Size 1536x1024 | New-MvImageMask -Rectangle 0, 0, 1, 0.5 -Fraction -Invert");
        Assert.Empty(images.Errors);
        var mask = Assert.Single(images.Images());
        Assert.Equal((1536, 1024), PngSize(mask.Bytes()));
        var alpha = TestPngDecoder.Alpha(mask.Bytes());
        Assert.Equal((255, 0), (alpha[0, 0], alpha[1023, 1535]));

        var sized = _s.Run("New-MvImageMask -Size 1024x1536 -Rectangle (0, 0, 10, 10), (20, 20, 10, 10) -Ellipse 500, 500, 100, 50");
        Assert.Empty(sized.Errors);
        Assert.Equal(string.Empty, Assert.Single(sized.Images()).Prop<string>("SourcePath"));
    }

    [Fact]
    public void RegionsThatCanMakeNoMaskAreRefusedBeforeAnything()
    {
        foreach (var (script, words) in new[]
        {
            ("New-MvImageMask -Size 100x100 -Rectangle 0, 0, 1", "four numbers"),
            ("New-MvImageMask -Size 100x100 -Rectangle 0, 0, 0, 10", "has no area"),
            ("New-MvImageMask -Size 100x100 -Ellipse ([double]::NaN), 0, 10, 10", "finite"),
            ("New-MvImageMask -Size 100x100", "No region"),
        })
        {
            var r = _s.Run(script);
            var error = r.TheError();
            Assert.Equal("InvalidMaskRegion,ModelverseImage.Commands.NewMvImageMaskCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(words, error.ErrorDetails.Message);
            Assert.Empty(r.Images());
        }
    }

    [Fact]
    public void ARegionOutsideOneImageIsAnErrorForThatImageOnly()
    {
        string small = _photos.Add("small.png", PhotoFolder.Png(64, 48));
        _photos.Add("large.png", PhotoFolder.Png(400, 300));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] | New-MvImageMask -Rectangle 100, 100, 50, 50", _photos.Path);
        var error = r.TheError();
        Assert.Equal("InvalidMaskRegion,ModelverseImage.Commands.NewMvImageMaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(small, error.TargetObject);
        Assert.Contains("-Rectangle 100,100,50,50 lies wholly outside the 64x48 image", error.ErrorDetails.Message);
        Assert.Equal("400x300", Assert.Single(r.Images()).Prop<string>("Size"));
    }

    [Fact]
    public void SaveMvImageSavesTheMaskAsMadeNamedAfterItsImage()
    {
        string photo = _photos.Add("beach.jpg", TestImages.Jpeg(120, 90, 0xC0, 10, 10));
        var r = _s.Run("$m = New-MvImageMask $args[0] -Rectangle 0, 0, 1, 0.333 -Fraction; $m | Save-MvImage -Directory ./masks; $m | Save-MvImage -Directory ./masks; ,$m.Bytes", photo);
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "beach-mask (2).png", "beach-mask.png" }, _s.Files(Path.Combine(_s.Folder, "masks")));
        var made = (byte[])r.Output.Last().BaseObject;
        // No XMP record: a mask is not AI-generated.
        Assert.Equal(made, File.ReadAllBytes(Path.Combine(_s.Folder, "masks", "beach-mask.png")));

        var again = _s.Run("New-MvImageMask -Size 64x64 -Rectangle 0, 0, 8, 8 | Save-MvImage -Path ./masks/beach-mask.png");
        Assert.Equal("FileExists,ModelverseImage.Commands.SaveMvImageCommand", again.TheError().FullyQualifiedErrorId);
        var named = _s.Run("New-MvImageMask -Size 64x64 -Rectangle 0, 0, 8, 8 | Save-MvImage -Directory ./masks");
        Assert.Equal("mask-64x64.png", Assert.Single(named.Objects<FileInfo>()).Name);
    }

    [Fact]
    public void MaskRegionSendsEachImageWithAMaskOfItsOwnSize()
    {
        _photos.Add("wide.jpg", TestImages.Jpeg(1536, 1024, 0xC0, 10, 10));
        _photos.Add("tall.png", PhotoFolder.Png(1024, 1536));
        _photos.Add("square.jpg", TestImages.Jpeg(999, 999, 0xC0, 10, 10));
        var r = _s.Run($"Get-ChildItem -LiteralPath $args[0] | Edit-MvImage 'a stormy sky' -MaskRegion {TopThird} | Save-MvImage -Directory ./out", _photos.Path);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(3, _s.Files(Path.Combine(_s.Folder, "out")).Length);

        var masks = MaskParts();
        Assert.Equal(3, masks.Count);
        Assert.All(masks, m => Assert.Equal("image/png", m.ContentType));
        var sizes = masks.Select(m => PngSize(m.Content!)).OrderBy(s => s.Width).ToList();
        Assert.Equal(new[] { (999, 999), (1024, 1536), (1536, 1024) }, sizes);
        foreach (var part in masks)
        {
            var alpha = TestPngDecoder.Alpha(part.Content!);
            int height = alpha.GetLength(0), width = alpha.GetLength(1);
            int transparentRows = Enumerable.Range(0, height).Count(y => alpha[y, width / 2] == 0);
            Assert.Equal(Enumerable.Range(0, height).Count(y => y + 0.5 < 0.333 * height), transparentRows);
            Assert.Equal(0, alpha[0, 0]);
            Assert.Equal(0, alpha[0, width - 1]);
            Assert.Equal(255, alpha[height - 1, width / 2]);
        }
    }

    [Fact]
    public void MaskRegionHashtableIsCheckedBeforeAnythingIsSent()
    {
        string photo = _photos.Add("a.png", PhotoFolder.Png(64, 48));
        foreach (var (table, words) in new[]
        {
            ("@{ Rectangel = 0, 0, 1, 1 }", "the key 'Rectangel'"),
            ("@{ Fraction = $true }", "names no region"),
            ("@{ Ellipse = 0, 0, 1 }", "four numbers"),
            ("@{ Rectangle = 0, 0, 'wide', 1 }", "'wide' is not a number"),
            ("@{ Rectangle = 0, 0, 0, 1; Fraction = $true }", "has no area"),
            ("@{ Rectangle = 0, 0, 1, 1; Fraction = 'false' }", "takes $true or $false, not 'false'"),
        })
        {
            var r = _s.Run($"Edit-MvImage 'x' $args[0] -MaskRegion {table}", photo);
            var error = r.TheError();
            Assert.Equal("InvalidMaskRegion,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
            Assert.Contains(words, error.ErrorDetails.Message);
        }
        var both = _s.Run($"Edit-MvImage 'x' $args[0] -Mask $args[0] -MaskRegion {TopThird}", photo);
        Assert.Contains("cannot be used together", both.TheError().ErrorDetails.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void MaskRegionSkipsAnImageItMissesAndSendsTheOthers()
    {
        string small = _photos.Add("small.png", PhotoFolder.Png(64, 48));
        _photos.Add("large.png", PhotoFolder.Png(400, 300));
        var r = _s.Run("Get-ChildItem -LiteralPath $args[0] | Edit-MvImage 'x' -MaskRegion @{ Ellipse = (100, 100, 50, 50), (0, 0, 10, 10) }", _photos.Path);
        var error = r.TheError();
        Assert.Equal(small, error.TargetObject);
        Assert.Contains("-MaskRegion Ellipse 100,100,50,50 lies wholly outside the 64x48 image", error.ErrorDetails.Message);
        Assert.Single(r.Images());
        Assert.Equal((400, 300), PngSize(Assert.Single(MaskParts()).Content!));
    }

    [Fact]
    public void MaskTakesTheMaskObjectAFileOrAFileInfo()
    {
        string photo = _photos.Add("room.png", PhotoFolder.Png(64, 48));
        var r = _s.Run("$m = New-MvImageMask $args[0] -Ellipse 10, 10, 20, 20; $null = $m | Save-MvImage -Path ./m.png; Edit-MvImage 'x' $args[0] -Mask $m; Edit-MvImage 'x' $args[0] -Mask ./m.png; Edit-MvImage 'x' $args[0] -Mask (Get-Item ./m.png); Edit-MvImage 'x' $args[0] -Mask (Import-MvImage ./m.png); ,$m.Bytes", photo);
        Assert.Empty(r.Errors);
        Assert.Equal(4, r.Images().Count);
        var made = (byte[])r.Output.Last().BaseObject;
        Assert.All(MaskParts(), m => Assert.Equal(made, m.Content));
        Assert.All(MaskParts(), m => Assert.Equal("mask.png", m.FileName));
    }

    [Fact]
    public void AMaskObjectOfAnotherSizeOrWithoutAlphaIsRefused()
    {
        string photo = _photos.Add("room.png", PhotoFolder.Png(64, 48));
        var other = _s.Run("Edit-MvImage 'x' $args[0] -Mask (New-MvImageMask -Size 32x32 -Rectangle 0, 0, 8, 8)", photo);
        Assert.Equal("MaskSizeMismatch,ModelverseImage.Commands.EditMvImageCommand", other.TheError().FullyQualifiedErrorId);
        var opaque = _s.Run("Edit-MvImage 'x' $args[0] -Mask (Import-MvImage $args[0])", photo);
        var error = opaque.TheError();
        Assert.Equal("InvalidMask,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("an MvImage, PNG 64x48", error.ErrorDetails.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void AMaskPipedAsAnImageToEditIsNotSent()
    {
        string photo = _photos.Add("room.png", PhotoFolder.Png(64, 48));
        var r = _s.Run("New-MvImageMask $args[0] -Rectangle 0, 0, 8, 8 | Edit-MvImage 'x'", photo);
        var error = r.TheError();
        Assert.Equal("MaskPipedAsImage,ModelverseImage.Commands.EditMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Mask $mask", error.ErrorDetails.Message);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void WhatIfNamesTheMaskMadeForEachImage()
    {
        _photos.Add("a.png", PhotoFolder.Png(64, 48));
        using var ps = _s.WithHost();
        var r = ps.Run($"Get-ChildItem -LiteralPath $args[0] | Edit-MvImage 'x' -MaskRegion {TopThird} -WhatIf", _photos.Path);
        Assert.Empty(r.Errors);
        Assert.Contains("mask=@mask-64x48.png (image/png,", r.HostText);
        Assert.Empty(_s.Api.Requests);
    }

    [Fact]
    public void AResumedRunWithMaskRegionSendsNothingAgain()
    {
        _photos.Add("a.png", PhotoFolder.Png(64, 48));
        _photos.Add("b.jpg", TestImages.Jpeg(80, 60, 0xC0, 10, 10));
        string run = $"Get-ChildItem -LiteralPath $args[0] | Edit-MvImage 'x' -MaskRegion {TopThird} -Resume ./out | Save-MvImage -Directory ./out";
        Assert.Empty(_s.Run(run, _photos.Path).Errors);
        Assert.Equal(2, _s.Api.Requests.Count);
        var again = _s.Run(run, _photos.Path);
        Assert.Empty(again.Errors);
        Assert.Equal(2, _s.Api.Requests.Count);
        // Another region is another request.
        Assert.Empty(_s.Run("Get-ChildItem -LiteralPath $args[0] | Edit-MvImage 'x' -MaskRegion @{ Rectangle = 0, 0, 1, 0.5; Fraction = $true } -Resume ./out | Save-MvImage -Directory ./out", _photos.Path).Errors);
        Assert.Equal(4, _s.Api.Requests.Count);
    }
}
