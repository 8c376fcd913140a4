using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using ModelverseImage.Imaging;
using ModelverseImage.Metadata;
using ModelverseImage.Output;
using ModelverseImage.Parameters;
using ModelverseImage.Saving;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Writes MvImage objects to disk, atomically, under readable collision-free names (or the -Path
    /// given), never overwriting anything without -Force.
    /// </summary>
    [Cmdlet(VerbsData.Save, "MvImage", SupportsShouldProcess = true, DefaultParameterSetName = DirectorySet)]
    [OutputType(typeof(FileInfo))]
    [OutputType(typeof(MvImage))]
    public sealed class SaveMvImageCommand : PSCmdlet, IDisposable
    {
        private const string DirectorySet = "Directory";
        private const string PathSet = "Path";

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private string? _directory;
        private bool _pathUsed;
        private readonly HashSet<string> _writtenThisRun = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        #region Parameters

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [MvImageTransformation]
        public MvImage InputObject { get; set; } = null!;

        /// <summary>The file to write, for a single image. Taken literally (no wildcards).</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The folder to write to (created if missing); PowerShell's current location by default.</summary>
        [Parameter(ParameterSetName = DirectorySet, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Directory { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Skips partial images (IsPartial, from -PartialImages): only final images are saved.</summary>
        [Parameter]
        public SwitchParameter ExcludePartial { get; set; }

        /// <summary>
        /// Saves the API's bytes unchanged: no XMP record (what made the image, the AI-generated mark, the rerun
        /// record). The rerun journal still records the image, so -Resume still sees it.
        /// </summary>
        [Parameter]
        public SwitchParameter NoMetadata { get; set; }

        #endregion

        #region Overrides

        protected override void ProcessRecord()
        {
            var image = InputObject;
            if (!image.HasBytes)
            {
                WriteError(MvImageTransformationAttribute.NoImageBytes(image));
                return;
            }
            if (SkipPartial(image)) return;
            string? target = ParameterSetName == PathSet ? ResolveFilePath(image) : ResolveDirectoryTarget(image);
            if (target == null) return;
            // -Force replaces files that were there before; two images of this run that get the same
            // name (the same prompt twice, cat.png and cat.jpg) both stay, the second as "name (2)".
            bool exactName = ParameterSetName == PathSet || (Force.IsPresent && !_writtenThisRun.Contains(target));
            // What -WhatIf and -Confirm show is the file that would be written: a taken name becomes "name (2)".
            string shown = exactName ? target : AtomicFile.FirstFreeName(_directory!, System.IO.Path.GetFileName(target), _writtenThisRun);
            string action = File.Exists(shown) ? "Replace the file with" : "Save";
            if (!ShouldProcess(shown, $"{action} {image.Format} image {image.Width}x{image.Height} ({image.Length:N0} bytes)"))
            {
                // Under -WhatIf the name counts as written, so the next image of the same name is shown as it would be.
                if (ShouldProcessPreferences.WhatIf(this)) _writtenThisRun.Add(shown);
                return;
            }

            try
            {
                string written;
                var marking = SaveMarking.For(image, NoMetadata.IsPresent);
                if (exactName)
                {
                    AtomicFile.WriteParts(target, marking.Parts, overwrite: Force.IsPresent, _cancel.Token, marking.BeforeMove);
                    written = target;
                }
                else
                {
                    written = AtomicFile.WriteUniqueParts(_directory!, System.IO.Path.GetFileName(target), marking.Parts, _cancel.Token, marking.BeforeMove);
                }
                if (marking.Outcome == MarkOutcome.ContentCredentials) CmdletTrace.Verbose(this, $"Saved {written} as it came: it carries content credentials (C2PA), which are left intact.");
                _writtenThisRun.Add(written);
                CmdletTrace.Verbose(this, $"Saved {written}");
                if (PassThru.IsPresent)
                {
                    image.Path = written;
                    WriteObject(image);
                }
                else
                {
                    WriteObject(ProviderItem(written), enumerateCollection: true);
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                WriteError(SaveError(ex, target));
            }
        }

        protected override void StopProcessing() => _cancel.Cancel();

        #endregion

        #region Private

        private string? ResolveFilePath(MvImage image)
        {
            if (_pathUsed)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"-Path names one file, but more than one image arrived; use -Directory to save several."),
                    "PathUsedTwice", ErrorCategory.InvalidOperation, image));
                return null;
            }
            _pathUsed = true;
            string? path = ProviderPath(Path, image);
            if (path == null) return null;
            if (System.IO.Directory.Exists(path))
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{path}' is a folder; -Path names the file to write. To save into the folder, use -Directory '{Path}'."),
                    "NotAFile", ErrorCategory.InvalidArgument, image));
                return null;
            }
            // Said before -WhatIf or -Confirm would offer to write it; a link is refused even with -Force.
            try
            {
                AtomicFile.CheckTarget(path, overwrite: Force.IsPresent);
            }
            catch (IOException ex)
            {
                WriteError(SaveError(ex, path));
                return null;
            }
            var format = image.Described().Format;
            string extension = System.IO.Path.GetExtension(path);
            if (format != ImageFormat.Unknown && !ExtensionFits(extension, format))
                WriteWarning(extension.Length == 0
                    ? $"The image is {ImageSniffer.Name(format)} but '{System.IO.Path.GetFileName(path)}' has no extension: other programs may not know how to open it."
                    : $"The image is {ImageSniffer.Name(format)} but '{System.IO.Path.GetFileName(path)}' has the extension '{extension}'.");
            return path;
        }

        private string? ResolveDirectoryTarget(MvImage image)
        {
            if (_directory == null)
            {
                string? directory = Directory == null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : ProviderPath(Directory, image);
                if (directory == null) return null;
                if (File.Exists(directory))
                {
                    WriteError(new ErrorRecord(new ArgumentException($"'{directory}' is a file; -Directory names the folder to save into. To write that file, use -Path (with -Force to replace it)."),
                        "NotAFolder", ErrorCategory.InvalidArgument, image));
                    return null;
                }
                // Asked once; under -WhatIf the file names are still shown.
                if (!System.IO.Directory.Exists(directory) && ShouldProcess(directory, "Create directory"))
                {
                    try
                    {
                        System.IO.Directory.CreateDirectory(directory);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
                    {
                        WriteError(SaveError(ex, directory, isFolder: true));
                        return null;
                    }
                }
                _directory = directory;
            }
            var format = image.Described().Format;
            string name = string.IsNullOrEmpty(image.SourcePath)
                ? FileNamer.ForGenerated(image.Prompt, image.Index, format)
                : FileNamer.ForEdit(image.SourcePath, image.Index, format);
            if (image.IsPartial) name = FileNamer.ForPartial(name, image.PartialIndex ?? 0);
            return System.IO.Path.Combine(_directory, name);
        }

        /// <summary>
        /// Partial images are skipped with -ExcludePartial, and with -Path, which names the file of the one final image.
        /// </summary>
        private bool SkipPartial(MvImage image)
        {
            if (!image.IsPartial || !(ExcludePartial.IsPresent || ParameterSetName == PathSet)) return false;
            CmdletTrace.Verbose(this, $"Skipped partial image {image.PartialIndex} of '{image.Prompt}'" + (ExcludePartial.IsPresent ? " (-ExcludePartial)." : ": -Path names the file of the final image."));
            return true;
        }

        /// <summary>Resolves a path against PowerShell's current location; only FileSystem paths are accepted.</summary>
        private string? ProviderPath(string path, object target)
        {
            try
            {
                string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return resolved;
                WriteError(new ErrorRecord(new ArgumentException($"'{path}' is not a file system path (it belongs to the {provider.Name} provider)."),
                    "NotAFileSystemPath", ErrorCategory.InvalidArgument, target));
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is ArgumentException || ex is NotSupportedException)
            {
                WriteError(new ErrorRecord(ex, "InvalidPath", ErrorCategory.InvalidArgument, target));
            }
            return null;
        }

        /// <summary>
        /// What Get-Item -LiteralPath emits for the saved file: a FileInfo carrying PSPath, PSParentPath and the
        /// rest, so PowerShell's file view renders it and `| Remove-Item` binds -LiteralPath to exactly this file
        /// (a bare FileInfo would be bound as a wildcard path).
        /// </summary>
        private IEnumerable<PSObject> ProviderItem(string path) =>
            SessionState.InvokeProvider.Item.Get(new[] { path }, force: true, literalPath: true);

        private static bool ExtensionFits(string extension, ImageFormat format) => format switch
        {
            ImageFormat.Jpeg => extension.Equals(".jpg", StringComparison.OrdinalIgnoreCase) || extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase),
            _ => extension.Equals(ImageSniffer.Extension(format), StringComparison.OrdinalIgnoreCase),
        };

        /// <summary>
        /// The error id says what happened, whatever the platform: errno values (ENOSPC 28, EROFS 30 on Linux
        /// and macOS) and Windows HRESULTs (disk full, write-protected) arrive in IOException.HResult.
        /// </summary>
        internal static ErrorRecord SaveError(Exception ex, string target, bool isFolder = false)
        {
            var (id, category) = ex switch
            {
                FileExistsException => ("FileExists", ErrorCategory.ResourceExists),
                LinkNotReplacedException => ("TargetIsLink", ErrorCategory.InvalidOperation),
                DirectoryNotFoundException => ("DirectoryNotFound", ErrorCategory.ObjectNotFound),
                UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied),
                IOException io when IsReadOnlyFileSystem(io.HResult) => ("AccessDenied", ErrorCategory.PermissionDenied),
                IOException io when IsDiskFull(io.HResult) => ("DiskFull", ErrorCategory.WriteError),
                ArgumentException or NotSupportedException => ("InvalidPath", ErrorCategory.InvalidArgument),
                _ => ("SaveFailed", ErrorCategory.WriteError),
            };
            // The system's words for these name the temporary file written first: say it of the target instead.
            string? message = id switch
            {
                "AccessDenied" => $"Cannot write '{target}': access is denied, or the disk is read-only.",
                "DiskFull" => $"Cannot write '{target}': the disk is full.",
                "SaveFailed" => $"Cannot write '{target}': {ex.Message}",
                _ => null,
            };
            string action = id switch
            {
                "FileExists" => "Save with -Directory, which picks a free name, or pass -Force to replace the file.",
                "TargetIsLink" => "Save to the file the link points to, or under another name.",
                "DirectoryNotFound" => isFolder ? "Check the path: a folder above it is missing or cannot be reached." : "Create the folder first, or save with -Directory, which creates it.",
                "AccessDenied" => "Check the permissions of the folder, or save to another one.",
                "DiskFull" => "Free some space, or save to another disk.",
                "InvalidPath" => isFolder ? "Give a file system folder, such as ./renders." : "Give a file system path, such as ./renders/cat.png.",
                _ => "Try again, or save to another folder.",
            };
            return new ErrorRecord(ex, id, category, target)
            {
                ErrorDetails = new ErrorDetails(message ?? ex.Message) { RecommendedAction = action },
            };
        }

        private static bool IsDiskFull(int hresult) =>
            hresult == 28 || hresult == unchecked((int)0x80070070) || hresult == unchecked((int)0x80070027);

        private static bool IsReadOnlyFileSystem(int hresult) =>
            hresult == 30 || hresult == unchecked((int)0x80070013);

        #endregion

        public void Dispose() => _cancel.Dispose();
    }
}
