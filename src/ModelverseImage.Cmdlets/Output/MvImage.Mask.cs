using System;
using System.Globalization;
using ModelverseImage.Imaging;
using ModelverseImage.Saving;

namespace ModelverseImage.Output
{
    /// <summary>A mask made by New-MvImageMask: an MvImage, so that Save-MvImage saves it and Edit-MvImage -Mask takes it.</summary>
    public sealed partial class MvImage
    {
        /// <summary>
        /// True for a mask made by New-MvImageMask (a PNG, fully transparent where an edit may change the image):
        /// Save-MvImage saves it as it was made, without the record (a mask is not AI-generated), under the name
        /// "{image}-mask.png"; Edit-MvImage takes it in -Mask and will not edit it as an image. SourcePath is the image it
        /// was made for, when it was made for one.
        /// </summary>
        public bool IsMask { get; private set; }

        /// <summary>For a mask, what stands in for its bytes' hash in the rerun key (<see cref="MaskDesign.ContentKey"/>).</summary>
        internal string? MaskKey { get; private set; }

        /// <summary>A mask painted by <paramref name="design"/> at its size, made for the image at <paramref name="sourcePath"/> (or none).</summary>
        internal static MvImage ForMask(MaskDesign design, int width, int height, string sourcePath)
        {
            var png = design.Paint(width, height);
            return new MvImage(new ArraySegment<byte>(png), ImageSniffer.Name(ImageFormat.Png), width, height)
            {
                _sniffedFormat = ImageFormat.Png,
                IsMask = true,
                MaskKey = design.ContentKey(width, height),
                Size = width.ToString(CultureInfo.InvariantCulture) + "x" + height.ToString(CultureInfo.InvariantCulture),
                SourcePath = sourcePath,
                AnswerId = "mask:" + FileNamer.ForMask(sourcePath, width, height),
            };
        }

        /// <summary>"mask 1024x1024, 8 KB: for cat.png", the mask's line in Format-Wide and ToString.</summary>
        private string MaskText() => string.Format(CultureInfo.InvariantCulture, "mask {0}x{1}, {2:N0} KB{3}", Width, Height, (Length + 1023) / 1024,
            SourcePath.Length > 0 ? ": for " + System.IO.Path.GetFileName(SourcePath) : string.Empty);
    }
}
