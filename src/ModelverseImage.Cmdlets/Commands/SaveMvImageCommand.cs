using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;
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
        private bool _resumeWarned;
        private readonly HashSet<string> _writtenThisRun = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _ledgerWarned = new HashSet<string>(StringComparer.Ordinal);

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
        /// record). The folder's ledger still records the image, so -Resume still sees it.
        /// </summary>
        [Parameter]
        public SwitchParameter NoMetadata { get; set; }

        #endregion

        #region Overrides

        /// <summary>
        /// `Save-MvImage ./fox.png` binds ./fox.png to -Directory (position 0) and would make a folder of that name:
        /// refused before any cmdlet of the pipeline sends anything, when nothing of that name exists. An existing
        /// folder is used; an existing file is NotAFolder, reported by ProcessRecord about each image.
        /// </summary>
        protected override void BeginProcessing()
        {
            if (Directory == null || !FileNamer.HasImageExtension(Directory)) return;
            // A path that cannot be used is reported by ProcessRecord, about the image.
            string? folder = InputPaths.Literal(this, Directory, Directory, out _);
            if (folder != null && FileKind.Of(folder, followLinks: true) == FileKindValue.Missing)
                ThrowTerminatingError(ErrorCatalog.DirectoryLooksLikeFile.Create(Directory, Directory));
        }

        protected override void ProcessRecord()
        {
            var image = InputObject;
            if (!image.HasBytes)
            {
                WriteImageError(MvImageTransformationAttribute.NoImageBytes(image));
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
                // A mask (New-MvImageMask) is not AI-generated: it is saved as it was made, without the record.
                var marking = SaveMarking.For(image.Data, image.ToRecord(), image.IsPartial, NoMetadata.IsPresent || image.IsMask, enterMarked: image.ResumeFolder != null);
                if (exactName)
                {
                    AtomicFile.Write(target, marking.Parts, overwrite: Force.IsPresent, _cancel.Token, marking.BeforeMove);
                    written = target;
                }
                else
                {
                    written = AtomicFile.WriteUnique(_directory!, System.IO.Path.GetFileName(target), marking.Parts, _cancel.Token, marking.BeforeMove);
                }
                if (marking.Outcome == MarkOutcome.ContentCredentials) CmdletTrace.Verbose(this, $"Saved {written} as it came: it carries content credentials (C2PA), which are left intact.");
                if (marking.Outcome == MarkOutcome.Unmarked) WriteWarning(Words.Unmarked(written, image.Described().Format, marking.Fault));
                if (marking.LedgerFailure != null) NoteLedgerFailure(written, marking);
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
                WriteImageError(SaveErrors.From(ex, target, image));
            }
        }

        protected override void StopProcessing() => _cancel.Cancel();

        #endregion

        #region Private

        private string? ResolveFilePath(MvImage image)
        {
            if (_pathUsed)
            {
                WriteImageError(ErrorCatalog.PathUsedTwice.Create(image));
                return null;
            }
            _pathUsed = true;
            string? path = ProviderPath(Path, image);
            if (path == null) return null;
            if (System.IO.Directory.Exists(path))
            {
                WriteImageError(ErrorCatalog.NotAFile.Create(image, path, FileKindValue.Directory));
                return null;
            }
            if (System.IO.Path.GetFileName(path).Length == 0)
            {
                WriteImageError(ErrorCatalog.PathNamesAFolder.Create(image, path));
                return null;
            }
            // Said before -WhatIf or -Confirm would offer to write it; a link is refused even with -Force.
            try
            {
                AtomicFile.CheckTarget(path, overwrite: Force.IsPresent);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                WriteImageError(SaveErrors.From(ex, path, image));
                return null;
            }
            WarnIfNotTheResumeFolder(image, System.IO.Path.GetDirectoryName(path));
            var format = image.Described().Format;
            if (format != ImageFormat.Unknown && !FileNamer.ExtensionFits(path, format))
                WriteWarning(Words.ExtensionMismatch(format, System.IO.Path.GetFileName(path), System.IO.Path.GetExtension(path)));
            return path;
        }

        /// <summary>
        /// The ledger entry of a saved image could not be written: a warning the first time in this run for an image
        /// without its own record (a rerun may pay for it again), a verbose line after that and for marked images.
        /// </summary>
        private void NoteLedgerFailure(string written, SaveMarking marking)
        {
            string folder = System.IO.Path.GetDirectoryName(written)!;
            if (marking.Outcome == MarkOutcome.Marked || !_ledgerWarned.Add(folder))
                CmdletTrace.Verbose(this, Words.LedgerNotWrittenMarked(written, marking.LedgerFailure!));
            else
                WriteWarning(Words.LedgerNotWritten(written, folder, marking.LedgerFailure!));
        }

        /// <summary>
        /// Images planned with -Resume against one folder and saved into another (-Directory, or -Path's folder) would
        /// be paid for again on the next rerun: said once, as a warning, when the first such image arrives.
        /// </summary>
        private void WarnIfNotTheResumeFolder(MvImage image, string? folder)
        {
            if (_resumeWarned || image.ResumeFolder == null || folder == null) return;
            var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            string resume = System.IO.Path.GetFullPath(image.ResumeFolder).TrimEnd(System.IO.Path.DirectorySeparatorChar);
            string here = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar);
            if (string.Equals(resume, here, comparison)) return;
            _resumeWarned = true;
            WriteWarning(Words.NotTheResumeFolder(resume, here));
        }

        private string? ResolveDirectoryTarget(MvImage image)
        {
            if (_directory == null)
            {
                // Without -Directory: the -Resume folder the image was planned against, where a rerun will look; else here.
                string? directory = Directory != null ? ProviderPath(Directory, image) : image.ResumeFolder ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath;
                if (directory == null) return null;
                if (File.Exists(directory))
                {
                    WriteImageError(ErrorCatalog.NotAFolder.Create(image, directory));
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
                        WriteImageError(SaveErrors.From(ex, directory, image, isFolder: true));
                        return null;
                    }
                }
                _directory = directory;
            }
            WarnIfNotTheResumeFolder(image, _directory);
            string name = image.IsMask
                ? FileNamer.ForMask(image.SourcePath, image.Width, image.Height)
                : FileNamer.ForImage(image.Prompt, image.SourcePath, image.Index, image.Described().Format, image.IsPartial ? image.PartialIndex ?? 0 : null);
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

        /// <summary>Resolves a path against PowerShell's current location (<see cref="InputPaths"/>); only FileSystem paths are accepted.</summary>
        private string? ProviderPath(string path, MvImage image)
        {
            string? resolved = InputPaths.Literal(this, path, image, out var error);
            if (error != null) WriteImageError(error);
            return resolved;
        }

        /// <summary>
        /// What Get-Item -LiteralPath emits for the saved file: a FileInfo carrying PSPath, PSParentPath and the
        /// rest, so PowerShell's file view renders it and `| Remove-Item` binds -LiteralPath to exactly this file
        /// (a bare FileInfo would be bound as a wildcard path).
        /// </summary>
        private IEnumerable<PSObject> ProviderItem(string path) =>
            SessionState.InvokeProvider.Item.Get(new[] { path }, force: true, literalPath: true);

        /// <summary>Every error about an image says that the image is in the record (SaveErrors.KeepingImage).</summary>
        private void WriteImageError(ErrorRecord record) => WriteError(SaveErrors.KeepingImage(record));

        #endregion

        public void Dispose() => _cancel.Dispose();
    }
}
