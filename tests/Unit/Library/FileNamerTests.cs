using ModelverseImage.Imaging;
using ModelverseImage.Saving;

namespace ModelverseImage.Tests.Library;

public sealed class FileNamerTests
{
    [Theory]
    [InlineData("A lighthouse at dawn!", "a-lighthouse-at-dawn")]
    [InlineData("  --Hello,   World!!  ", "hello-world")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("..\\..\\Windows\\System32", "windows-system32")]
    [InlineData("C:\\Windows\\x", "c-windows-x")]
    [InlineData("/etc/x", "etc-x")]
    [InlineData("file.tar.gz", "file-tar-gz")]
    [InlineData("hello. . .", "hello")]
    [InlineData("trailing spaces   ", "trailing-spaces")]
    [InlineData("a\u0000b\tc\r\nd\u001Fe\u007Ff", "a-b-c-d-e-f")]
    [InlineData("a<b>c:d\"e|f?g*h", "a-b-c-d-e-f-g-h")]
    [InlineData("Über Straße", "über-straße")]
    [InlineData("ÉCOLE", "école")]
    [InlineData("Cafe\u0301 au lait", "café-au-lait")] // decomposed accent is composed, not cut off
    [InlineData("नमस्ते दुनिया", "नमस्ते-दुनिया")]     // Devanagari vowel signs and virama stay
    [InlineData("日落时的灯塔", "日落时的灯塔")]
    [InlineData("一只猫 on the Moon。", "一只猫-on-the-moon")]
    [InlineData("cat 😀 dog", "cat-dog")]
    [InlineData("Ｆｕｌｌ ｗｉｄｔｈ １２３", "ｆｕｌｌ-ｗｉｄｔｈ-１２３")]
    [InlineData("version 2", "version-2")]
    public void SlugKeepsLettersAndDigits(string text, string expected) => Assert.Equal(expected, FileNamer.Slug(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("...")]
    [InlineData("..")]
    [InlineData("/")]
    [InlineData("😀🎉")]
    [InlineData("\u0301\u0301")] // marks with nothing to attach to
    [InlineData("\uD800 \uDC00")] // lone surrogates
    public void SlugOfNothingUsableIsImage(string? text) => Assert.Equal("image", FileNamer.Slug(text));

    [Theory]
    [InlineData("CON", "con_")]
    [InlineData("nul", "nul_")]
    [InlineData("com1", "com1_")]
    [InlineData("Lpt9", "lpt9_")]
    [InlineData("  AUX?  ", "aux_")]
    [InlineData("prn.", "prn_")]
    [InlineData("con.txt", "con-txt")]
    [InlineData("console", "console")]
    [InlineData("com10", "com10")]
    public void SlugAvoidsReservedDeviceNames(string text, string expected)
    {
        string slug = FileNamer.Slug(text);
        Assert.Equal(expected, slug);
        Assert.True(SafeNames.IsSafeFileName(slug));
        Assert.True(SafeNames.IsSafeFileName(slug + ".png"));
    }

    [Fact]
    public void LongPromptIsCappedAndSafe()
    {
        var prompt = string.Concat(Enumerable.Repeat("A very long prompt, with words; and punctuation! ", 110)).Substring(0, 5000);
        Assert.Equal(5000, prompt.Length);
        string slug = FileNamer.Slug(prompt);
        Assert.InRange(slug.Length, 50, FileNamer.MaxSlugLength);
        Assert.StartsWith("a-very-long-prompt-with-words-and-punctuation-a-very", slug);
        Assert.False(slug.EndsWith('-'));

        string name = FileNamer.ForGenerated(prompt, 12, ImageFormat.Webp);
        Assert.Equal(slug + "-12.webp", name);
        Assert.True(name.Length <= FileNamer.MaxSlugLength + "-12.webp".Length);
        Assert.True(SafeNames.IsSafeFileName(name));
    }

    [Fact]
    public void LongWordIsCutAtExactlyTheLimit()
    {
        Assert.Equal(new string('x', 60), FileNamer.Slug(new string('X', 5000)));
        Assert.Equal(new string('x', 60), FileNamer.Slug(new string('x', 60)));
        Assert.Equal(new string('x', 59), FileNamer.Slug(new string('x', 59)));
    }

    [Fact]
    public void CutNeverEndsWithADash()
    {
        // The 60th character would be the '-' standing for the space.
        Assert.Equal(new string('a', 59), FileNamer.Slug(new string('a', 59) + " bcd"));
        Assert.Equal(new string('a', 59), FileNamer.Slug(new string('a', 59) + "😀b"));
    }

    [Fact]
    public void CutNeverSplitsASurrogatePair()
    {
        const string ExtB = "\U00020000"; // a CJK letter outside the BMP: two UTF-16 units, kept
        // The pair would straddle the limit: it is dropped whole.
        string slug = FileNamer.Slug(new string('a', 59) + ExtB + ExtB);
        Assert.Equal(new string('a', 59), slug);
        // The pair fits exactly: it is kept.
        Assert.Equal(new string('a', 58) + ExtB, FileNamer.Slug(new string('a', 58) + ExtB + "zzz"));
        // A prompt of nothing but such letters: 30 whole pairs.
        string all = FileNamer.Slug(string.Concat(Enumerable.Repeat(ExtB, 100)));
        Assert.Equal(string.Concat(Enumerable.Repeat(ExtB, 30)), all);
        foreach (var s in new[] { slug, all, FileNamer.Slug(new string('b', 57) + "𝐀𝐁𝐂𝐃") })
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (char.IsHighSurrogate(s[i]))
                {
                    Assert.True(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]), $"split pair in {s}");
                    i++;
                }
                else
                {
                    Assert.False(char.IsLowSurrogate(s[i]));
                }
            }
        }
    }

    [Fact]
    public void ForGeneratedNamesTheFile()
    {
        Assert.Equal("a-lighthouse-at-dawn-1.png", FileNamer.ForGenerated("A lighthouse at dawn", 1, ImageFormat.Png));
        Assert.Equal("image-3.jpg", FileNamer.ForGenerated(null, 3, ImageFormat.Jpeg));
        Assert.Equal("日落-2.webp", FileNamer.ForGenerated("日落", 2, ImageFormat.Webp));
        Assert.Equal("etc-passwd-1.bin", FileNamer.ForGenerated("../../etc/passwd", 1, ImageFormat.Unknown));
        Assert.Equal("con_-1.png", FileNamer.ForGenerated("CON", 1, ImageFormat.Png));
        Assert.Throws<ArgumentOutOfRangeException>(() => FileNamer.ForGenerated("x", -1, ImageFormat.Png));
    }

    [Theory]
    [InlineData("/x/cat.png", 1, ImageFormat.Png, "cat-edit-1.png")]
    [InlineData("C:\\pics\\My Photo [1].jpeg", 1, ImageFormat.Jpeg, "My-Photo-1-edit-1.jpg")]
    [InlineData("relative/Sunset.WEBP", 2, ImageFormat.Png, "Sunset-edit-2.png")]
    [InlineData("archive.tar.gz", 1, ImageFormat.Webp, "archive-tar-edit-1.webp")]
    [InlineData("no-extension", 1, ImageFormat.Png, "no-extension-edit-1.png")]
    [InlineData("/x/.png", 1, ImageFormat.Png, "image-edit-1.png")]
    [InlineData("/x/y/", 1, ImageFormat.Png, "image-edit-1.png")]
    [InlineData("..\\..\\CON.png", 1, ImageFormat.Png, "CON_-edit-1.png")]
    [InlineData("/photos/日落 照片.png", 4, ImageFormat.Jpeg, "日落-照片-edit-4.jpg")]
    public void ForEditKeepsTheSourceName(string source, int index, ImageFormat format, string expected)
    {
        string name = FileNamer.ForEdit(source, index, format);
        Assert.Equal(expected, name);
        Assert.True(SafeNames.IsSafeFileName(name));
    }

    [Theory]
    [InlineData("cat.png", true)]
    [InlineData("日落.png", true)]
    [InlineData("My Photo (2).png", true)]
    [InlineData(".hidden", true)]
    [InlineData("console.txt", true)]
    [InlineData("com10.png", true)]
    [InlineData("a-b_c", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("../x", false)]
    [InlineData("C:x", false)]
    [InlineData("a<b", false)]
    [InlineData("a>b", false)]
    [InlineData("a\"b", false)]
    [InlineData("a|b", false)]
    [InlineData("a?b", false)]
    [InlineData("a*b", false)]
    [InlineData("a\u0001b", false)]
    [InlineData("tab\there", false)]
    [InlineData("x.", false)]
    [InlineData("x ", false)]
    [InlineData("CON", false)]
    [InlineData("con.txt", false)]
    [InlineData("Nul.tar.gz", false)]
    [InlineData("COM1.png", false)]
    [InlineData("lpt9", false)]
    [InlineData("aux .png", false)]
    [InlineData("COM\u00B9.png", false)]
    public void SafeFileNames(string name, bool safe) => Assert.Equal(safe, SafeNames.IsSafeFileName(name));

    [Fact]
    public void OverlongNamesAreNotSafe()
    {
        Assert.True(SafeNames.IsSafeFileName(new string('a', 255)));
        Assert.False(SafeNames.IsSafeFileName(new string('a', 256)));
    }

    [Fact]
    public void EveryGeneratedNameIsSafe()
    {
        var nasty = new[]
        {
            null, "", " ", ".", "..", "../../etc/passwd", "C:\\Windows\\x", "/etc/x", "\\\\server\\share\\f",
            "CON", "nul", "com1", "LPT1.txt", "a. ", "trailing...", "ctl\u0000\u0007\u001b[31m", "<script>",
            "x:y", "\"quoted\"", "pipe|star*question?", "😀", "\uD83D", new string('.', 300), new string('é', 500),
        };
        foreach (var text in nasty)
        {
            foreach (var format in Enum.GetValues<ImageFormat>())
            {
                string generated = FileNamer.ForGenerated(text, 1, format);
                Assert.True(SafeNames.IsSafeFileName(generated), generated);
                Assert.True(SafeNames.IsSafeFileName(FileNamer.Slug(text)), FileNamer.Slug(text));
                if (text is not null)
                {
                    string edit = FileNamer.ForEdit(text, 1, format);
                    Assert.True(SafeNames.IsSafeFileName(edit), edit);
                    Assert.EndsWith("-edit-1" + ImageSniffer.Extension(format), edit);
                }
            }
        }
    }

    [Fact]
    public void SlugsAreCutByUtf8BytesSoEveryNameFitsAFileSystem()
    {
        // 60 CJK letters are 180 bytes; 60 of the 3-byte kind plus a suffix stayed under 255, but 4-byte
        // letters would not: the cut is by bytes as well as characters.
        string cjk = FileNamer.Slug(new string('猫', 200));
        Assert.Equal(new string('猫', 60), cjk);
        string emoji = FileNamer.Slug(string.Concat(Enumerable.Repeat("\U00020000", 100)));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(emoji) <= FileNamer.MaxSlugBytes);
        string worst = FileNamer.ForEdit("/x/" + new string('é', 300) + ".png", 10, ImageFormat.Jpeg);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(worst.Replace(".jpg", " (10000).jpg")) <= 255, worst);
    }

    [Theory]
    [InlineData("abc", 2, "ab")]
    [InlineData("猫猫", 5, "猫")]
    [InlineData("a\U00020000b", 4, "a")]
    [InlineData("a\U00020000b", 5, "a\U00020000")]
    [InlineData("", 3, "")]
    public void CutToUtf8BytesKeepsWholeCharacters(string text, int maxBytes, string expected) =>
        Assert.Equal(expected, FileNamer.CutToUtf8Bytes(text, maxBytes));
}

public sealed class PartialFileNameTests
{
    [Theory]
    [InlineData("a-cat-1.png", 0, "a-cat-1-partial-0.png")]
    [InlineData("cat-edit-1.jpg", 2, "cat-edit-1-partial-2.jpg")]
    [InlineData("image-3", 1, "image-3-partial-1")]
    public void PartialNamesAddTheirNumberBeforeTheExtension(string final, int partial, string expected)
    {
        Assert.Equal(expected, ModelverseImage.Saving.FileNamer.ForPartial(final, partial));
    }

    [Fact]
    public void NoPartialNameIsTheNameOfTheFinalImageOfTheSameRequest()
    {
        foreach (var prompt in new[] { "a cat", "a cat 1 partial", "partial 0", "" })
            for (int index = 1; index <= 10; index++)
            {
                var finals = Enumerable.Range(1, 10).Select(i => ModelverseImage.Saving.FileNamer.ForGenerated(prompt, i, ModelverseImage.Imaging.ImageFormat.Png)).ToHashSet();
                for (int p = 0; p <= 3; p++)
                    Assert.DoesNotContain(ModelverseImage.Saving.FileNamer.ForPartial(ModelverseImage.Saving.FileNamer.ForGenerated(prompt, index, ModelverseImage.Imaging.ImageFormat.Png), p), finals);
            }
    }
}

/// <summary>The names FileNamer decides for the cmdlets and the writer: one home for every file name.</summary>
public sealed class FileNameHomeTests
{
    [Theory]
    [InlineData("a cat", null, null, "a-cat-2.png")]
    [InlineData("a cat", "", 1, "a-cat-2-partial-1.png")]
    [InlineData("a cat", "/x/My Photo.jpeg", null, "My-Photo-edit-2.png")]
    [InlineData("a cat", "/x/cat.png", 0, "cat-edit-2-partial-0.png")]
    public void AnImageIsNamedAfterItsSourceElseItsPrompt(string prompt, string? source, int? partial, string expected) =>
        Assert.Equal(expected, FileNamer.ForImage(prompt, source, 2, ImageFormat.Png, partial));

    [Fact]
    public void UploadsAndTheirPartsHaveTheirOwnNames()
    {
        Assert.Equal("image.webp", FileNamer.ForUpload("", ImageFormat.Webp));
        Assert.Equal("a cat.png", FileNamer.ForUpload("/x/a cat.jpg", ImageFormat.Png));
        Assert.Equal("image-2.jpg", FileNamer.ForImagePart(2, ImageFormat.Jpeg));
        Assert.Equal("mask.png", FileNamer.ForMaskPart(ImageFormat.Png));
    }

    [Fact]
    public void ATakenNameBecomesNameTwoThenThreeAndTheTemporaryNameIsHidden()
    {
        Assert.Equal(new[] { "cat.png", "cat (2).png", "cat (3).png" }, FileNamer.FreeNameCandidates("cat.png", 3));
        Assert.Equal(new[] { ".hidden", ".hidden (2)" }, FileNamer.FreeNameCandidates(".hidden", 2));
        Assert.Matches(@"^\.cat\.png\.[0-9a-f]{32}\.tmp$", FileNamer.ForTemporary("cat.png", 100));
        Assert.StartsWith(".ab.", FileNamer.ForTemporary("abc.png", 2));
    }

    [Theory]
    [InlineData("./fox.PNG", true)]
    [InlineData("./fox.jpeg/", true)]
    [InlineData("fox.webp", true)]
    [InlineData("fox.gif", false)]
    [InlineData("fox", false)]
    [InlineData("f\0ox.png", false)]
    public void ImageExtensionsAreKnownInAnyCase(string name, bool expected) =>
        Assert.Equal(expected, FileNamer.HasImageExtension(name));

    [Theory]
    [InlineData("a.jpeg", ImageFormat.Jpeg, true)]
    [InlineData("a.JPG", ImageFormat.Jpeg, true)]
    [InlineData("a.png", ImageFormat.Jpeg, false)]
    [InlineData("a.webp", ImageFormat.Webp, true)]
    [InlineData("a", ImageFormat.Png, false)]
    public void AnExtensionFitsTheFormatItNames(string name, ImageFormat format, bool expected) =>
        Assert.Equal(expected, FileNamer.ExtensionFits(name, format));
}

/// <summary>The tests' own rule of a safe file name (the product only makes names; it needs no checker).</summary>
internal static class SafeNames
{
    /// <summary>
    /// The test's own rule of a safe file name: true when the name can be used as-is as a file name on Windows, macOS and Linux: no folder separators,
    /// none of &lt; &gt; : " / \ | ? * or control characters, not "." or "..", no trailing dot or space, not a
    /// reserved device name (with or without an extension) and at most 255 characters.
    /// </summary>
    public static bool IsSafeFileName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 255)
        {
            return false;
        }
        foreach (char c in name)
        {
            if (c < 0x20 || c == '<' || c == '>' || c == ':' || c == '"' || c == '/' || c == '\\' || c == '|' || c == '?' || c == '*')
            {
                return false;
            }
        }
        char last = name[name.Length - 1];
        if (last == '.' || last == ' ')
        {
            return false; // also rules out "." and ".."
        }
        // Windows ignores everything from the first dot, and spaces before it, when matching device names.
        int dot = name.IndexOf('.');
        string device = (dot >= 0 ? name.Substring(0, dot) : name).TrimEnd(' ');
        return !FileNamer.IsReservedName(device);
    }
}
