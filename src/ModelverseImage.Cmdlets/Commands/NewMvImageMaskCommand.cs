using System;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Parameters;
using ModelverseImage.Saving;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Makes the PNG mask the edit endpoint takes (RGBA: fully transparent where the image may change, opaque black
    /// elsewhere), the size of an image (a file, or an MvImage) or of -Size, from rectangles and ellipses in pixels or
    /// fractions of the image. Writes nothing to disk: the mask is an MvImage (IsMask), which Save-MvImage saves and
    /// Edit-MvImage -Mask takes.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "MvImageMask", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(MvImage))]
    public sealed class NewMvImageMaskCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";
        private const string SizeSet = "Size";

        private MaskDesign _design = null!;

        #region Parameters

        /// <summary>Images whose size the masks take (one mask each); wildcards allowed.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [TextInput(typeof(FileSystemInfo), typeof(PathInfo))]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Images whose size the masks take, taken literally; binds the PSPath of Get-ChildItem's output.</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Images from New-MvImage, Edit-MvImage or Import-MvImage whose size the masks take.</summary>
        [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
        [MvImageTransformation]
        public MvImage[] InputObject { get; set; } = Array.Empty<MvImage>();

        /// <summary>The mask's size, WIDTHxHEIGHT in pixels, when no image is given.</summary>
        [Parameter(ParameterSetName = SizeSet, Mandatory = true)]
        [ValidateMaskSize]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string Size { get; set; } = string.Empty;

        /// <summary>Rectangles where the image may change: x, y, width, height each; several each in parentheses.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public double[][]? Rectangle { get; set; }

        /// <summary>Ellipses where the image may change, each inscribed in the rectangle x, y, width, height.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public double[][]? Ellipse { get; set; }

        /// <summary>The regions' numbers are fractions of the image's width and height (0,0,1,0.333 is the top third).</summary>
        [Parameter]
        public SwitchParameter Fraction { get; set; }

        /// <summary>The regions are kept and everything else may change.</summary>
        [Parameter]
        public SwitchParameter Invert { get; set; }

        #endregion

        #region Overrides

        /// <summary>Regions that can make no mask at any size end the command before any mask is made.</summary>
        protected override void BeginProcessing()
        {
            var design = MaskRegions.FromParameters(Rectangle, Ellipse, Fraction.IsPresent, Invert.IsPresent, out var error);
            if (error != null) ThrowTerminatingError(error);
            _design = design!;
        }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case SizeSet:
                    MaskDesign.TryParseSize(Size, out int width, out int height);
                    Make(width, height, Size, string.Empty);
                    break;
                case InputObjectSet:
                    foreach (var image in InputObject) MakeFor(image);
                    break;
                case LiteralPathSet:
                    foreach (var path in LiteralPath)
                    {
                        if (InputPaths.Literal(this, path) is string file) MakeFor(file);
                    }
                    break;
                default:
                    foreach (var path in Path)
                    {
                        foreach (var file in InputPaths.Expand(this, path)) MakeFor(file);
                    }
                    break;
            }
        }

        #endregion

        #region Private

        private void MakeFor(MvImage image)
        {
            if (!image.HasBytes)
            {
                WriteError(MvImageTransformationAttribute.NoImageBytes(image));
                return;
            }
            var (format, width, height) = image.Described();
            if (format == ImageFormat.Unknown || width == 0 || height == 0)
            {
                WriteError(ErrorCatalog.InvalidImageObject.Create(image));
                return;
            }
            Make(width, height, image, image.Path.Length > 0 ? image.Path : image.SourcePath);
        }

        private void MakeFor(string path)
        {
            var header = ReadHeader(path, out var error);
            if (error != null)
            {
                WriteError(error);
                return;
            }
            Make(header.Width, header.Height, path, path);
        }

        /// <summary>Writes the mask for an image of this size, or the error when the image is too large or a region misses it.</summary>
        private void Make(int width, int height, object target, string sourcePath)
        {
            if (width > MaskDesign.MaxEdge || height > MaskDesign.MaxEdge)
            {
                WriteError(ErrorCatalog.ImageTooLargeForMask.Create(target, sourcePath.Length > 0 ? sourcePath : target, width, height, MaskDesign.MaxEdge));
                return;
            }
            var misfit = MaskRegions.Misfit(_design, width, height, target, inTable: false);
            if (misfit != null)
            {
                WriteError(misfit);
                return;
            }
            var clock = Stopwatch.StartNew();
            var mask = MvImage.ForMask(_design, width, height, sourcePath);
            CmdletTrace.Verbose(this, $"Made a {width}x{height} mask ({mask.Length:N0} bytes) in {clock.Elapsed.TotalMilliseconds:0.0} ms{(sourcePath.Length > 0 ? " for " + sourcePath : string.Empty)}.");
            WriteObject(mask);
        }

        /// <summary>
        /// The size of an image file, read from its header (the file is not read whole): a folder, a named pipe or device
        /// (never opened), a missing file, or one that is not a PNG, JPEG or WebP is an error about it.
        /// </summary>
        private static ImageHeader ReadHeader(string path, out ErrorRecord? error)
        {
            error = null;
            try
            {
                if (Directory.Exists(path))
                {
                    error = ErrorCatalog.NotAnInputFile.Create(path, path, FileKindValue.Directory);
                    return default;
                }
                // Checked before anything opens it: opening a named pipe for reading blocks until a writer appears.
                if (FileKind.Of(path, followLinks: true) == FileKindValue.Special)
                {
                    error = ErrorCatalog.NotAnInputFile.Create(path, path, FileKind.Special(path));
                    return default;
                }
                if (!File.Exists(path))
                {
                    error = ErrorCatalog.FileNotFound.Create(path, path);
                    return default;
                }
                var header = ImageSniffer.ReadFile(path);
                if (header.Format == ImageFormat.Unknown) error = ErrorCatalog.UnsupportedImageType.Create(path, path);
                else if (header.Width == 0 || header.Height == 0) error = ErrorCatalog.InvalidImageData.Create(path, path, header.Format);
                return header;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                error = ErrorCatalog.FileNotReadable.Wrap(ex, path, path, ex.Message);
                return default;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException)
            {
                error = ErrorCatalog.InvalidPath.Wrap(ex, path, ex.Message);
                return default;
            }
        }

        #endregion
    }
}
