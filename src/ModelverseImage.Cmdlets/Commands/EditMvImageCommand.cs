using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ModelverseImage.Api;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Parameters;
using ModelverseImage.Resume;
using ModelverseImage.Saving;

namespace ModelverseImage.Commands
{
    /// <summary>Edits images with gpt-image-2 (POST /images/edits, multipart), one request per input image.</summary>
    [Cmdlet(VerbsData.Edit, "MvImage", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(MvImage))]
    public sealed partial class EditMvImageCommand : MvImageRequestCommand
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";

        private readonly List<ImageUpload> _references = new List<ImageUpload>();

        #region Parameters

        /// <summary>Image files to edit; wildcards allowed. Position 1: the prompt comes first, as with Select-String.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [TextInput(typeof(FileSystemInfo), typeof(PathInfo))]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Image files to edit, taken literally; binds the PSPath of Get-ChildItem's output.</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Images from New-MvImage or an earlier Edit-MvImage, edited without touching the disk.</summary>
        [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
        [MvImageTransformation]
        public MvImage[] InputObject { get; set; } = Array.Empty<MvImage>();

        /// <summary>What to change. Position 0 in every parameter set, so piped files take a positional prompt.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidatePrompt]
        public string Prompt { get; set; } = string.Empty;

        /// <summary>More images sent with every request (at most 15, so 16 in all).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateCount(1, ApiRules.MaxUploadImages - 1)]
        public string[]? ReferenceImage { get; set; }

        [Parameter]
        [Alias("n")]
        [ValidateRange(ApiRules.MinCount, ApiRules.MaxCount)]
        public int Count { get; set; } = 1;

        [Parameter]
        [ValidateImageSize]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string Size { get; set; } = Sizes.ImageSizeRules.Auto;

        [Parameter]
        [ValidateQuality]
        [ArgumentCompleter(typeof(QualityCompleter))]
        public string? Quality { get; set; }

        [Parameter]
        [ValidateSet(ApiRules.FidelityHigh, ApiRules.FidelityLow, IgnoreCase = true)]
        public string? InputFidelity { get; set; }

        /// <summary>Also edits partial images (IsPartial, from -PartialImages), each billed as an edit; by default they are skipped.</summary>
        [Parameter(ParameterSetName = InputObjectSet)]
        public SwitchParameter IncludePartial { get; set; }

        #endregion

        #region Overrides

        private protected override string ProgressVerb => "Editing";

        protected override void BeginProcessing()
        {
            if (InputFidelity != null && !ApiRules.AcceptsInputFidelity(Model.Trim()))
            {
                ThrowTerminatingError(ErrorCatalog.InputFidelityNotSupported.Create(InputFidelity, Model));
            }
            RefusePromptThatIsAFile();
            PrepareMask();
            foreach (var reference in ReferenceImage ?? Array.Empty<string>())
            {
                string path = ParameterFile(reference, nameof(ReferenceImage));
                var upload = CheckFile(path, out var error, out _);
                if (error != null) ThrowTerminatingError(ErrorEntry.AboutParameter(error, nameof(ReferenceImage)));
                _references.Add(upload!);
            }
            base.BeginProcessing();
        }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    foreach (var image in InputObject) EditInMemory(image);
                    break;
                case LiteralPathSet:
                    foreach (var path in LiteralPath)
                    {
                        string? resolved = InputPaths.Literal(this, path);
                        if (resolved != null) EditFile(resolved);
                    }
                    break;
                default:
                    var files = Path.SelectMany(path => InputPaths.Expand(this, path)).ToList();
                    // Paths given as an argument (not piped) are all known now: progress can count to them.
                    if (!MyInvocation.ExpectingInput) KnownTotal = files.Count;
                    foreach (var file in files) EditFile(file);
                    break;
            }
        }

        #endregion

        #region Private

        /// <summary>
        /// Before 0.2 the path came first; `Edit-MvImage ./room.png 'add a window'` now reads the file name as the
        /// prompt, and `Edit-MvImage ./cat.png ./dog.png` would edit dog.png with the prompt "./cat.png". A prompt
        /// that is the path of an existing file is almost surely such a mistake, in every parameter set and with
        /// piped input alike: it is refused before anything is sent.
        /// </summary>
        private void RefusePromptThatIsAFile()
        {
            if (Prompt.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0 || Prompt.Trim().Length == 0) return;
            var asPath = InputPaths.Resolve(this, Prompt, wildcards: false);
            if (asPath.Files.Count == 0 || !File.Exists(asPath.Files[0])) return;
            ThrowTerminatingError(ErrorCatalog.PromptFirst.Create(Prompt, Prompt));
        }

        private void EditFile(string path)
        {
            var upload = CheckFile(path, out var error, out var header);
            if (error != null)
            {
                WriteError(error);
                return;
            }
            // A listing that is still being read (Get-ChildItem -Recurse) meets the images this run saved: never edited again.
            if (SavedIndex.ReadRecord(path)?.RunId == RunId)
            {
                CmdletTrace.Verbose(this, $"Skipped {path}: this run made it.");
                return;
            }
            if (!TryMaskFor(header.Width, header.Height, path, out var mask)) return;
            Send(upload!, mask, path, path, System.IO.Path.GetFileName(path));
        }

        private void EditInMemory(MvImage image)
        {
            if (!image.HasBytes)
            {
                WriteError(MvImageTransformationAttribute.NoImageBytes(image));
                return;
            }
            if (image.IsPartial && !IncludePartial.IsPresent)
            {
                // Each edit is billed: a partial image is a preview of the final one, which follows it.
                CmdletTrace.Verbose(this, $"Skipped partial image {image.PartialIndex} of '{image.Prompt}': only final images are edited (-IncludePartial edits partial images too).");
                return;
            }
            if (RefuseMaskAsImage(image)) return;
            var (format, width, height) = image.Described();
            if (format == ImageFormat.Unknown)
            {
                WriteError(ErrorCatalog.InvalidImageObject.Create(image));
                return;
            }
            if (!TryMaskFor(width, height, image, out var mask)) return;
            // A saved image (Save-MvImage -PassThru) is named after its file; else after the file it was edited from.
            string source = image.Path.Length > 0 ? image.Path : image.SourcePath;
            var upload = ImageUpload.FromBytes(image.Data, FileNamer.ForUpload(source, format), format);
            Send(upload, mask, image, source, source.Length > 0 ? System.IO.Path.GetFileName(source) : image.ToString());
        }

        private void Send(ImageUpload upload, ImageUpload? mask, object target, string sourcePath, string label)
        {
            var request = new ImageRequest(Prompt, Model);
            request.Images.Add(upload);
            foreach (var reference in _references) request.Images.Add(reference);
            request.Mask = mask;
            AddCommonFields(request, Count, Size, Quality);
            if (InputFidelity != null) request.Send(ApiRules.InputFidelityField, InputFidelity.ToLowerInvariant());
            AddAdditionalFields(request);
            Submit(request, label, target, sourcePath);
        }

        /// <summary>Checks an upload before anything is sent: it exists, is under 50 MB and is PNG, JPEG or WebP by its bytes.</summary>
        private static ImageUpload? CheckFile(string path, out ErrorRecord? error, out ImageHeader header)
        {
            header = default;
            error = null;
            try
            {
                var info = new FileInfo(path);
                if (Directory.Exists(path))
                {
                    error = ErrorCatalog.NotAnInputFile.Create(path, path, FileKindValue.Directory);
                    return null;
                }
                // Checked before anything opens it: opening a named pipe for reading blocks until a writer appears.
                if (FileKind.Of(path, followLinks: true) == FileKindValue.Special)
                {
                    error = ErrorCatalog.NotAnInputFile.Create(path, path, FileKind.Special(path));
                    return null;
                }
                if (!info.Exists)
                {
                    error = ErrorCatalog.FileNotFound.Create(path, path);
                    return null;
                }
                if (info.Length > ApiRules.MaxUploadBytes)
                {
                    error = ErrorCatalog.ImageTooLarge.Create(path, path, info.Length / 1048576.0, ApiRules.MaxUploadSizeText);
                    return null;
                }
                header = ImageSniffer.ReadFile(path);
                if (header.Format == ImageFormat.Unknown)
                {
                    error = ErrorCatalog.UnsupportedImageType.Create(path, path);
                    return null;
                }
                if (header.Width == 0 || header.Height == 0)
                {
                    error = ErrorCatalog.InvalidImageData.Create(path, path, header.Format);
                    return null;
                }
                return ImageUpload.FromFile(path, header.Format, info.Length);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                error = ErrorCatalog.FileNotReadable.Wrap(ex, path, path, ex.Message);
                return null;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException)
            {
                error = ErrorCatalog.InvalidPath.Wrap(ex, path, ex.Message);
                return null;
            }
        }

        /// <summary>Resolves the path of -Mask or -ReferenceImage; a bad one ends the command before anything is sent.</summary>
        private string ParameterFile(string path, string parameter)
        {
            string? file = InputPaths.OfParameter(this, path, parameter, out var error);
            if (error != null) ThrowTerminatingError(error);
            return file!;
        }

        #endregion
    }
}
