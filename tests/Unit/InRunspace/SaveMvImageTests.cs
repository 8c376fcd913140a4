using System.IO.Compression;
using System.Text;

namespace ModelverseImage.Tests.InRunspace;

public sealed class SaveMvImageTests : IAsyncLifetime, IClassFixture<StandInFixture>
{
    private readonly ApiSession _s;

    public SaveMvImageTests(StandInFixture standIn) => _s = new ApiSession(standIn);

    public Task InitializeAsync() => _s.InitializeAsync();
    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public void SavingTwiceNeverOverwritesByDefault()
    {
        _s.Run("$global:img = New-MvImage 'a red kite'");
        var first = _s.Run("$img | Save-MvImage");
        var second = _s.Run("$img | Save-MvImage");
        Assert.Empty(first.Errors);
        Assert.Empty(second.Errors);
        Assert.Equal(new[] { "a-red-kite-1 (2).png", "a-red-kite-1.png" }, _s.Files());
    }

    [Fact]
    public void ASavedPngIsAValidPngWithTheImageDataAsItCame()
    {
        // Save-MvImage adds its XMP record as a chunk: the file must stay a PNG that decodes to the same pixels.
        var image = Assert.Single(_s.Run("New-MvImage 'a lighthouse' | Save-MvImage -PassThru").Images());
        var came = TestPng.Chunks(image.Bytes()).ToList();
        var saved = TestPng.Chunks(File.ReadAllBytes(image.Prop<string>("Path"))).ToList();
        Assert.All(saved, c => Assert.Equal(Crc32.Compute(Encoding.ASCII.GetBytes(c.Type).Concat(c.Data).ToArray()), c.Crc));
        var record = Assert.Single(saved, c => c.Type == "iTXt");
        Assert.StartsWith("XML:com.adobe.xmp\0", Encoding.Latin1.GetString(record.Data));
        Assert.Equal(came.Select(c => (c.Type, Convert.ToHexString(c.Data))), saved.Where(c => c != record).Select(c => (c.Type, Convert.ToHexString(c.Data))));
        Assert.Equal("IEND", saved[^1].Type);
        // The image data inflates to whole rows: a filter byte and 8-bit samples for every pixel.
        var (width, height) = PngFiles.PngSize(File.ReadAllBytes(image.Prop<string>("Path")));
        int channels = saved[0].Data[9] switch { 2 => 3, 6 => 4, 0 => 1, 4 => 2, _ => 1 };
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(new MemoryStream(saved.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray()), CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }
        Assert.Equal((long)height * (1 + width * channels), inflated.Length);
    }

    [Fact]
    public void PathRefusesAnExistingFileWithoutForce()
    {
        string existing = Path.Combine(_s.Folder, "keep.png");
        File.WriteAllText(existing, "precious");
        var r = _s.Run("New-MvImage 'x' | Save-MvImage -Path ./keep.png");
        var error = r.TheError();
        Assert.Equal("FileExists,ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains("-Force", error.Exception.Message);
        Assert.Equal("precious", File.ReadAllText(existing));
        Assert.Equal(new[] { "keep.png" }, _s.Files());

        var forced = _s.Run("New-MvImage 'x' | Save-MvImage -Path ./keep.png -Force");
        Assert.Empty(forced.Errors);
        Assert.Equal(0x89, File.ReadAllBytes(existing)[0]);
        Assert.Equal(new[] { "keep.png" }, _s.Files()); // no temporary files left
    }

    [Fact]
    public void ForceOverwritesTheDefaultName()
    {
        _s.Run("$global:img = New-MvImage 'x'");
        _s.Run("$img | Save-MvImage");
        var r = _s.Run("$img | Save-MvImage -Force");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "x-1.png" }, _s.Files());
    }

    [Fact]
    public void PathTakesOneImageOnly()
    {
        var r = _s.Run("New-MvImage 'x' -Count 2 | Save-MvImage -Path ./one.png");
        Assert.Equal("PathUsedTwice,ModelverseImage.Commands.SaveMvImageCommand", r.TheError().FullyQualifiedErrorId);
        Assert.Equal(new[] { "one.png" }, _s.Files());
    }

    [Fact]
    public void PassThruSetsPathAndDirectoryIsCreated()
    {
        var r = _s.Run("New-MvImage 'x' | Save-MvImage -Directory ./a/b -PassThru");
        Assert.Empty(r.Errors);
        var image = Assert.Single(r.Images());
        Assert.Equal(Path.Combine(_s.Folder, "a", "b", "x-1.png"), image.Prop<string>("Path"));
        Assert.True(File.Exists(image.Prop<string>("Path")));
    }

    [Fact]
    public void WhatIfWritesNothing()
    {
        var r = _s.Run("New-MvImage 'x' | Save-MvImage -Directory ./new -WhatIf");
        Assert.Empty(r.Errors);
        Assert.Empty(r.Output);
        Assert.False(Directory.Exists(Path.Combine(_s.Folder, "new")));
    }

    [Fact]
    public void AMissingParentFolderOfPathIsAClearError()
    {
        var error = _s.Run("New-MvImage 'x' | Save-MvImage -Path ./missing/x.png").TheError();
        Assert.Equal("DirectoryNotFound,ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void AReadOnlyFolderIsAClearError()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root ignores permissions
        string locked = Directory.CreateDirectory(Path.Combine(_s.Folder, "locked")).FullName;
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var error = _s.Run("New-MvImage 'x' | Save-MvImage -Directory ./locked").TheError();
            Assert.Equal("AccessDenied,ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void ATargetThatIsAFileIsAClearError()
    {
        File.WriteAllText(Path.Combine(_s.Folder, "afile"), "x");
        var r = _s.Run("New-MvImage 'x' | Save-MvImage -Directory ./afile");
        Assert.Single(r.Errors);
        Assert.Empty(r.Output);
    }

    [Theory]
    [InlineData("../../escape", "escape-1.png")]
    [InlineData("/etc/passwd", "etc-passwd-1.png")]
    [InlineData("C:\\Windows\\System32\\evil", "c-windows-system32-evil-1.png")]
    [InlineData("CON", "con_-1.png")]
    [InlineData("nul", "nul_-1.png")]
    [InlineData("trailing dots... ", "trailing-dots-1.png")]
    [InlineData("tab\there\u0001bell", "tab-here-bell-1.png")]
    public void NamesFromPromptsStayInTheTargetFolder(string prompt, string expected)
    {
        var r = _s.Run("New-MvImage -Prompt $args[0] | Save-MvImage", prompt);
        Assert.Empty(r.Errors);
        var file = Assert.IsType<FileInfo>(Assert.Single(r.Output).BaseObject);
        Assert.Equal(_s.Folder, file.DirectoryName);
        Assert.Equal(expected, file.Name); // no separator, control character or reserved device name
    }

    [Fact]
    public void AFiveThousandCharacterPromptGivesAShortName()
    {
        var r = _s.Run("New-MvImage -Prompt ('a very long prompt ' * 280) | Save-MvImage");
        Assert.Empty(r.Errors);
        var file = Assert.IsType<FileInfo>(Assert.Single(r.Output).BaseObject);
        Assert.True(file.Name.Length <= 60 + 10, file.Name); // a slug of at most 60 characters, then "-1.png"
    }

    [Fact]
    public void AChinesePromptGivesAChineseName()
    {
        var r = _s.Run("New-MvImage -Prompt '黎明时的灯塔' | Save-MvImage");
        Assert.Empty(r.Errors);
        Assert.Equal("黎明时的灯塔-1.png", Assert.IsType<FileInfo>(Assert.Single(r.Output).BaseObject).Name);
    }

    [Fact]
    public void SerializedImagesCarryNoBytes()
    {
        var r = _s.Run("$i = New-MvImage 'x'; $xml = [System.Management.Automation.PSSerializer]::Serialize($i); $xml.Length; $i.Length; $xml.Contains('<S N=\"Prompt\">x</S>')");
        Assert.Empty(r.Errors);
        long xmlLength = Convert.ToInt64(r.Output[0].BaseObject);
        long imageLength = Convert.ToInt64(r.Output[1].BaseObject);
        Assert.True(xmlLength < 10_000 && imageLength > 100_000, $"{xmlLength} characters of XML for a {imageLength}-byte image");
        Assert.True((bool)r.Output[2].BaseObject);
    }

    [Fact]
    public void ToStringIsAOneLineSummary()
    {
        var r = _s.Run("\"$(New-MvImage 'a lighthouse at dawn' -Size 1536x1024)\"");
        Assert.Matches(@"^png 1536x1024, [\d,]+ KB: a lighthouse at dawn$", r.Output.Single().ToString());
    }

    [Fact]
    public void ForceNeverOverwritesAnImageOfTheSameRun()
    {
        File.WriteAllText(Path.Combine(_s.Folder, "a-cat-1.png"), "old");
        var r = _s.Run("'a cat', 'a cat' | New-MvImage -ThrottleLimit 1 | Save-MvImage -Force");
        Assert.Empty(r.Errors);
        Assert.Equal(2, r.Output.Count);
        Assert.Equal(new[] { "a-cat-1 (2).png", "a-cat-1.png" }, _s.Files());
        Assert.Equal(0x89, File.ReadAllBytes(Path.Combine(_s.Folder, "a-cat-1.png"))[0]); // the old file was replaced
    }

    [Fact]
    public void OutputIsTheProviderItemSoRemoveItemActsOnExactlyThatFile()
    {
        Directory.CreateDirectory(Path.Combine(_s.Folder, "shots f"));
        File.WriteAllText(Path.Combine(_s.Folder, "shots f", "a-cat-1.png"), "look-alike");
        var r = _s.Run("$f = New-MvImage 'a cat' | Save-MvImage -Directory './shots [final]'; $f.PSPath; $f | Remove-Item");
        Assert.Empty(r.Errors);
        Assert.EndsWith("shots [final]/a-cat-1.png", Assert.Single(r.Output).ToString().Replace('\\', '/'));
        Assert.StartsWith("Microsoft.PowerShell.Core\\FileSystem::", r.Output[0].ToString());
        Assert.Empty(_s.Files(Path.Combine(_s.Folder, "shots [final]")));
        Assert.Equal("look-alike", File.ReadAllText(Path.Combine(_s.Folder, "shots f", "a-cat-1.png")));
    }

    [Fact]
    public void TheFileViewShowsTheDirectoryAndSize()
    {
        var r = _s.Run("New-MvImage 'a cat' | Save-MvImage | Format-Table | Out-String");
        string text = string.Concat(r.Output.Select(o => o.ToString()));
        Assert.Contains("Directory: " + _s.Folder, text);
        Assert.Matches(@"\d{5,} a-cat-1\.png", text);
    }

    [Fact]
    public void ADeserializedImageHasNoBytesToSave()
    {
        var r = _s.Run("New-MvImage 'a cat' | Export-Clixml ./c.xml; Import-Clixml ./c.xml | Save-MvImage -Directory ./out");
        Assert.Equal("NoImageBytes,ModelverseImage.Commands.SaveMvImageCommand", r.TheError().FullyQualifiedErrorId);
        Assert.False(Directory.Exists(Path.Combine(_s.Folder, "out")) && _s.Files(Path.Combine(_s.Folder, "out")).Length > 0);
    }

    [Fact]
    public void PathNamingAFolderIsNotAFileEvenWithForce()
    {
        Directory.CreateDirectory(Path.Combine(_s.Folder, "pics"));
        var error = _s.Run("New-MvImage 'x' | Save-MvImage -Path ./pics -Force").TheError();
        Assert.Equal("NotAFile,ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Directory", error.Exception.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_s.Folder, "pics")));
    }

    [Fact]
    public void PathEndingInAFolderSeparatorIsRefusedBeforeAskingOrWarning()
    {
        var r = _s.Run("New-MvImage 'x' | Save-MvImage -Path ./new/ -WhatIf");
        var error = r.TheError();
        Assert.Equal("InvalidPath,ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("names a folder, not a file", error.ErrorDetails.Message);
        Assert.Empty(r.Warnings); // not "has no extension" about a name that is no file
        Assert.False(Directory.Exists(Path.Combine(_s.Folder, "new")));
    }

    /// <summary>Issue 26 item 2: the note that the image is kept in the record was said twice in one message.</summary>
    [Theory]
    [InlineData("FileExists", "Save-MvImage -Path ./taken.png")]
    [InlineData("TargetIsLink", "Save-MvImage -Path ./link.png -Force")]
    [InlineData("DirectoryNotFound", "Save-MvImage -Path ./missing/x.png")]
    public void ASaveErrorSaysOnceThatTheImageIsKept(string id, string save)
    {
        File.WriteAllText(Path.Combine(_s.Folder, "taken.png"), "keep");
        File.CreateSymbolicLink(Path.Combine(_s.Folder, "link.png"), Path.Combine(_s.Folder, "taken.png"));
        var error = _s.Run("New-MvImage 'x' | " + save).TheError();
        Assert.Equal(id + ",ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal("MvImage", error.TargetObject?.GetType().Name);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.ErrorDetails.Message, "kept in this error record"));
    }

    [Fact]
    public void DirectoryNamingAFileIsNotAFolder()
    {
        File.WriteAllText(Path.Combine(_s.Folder, "notes.txt"), "keep");
        var error = _s.Run("New-MvImage 'x' | Save-MvImage -Directory ./notes.txt").TheError();
        Assert.Equal("NotAFolder,ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(_s.Folder, "notes.txt")));
    }

    /// <summary>
    /// Issue 26 item 3: an existing file named like an image is a file, not a folder that looks like one (NotAFolder,
    /// as the README promises); a missing one is DirectoryLooksLikeFile, worded with the path given, not ./fox.png.
    /// </summary>
    [Fact]
    public void DirectoryNamingAnImageFileIsNotAFolderAndAMissingOneIsWordedWithItsOwnPath()
    {
        File.WriteAllText(Path.Combine(_s.Folder, "cat.png"), "keep");
        foreach (var save in new[] { "Save-MvImage -Directory ./cat.png", "Save-MvImage ./cat.png" })
            Assert.Equal("NotAFolder,ModelverseImage.Commands.SaveMvImageCommand", _s.Run("New-MvImage 'x' | " + save).TheError().FullyQualifiedErrorId);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(_s.Folder, "cat.png")));

        var missing = _s.Run("New-MvImage 'x' | Save-MvImage ./dog.webp").TheError();
        Assert.Equal("DirectoryLooksLikeFile,ModelverseImage.Commands.SaveMvImageCommand", missing.FullyQualifiedErrorId);
        Assert.Contains("./dog.webp", missing.ErrorDetails.Message);
        Assert.DoesNotContain("fox", missing.ErrorDetails.Message + missing.ErrorDetails.RecommendedAction);
    }

    [Theory]
    [InlineData(" -Force")]
    [InlineData("")]
    public void ASymbolicLinkIsRefusedWithOrWithoutForceAndTheTargetKept(string force)
    {
        string real = Path.Combine(_s.Folder, "real.png");
        File.WriteAllText(real, "original");
        File.CreateSymbolicLink(Path.Combine(_s.Folder, "link.png"), real);
        var error = _s.Run("New-MvImage 'x' | Save-MvImage -Path ./link.png" + force).TheError();
        Assert.Equal("TargetIsLink,ModelverseImage.Commands.SaveMvImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal("original", File.ReadAllText(real));
        Assert.NotNull(new FileInfo(Path.Combine(_s.Folder, "link.png")).LinkTarget);
    }
}
