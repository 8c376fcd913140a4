using System;
using System.Management.Automation;

namespace ModelverseImage.Metadata
{
    /// <summary>
    /// The one place the marking, Import-MvImage and -Resume code makes error records: each has an ErrorId, a
    /// category, a message, a RecommendedAction and the object it is about as TargetObject.
    /// </summary>
    internal static class MarkingErrors
    {
        public static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target, string message, string recommendedAction) =>
            new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction },
            };

        public static ErrorRecord FileNotReadable(Exception ex, string path) =>
            Record(ex, "FileNotReadable", ErrorCategory.ReadError, path, $"Cannot read '{path}': {ex.Message}",
                "Check that you may read the file and that no other program holds it open for writing.");

        public static ErrorRecord NotAnImage(string path) =>
            Record(new ArgumentException($"'{path}' is not a PNG, JPEG or WebP image."), "UnsupportedImageType", ErrorCategory.InvalidData, path,
                $"'{path}' is not a PNG, JPEG or WebP image (judged by its content, not its name).", "Import image files saved by Save-MvImage, or other PNG, JPEG or WebP files.");

        public static ErrorRecord FileNotFound(Exception ex, string path) =>
            Record(ex, "FileNotFound", ErrorCategory.ObjectNotFound, path, ex.Message, "Check the path; with -Path, wildcards are expanded, with -LiteralPath the name is taken as it is.");

        public static ErrorRecord NotAFileSystemPath(string path) =>
            Record(new ArgumentException($"'{path}' is not a file system path."), "NotAFileSystemPath", ErrorCategory.InvalidArgument, path,
                $"'{path}' is not a file system path.", "Give a file system path, such as ./renders/*.png.");

        public static ErrorRecord ResumeFolderNotReadable(Exception ex, string folder) =>
            Record(ex, "ResumeFolderNotReadable", ErrorCategory.ReadError, folder, $"Cannot read the -Resume folder '{folder}': {ex.Message}",
                "Check the path and your permissions; -Resume names the folder Save-MvImage -Directory saves into.");

        public static ErrorRecord InvalidResumeFolder(Exception ex, string folder) =>
            Record(ex, "InvalidResumeFolder", ErrorCategory.InvalidArgument, folder, $"-Resume '{folder}': {ex.Message}",
                "Give the file system folder that Save-MvImage -Directory saves into, such as ./renders.");
    }
}
