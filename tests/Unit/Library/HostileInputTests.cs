using System.Collections;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Management.Automation;
using ModelverseImage.Commands;
using ModelverseImage.Errors;
using ModelverseImage.Output;
using ModelverseImage.Parameters;
using ModelverseImage.Saving;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// Issue #20 at the library level: a save error keeps the image and says so, a named pipe is never a file to
/// replace, -AdditionalParameter values become plain values or are refused, and blank or wordy CSV cells.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly byte[] Png = TestImages.Png(8, 8, 2);

    [Fact]
    public void ASaveErrorAboutAnImageKeepsItAsTargetObjectAndSaysSo()
    {
        var image = new MvImage(Png, "png", 8, 8);
        var kinds = new Exception[]
        {
            new FileExistsException("/x/a.png"), new LinkNotReplacedException("/x/a.png"), new DirectoryNotFoundException(),
            new UnauthorizedAccessException(), new IOException("full", 28), new IOException("other"),
        };
        foreach (var ex in kinds)
        {
            // As Save-MvImage writes it: the record of the failure, then the note that the image is kept (once).
            var record = SaveErrors.KeepingImage(SaveErrors.From(ex, "/x/a.png", image));
            Assert.Same(image, record.TargetObject);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(record.ErrorDetails.Message, "kept in this error record"));
            Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails.RecommendedAction));
        }
        Assert.DoesNotContain("TargetObject", SaveErrors.From(new IOException("other"), "/x/a.png").ErrorDetails.Message);
    }

    [Fact]
    public void ANamedPipeIsNotAFileToReplaceEvenWithForce()
    {
        if (OperatingSystem.IsWindows()) return;
        string folder = Directory.CreateTempSubdirectory("mv-fifo-").FullName;
        try
        {
            string fifo = Path.Combine(folder, "x.png");
            using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
            Assert.Equal(FileKindValue.Special, FileKind.Of(fifo, followLinks: false));
            Assert.Throws<NotARegularFileException>(() => AtomicFile.CheckTarget(fifo, overwrite: true));
            Assert.Throws<NotARegularFileException>(() => AtomicFile.Write(fifo, new[] { new ArraySegment<byte>(Png) }, overwrite: true, CancellationToken.None));
            Assert.Equal("NotAFile", SaveErrors.From(new NotARegularFileException(fifo, SpecialFileKind.NamedPipe), fifo).FullyQualifiedErrorId);
            Assert.Equal(FileKindValue.Special, FileKind.Of(fifo, followLinks: false));

            string regular = Path.Combine(folder, "y.png");
            File.WriteAllBytes(regular, Png);
            Assert.Equal(FileKindValue.Regular, FileKind.Of(regular, followLinks: false));
            Assert.Equal(FileKindValue.Directory, FileKind.Of(folder, followLinks: false));
            Assert.Equal(FileKindValue.Missing, FileKind.Of(Path.Combine(folder, "none"), followLinks: false));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AdditionalValuesBecomePlainValues()
    {
        var json = new PSObject();
        json.Properties.Add(new PSNoteProperty("owner", "ops"));
        json.Properties.Add(new PSNoteProperty("tags", new object[] { "a", PSObject.AsPSObject(DayOfWeek.Monday) }));
        var plain = Assert.IsType<OrderedDictionary>(AdditionalValue.ToPlain(json, "metadata"));
        Assert.Equal("ops", plain["owner"]);
        Assert.Equal(new object?[] { "a", "Monday" }, Assert.IsType<object?[]>(plain["tags"]));
        Assert.Equal("x", AdditionalValue.ToPlain('x', "f"));
        Assert.Equal(1.5, AdditionalValue.ToPlain(1.5, "f"));
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("infinity")]
    [InlineData("self")]
    [InlineData("deep")]
    [InlineData("scriptblock")]
    public void UnsendableAdditionalValuesAreRefusedNamingTheField(string kind)
    {
        object value;
        switch (kind)
        {
            case "nan": value = double.NaN; break;
            case "infinity": value = float.NegativeInfinity; break;
            case "self": var self = new Hashtable(); self["self"] = self; value = self; break;
            case "deep":
                var deep = new Hashtable { ["leaf"] = 1 };
                for (int i = 0; i < 1000; i++) deep = new Hashtable { ["inner"] = deep };
                value = deep;
                break;
            default: value = ScriptBlock.Create("1"); break;
        }
        var ex = Assert.Throws<AdditionalValue.UnsendableValueException>(() => AdditionalValue.ToPlain(value, "odd_field"));
        Assert.Contains("odd_field", ex.Message);
    }

    [Fact]
    public void BlankOrNullCellsMeanNotSetAndWordsAreNotCounts()
    {
        var count = new EmptyAsDefaultAttribute(1);
        Assert.Equal(1, count.Transform(null!, null));
        Assert.Equal(1, count.Transform(null!, " "));
        Assert.Equal(3, count.Transform(null!, " 3 "));
        Assert.Throws<ValidationMetadataException>(() => count.Transform(null!, "three"));
        Assert.Throws<ValidationMetadataException>(() => count.Transform(null!, "99999999999"));
        Assert.Equal("auto", new EmptyAsDefaultAttribute("auto").Transform(null!, null));
    }
}
