using ModelverseImage.Errors;
using ModelverseImage.Saving;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// Save-MvImage's error ids by what failed. A full disk and a read-only file system cannot be made here
/// without mounting, so their classification is checked from the errno / HRESULT the runtime puts in HResult.
/// </summary>
public sealed class SaveErrorTests
{
    [Theory]
    [InlineData(28, "DiskFull", ErrorCategory.WriteError)]                       // ENOSPC (Linux, macOS)
    [InlineData(unchecked((int)0x80070070), "DiskFull", ErrorCategory.WriteError)] // ERROR_DISK_FULL
    [InlineData(30, "AccessDenied", ErrorCategory.PermissionDenied)]              // EROFS
    [InlineData(unchecked((int)0x80070013), "AccessDenied", ErrorCategory.PermissionDenied)] // ERROR_WRITE_PROTECT
    [InlineData(5, "SaveFailed", ErrorCategory.WriteError)]                       // EIO: nothing more specific
    public void IoFailuresAreNamedByWhatHappened(int hresult, string id, ErrorCategory category)
    {
        var record = SaveErrors.From(new IOException("failed", hresult), "/x/a.png");
        Assert.Equal(id, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
    }

    [Fact]
    public void ADiskFullWhileReplacingAnExistingFileIsNotFileExists()
    {
        string existing = Path.GetTempFileName();
        try
        {
            Assert.Equal("DiskFull", SaveErrors.From(new IOException("No space left on device", 28), existing).FullyQualifiedErrorId);
            Assert.Equal("SaveFailed", SaveErrors.From(new IOException("other"), existing).FullyQualifiedErrorId);
        }
        finally
        {
            File.Delete(existing);
        }
    }

    [Fact]
    public void EveryErrorSaysWhatToDoAndNamesTheTargetNotTheTemporaryFile()
    {
        var denied = SaveErrors.From(new UnauthorizedAccessException("Access to the path '/x/.a.png.0123.tmp' is denied."), "/x/a.png");
        Assert.Equal("Cannot write '/x/a.png': access is denied, or the disk is read-only.", denied.ErrorDetails.Message);
        Assert.Contains("/x/a.png", SaveErrors.From(new IOException("No space left on device", 28), "/x/a.png").ErrorDetails.Message);
        foreach (var ex in new Exception[] { new FileExistsException("/x/a.png"), new LinkNotReplacedException("/x/a.png"), new DirectoryNotFoundException(), new UnauthorizedAccessException(), new ArgumentException(), new IOException("other") })
            Assert.False(string.IsNullOrWhiteSpace(SaveErrors.From(ex, "/x/a.png").ErrorDetails.RecommendedAction), ex.GetType().Name);
    }

    [Fact]
    public void TheCoresRefusalsAreWordedFromTheirFacts()
    {
        Assert.Equal("The file '/x/a.png' already exists. Use -Force to overwrite it.", SaveErrors.From(new FileExistsException("/x/a.png"), "/x/a.png").ErrorDetails.Message);
        Assert.StartsWith("'/x/a.png' is a symbolic link; it is not replaced, even with -Force", SaveErrors.From(new LinkNotReplacedException("/x/a.png"), "/x/a.png").ErrorDetails.Message);
        Assert.StartsWith("'/x/p' is a named pipe (fifo), not a regular file", SaveErrors.From(new NotARegularFileException("/x/p", SpecialFileKind.NamedPipe), "/x/p").ErrorDetails.Message);
        Assert.StartsWith("'/x/d' is a device, not a regular file", SaveErrors.From(new NotARegularFileException("/x/d", SpecialFileKind.Device), "/x/d").ErrorDetails.Message);
        Assert.Equal("The folder '/x' does not exist.", SaveErrors.From(new DirectoryNotFoundException("Could not find a part of the path '/x/.a.png.0123.tmp'."), "/x/a.png").ErrorDetails.Message);
    }

    [Fact]
    public void OwnExceptionsKeepTheirIds()
    {
        Assert.Equal("FileExists", SaveErrors.From(new FileExistsException("/x/a.png"), "/x/a.png").FullyQualifiedErrorId);
        Assert.Equal("TargetIsLink", SaveErrors.From(new LinkNotReplacedException("/x/a.png"), "/x/a.png").FullyQualifiedErrorId);
        Assert.Equal("AccessDenied", SaveErrors.From(new UnauthorizedAccessException(), "/x/a.png").FullyQualifiedErrorId);
    }
}
