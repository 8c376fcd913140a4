using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ModelverseImage.Api;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Parameters;
using ModelverseImage.Saving;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Edit-MvImage's masks: -Mask, one mask (a file, or an MvImage such as New-MvImageMask makes) sent with every image
    /// of its size; or -MaskRegion, regions from which a mask of each image's own size is made, so one command fits
    /// photos of different sizes.
    /// </summary>
    public sealed partial class EditMvImageCommand
    {
        // Masks made for -MaskRegion, by size: images of one size share one upload (hashed once for the rerun key).
        private const int MadeMasksKept = 16;

        private ImageUpload? _mask;
        private ImageHeader _maskHeader;
        private MaskDesign? _maskDesign;
        private readonly Dictionary<long, ImageUpload> _madeMasks = new Dictionary<long, ImageUpload>();

        /// <summary>
        /// A PNG the size of the image whose fully transparent pixels mark where to edit: a path, a file (Get-Item), or an
        /// MvImage (New-MvImageMask, Import-MvImage).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object? Mask { get; set; }

        /// <summary>
        /// Regions where each image may change, as New-MvImageMask's region parameters in a hashtable (Rectangle, Ellipse,
        /// Fraction, Invert): a mask of each image's own size is made and sent with it.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public IDictionary? MaskRegion { get; set; }

        /// <summary>Checks -Mask or -MaskRegion once, before anything is sent; a bad one ends the command.</summary>
        private void PrepareMask()
        {
            if (Mask != null && MaskRegion != null) ThrowTerminatingError(ErrorCatalog.MaskWithMaskRegion.Create(MaskRegion));
            if (MaskRegion != null)
            {
                _maskDesign = MaskRegions.FromTable(MaskRegion, out var error);
                if (error != null) ThrowTerminatingError(error);
                return;
            }
            object? given = Mask is PSObject wrapped ? wrapped.BaseObject : Mask;
            if (given == null) return;
            if (given is MvImage image)
            {
                PrepareMaskImage(image);
                return;
            }
            string text = given is FileSystemInfo file ? file.FullName : LanguagePrimitives.ConvertTo<string>(given);
            string path = ParameterFile(text, nameof(Mask));
            _mask = CheckFile(path, out var fileError, out var maskHeader);
            _maskHeader = maskHeader;
            if (fileError != null) ThrowTerminatingError(ErrorEntry.AboutParameter(fileError, nameof(Mask)));
            if (maskHeader.Format != ImageFormat.Png || !maskHeader.HasAlpha)
                ThrowTerminatingError(ErrorCatalog.InvalidMask.Create(path, path));
        }

        /// <summary>An MvImage given to -Mask: sent from memory; a mask New-MvImageMask made keeps its key for -Resume.</summary>
        private void PrepareMaskImage(MvImage image)
        {
            if (!image.HasBytes) ThrowTerminatingError(ErrorEntry.AboutParameter(MvImageTransformationAttribute.NoImageBytes(image), nameof(Mask)));
            var header = ImageSniffer.Read(image.Data);
            if (header.Format != ImageFormat.Png || !header.HasAlpha || header.Width == 0)
                ThrowTerminatingError(ErrorCatalog.InvalidMaskObject.Create(image, header.Format, header.Width, header.Height));
            string name = image.Path.Length > 0 ? System.IO.Path.GetFileName(image.Path) : FileNamer.ForMask(image.SourcePath, header.Width, header.Height);
            _mask = image.MaskKey != null
                ? ImageUpload.FromMadeBytes(image.Data, name, ImageFormat.Png, image.MaskKey)
                : ImageUpload.FromBytes(image.Data, name, ImageFormat.Png);
            _maskHeader = header;
        }

        /// <summary>
        /// The mask to send with an image of this size: -Mask's, when the sizes match; one made for this size from
        /// -MaskRegion; none without either. False, with the error written about <paramref name="target"/>, when the
        /// image cannot be sent with its mask.
        /// </summary>
        private bool TryMaskFor(int width, int height, object target, out ImageUpload? mask)
        {
            mask = null;
            if (_maskDesign != null)
            {
                if (width > MaskDesign.MaxEdge || height > MaskDesign.MaxEdge)
                {
                    WriteError(ErrorCatalog.ImageTooLargeForMask.Create(target, target, width, height, MaskDesign.MaxEdge));
                    return false;
                }
                var misfit = MaskRegions.Misfit(_maskDesign, width, height, target, inTable: true);
                if (misfit != null)
                {
                    WriteError(misfit);
                    return false;
                }
                mask = MadeMask(width, height);
                return true;
            }
            if (_mask == null) return true;
            if (width != _maskHeader.Width || height != _maskHeader.Height)
            {
                WriteError(ErrorCatalog.MaskSizeMismatch.Create(target, _maskHeader.Width, _maskHeader.Height, width, height));
                return false;
            }
            mask = _mask;
            return true;
        }

        private ImageUpload MadeMask(int width, int height)
        {
            long size = ((long)width << 32) | (uint)height;
            if (_madeMasks.TryGetValue(size, out var made)) return made;
            if (_madeMasks.Count >= MadeMasksKept) _madeMasks.Clear();
            var bytes = _maskDesign!.Paint(width, height);
            made = ImageUpload.FromMadeBytes(new System.ArraySegment<byte>(bytes), FileNamer.ForMask(null, width, height), ImageFormat.Png, _maskDesign.ContentKey(width, height));
            CmdletTrace.Verbose(this, $"-MaskRegion: made a {width}x{height} mask ({bytes.Length:N0} bytes).");
            _madeMasks[size] = made;
            return made;
        }

        /// <summary>A mask piped in as an image to edit: refused (each edit is billed), with the way to give it.</summary>
        private bool RefuseMaskAsImage(MvImage image)
        {
            if (!image.IsMask) return false;
            WriteError(ErrorCatalog.MaskPipedAsImage.Create(image, image.Width, image.Height));
            return true;
        }
    }
}
