using System;
using System.IO;
using System.Management.Automation;
using ModelverseImage.Output;
using ModelverseImage.Saving;

namespace ModelverseImage.Errors
{
    /// <summary>
    /// Which catalogue entry a failed save is. The id says what happened, whatever the platform: errno values
    /// (ENOSPC 28, EROFS 30 on Linux and macOS) and Windows HRESULTs (disk full, write-protected) arrive in
    /// IOException.HResult. The system's words for some of these name the temporary file written first, so
    /// those messages name the target (or its folder) instead.
    /// </summary>
    internal static class SaveErrors
    {
        /// <param name="ex">What the save threw.</param>
        /// <param name="path">The file (or, with <paramref name="isFolder"/>, the folder) being written.</param>
        /// <param name="target">The record's TargetObject; the path when not given. An MvImage stays in the record (and
        /// <see cref="KeepingImage"/>, which Save-MvImage applies to every record it writes, says so).</param>
        public static ErrorRecord From(Exception ex, string path, object? target = null, bool isFolder = false)
        {
            target ??= path;
            return ex switch
            {
                NotARegularFileException special => ErrorCatalog.NotAFile.Refusal(special, target, path, special.Kind),
                FileExistsException exists => ErrorCatalog.FileExists.Refusal(exists, target, path),
                LinkNotReplacedException link => ErrorCatalog.TargetIsLink.Refusal(link, target, path),
                DirectoryNotFoundException => isFolder
                    ? ErrorCatalog.FolderAboveMissing.Wrap(ex, target, path)
                    : ErrorCatalog.DirectoryNotFound.Wrap(ex, target, Path.GetDirectoryName(path)),
                UnauthorizedAccessException => ErrorCatalog.AccessDenied.Wrap(ex, target, path),
                IOException io when IsReadOnlyFileSystem(io.HResult) => ErrorCatalog.AccessDenied.Wrap(ex, target, path),
                IOException io when IsDiskFull(io.HResult) => ErrorCatalog.DiskFull.Wrap(ex, target, path),
                ArgumentException or NotSupportedException => (isFolder ? ErrorCatalog.InvalidFolderPath : ErrorCatalog.InvalidPath).Wrap(ex, target, ex.Message),
                _ => ErrorCatalog.SaveFailed.Wrap(ex, target, path, ex.Message),
            };
        }

        /// <summary>
        /// A record about an image that was not saved: when its TargetObject is the MvImage, the message says the
        /// image is there, so `$err.TargetObject | Save-MvImage -Directory elsewhere` keeps what was paid for.
        /// </summary>
        public static ErrorRecord KeepingImage(ErrorRecord record)
        {
            if (record.TargetObject is MvImage image && image.HasBytes && record.ErrorDetails != null)
            {
                record.ErrorDetails = new ErrorDetails(record.ErrorDetails.Message + " " + ErrorCatalog.ImageKeptNote)
                {
                    RecommendedAction = record.ErrorDetails.RecommendedAction,
                };
            }
            return record;
        }

        private static bool IsDiskFull(int hresult) =>
            hresult == 28 || hresult == unchecked((int)0x80070070) || hresult == unchecked((int)0x80070027);

        private static bool IsReadOnlyFileSystem(int hresult) =>
            hresult == 30 || hresult == unchecked((int)0x80070013);
    }
}
