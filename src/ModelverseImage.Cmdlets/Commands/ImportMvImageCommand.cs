using System;
using System.Collections.Generic;
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
    /// Reads saved image files back into MvImage objects: the bytes, and the description Save-MvImage embedded
    /// (prompt, model, size, quality, background, created, request id, usage, revised prompt, index, source). Files
    /// without it still import, with the description empty.
    /// </summary>
    [Cmdlet(VerbsData.Import, "MvImage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(MvImage))]
    public sealed class ImportMvImageCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        #region Parameters

        /// <summary>Image files to import; wildcards allowed.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [TextInput(typeof(FileSystemInfo), typeof(PathInfo))]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Image files to import, taken literally; binds the PSPath of Get-ChildItem's output.</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        #endregion

        #region Overrides

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LiteralPathSet)
            {
                foreach (var path in LiteralPath)
                {
                    if (InputPaths.Literal(this, path) is string file) Import(file);
                }
                return;
            }
            foreach (var path in Path)
            {
                foreach (var file in InputPaths.Expand(this, path)) Import(file);
            }
        }

        #endregion

        #region Private

        private void Import(string path)
        {
            ImageFileContents file;
            try
            {
                file = ImageFile.Read(path);
            }
            catch (FileNotFoundException ex)
            {
                WriteError(ErrorCatalog.FileNotFound.Wrap(ex, path, path));
                return;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                WriteError(ErrorCatalog.FileNotReadable.Wrap(ex, path, path, ex.Message));
                return;
            }
            catch (ArgumentException ex)
            {
                WriteError(ErrorCatalog.InvalidPath.Wrap(ex, path, ex.Message));
                return;
            }
            switch (file.Refusal)
            {
                case ImageFileRefusal.Missing:
                    WriteError(ErrorCatalog.FileNotFound.Create(path, path));
                    return;
                case ImageFileRefusal.Folder:
                    WriteError(ErrorCatalog.NotAnInputFile.Create(path, path, Saving.FileKindValue.Directory));
                    return;
                case ImageFileRefusal.NotRegular:
                    WriteError(ErrorCatalog.NotAnInputFile.Create(path, path, FileKind.Special(path)));
                    return;
                case ImageFileRefusal.TooLarge:
                    WriteError(ErrorCatalog.ImageFileTooLarge.Create(path, path, file.Length / 1048576.0, ImageFile.MaxBytes / 1048576));
                    return;
                case ImageFileRefusal.NotAnImage:
                    WriteError(ErrorCatalog.UnsupportedImageType.Create(path, path));
                    return;
            }
            WriteObject(MvImage.FromFile(path, file.Bytes, file.Header, file.Record));
        }

        #endregion
    }
}
