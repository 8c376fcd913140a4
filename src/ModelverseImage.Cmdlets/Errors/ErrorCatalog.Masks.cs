using System.Management.Automation;

namespace ModelverseImage.Errors
{
    /// <summary>The catalogue's entries for masks: the regions of New-MvImageMask and Edit-MvImage -MaskRegion, and masks used as images.</summary>
    internal static partial class ErrorCatalog
    {
        // ---- Masks (New-MvImageMask, Edit-MvImage -MaskRegion) ---------------------------------------------

        private const string RegionAdvice =
            "Give each region as x, y, width, height: -Rectangle 0,0,512,256 in pixels, or -Rectangle 0,0,1,0.333 -Fraction in fractions of the image (its top third); in -MaskRegion, @{ Rectangle = 0, 0, 1, 0.333; Fraction = $true }.";

        /// <summary>{0}: where the region was given (Words.RegionSource); {1}: how many numbers it had.</summary>
        public static readonly ErrorEntry InvalidMaskRegion = new ErrorEntry("InvalidMaskRegion", ErrorCategory.InvalidArgument,
            "{0}: a region is four numbers, x, y, width and height (its top-left corner and its size), but {1} were given. Give several regions each in parentheses: (0,0,100,50),(0,200,100,50).",
            RegionAdvice);

        /// <summary>{0}: where the region was given; {1}: the value that is not a number.</summary>
        public static readonly ErrorEntry MaskRegionNotANumber = InvalidMaskRegion.Variant(
            "{0}: '{1}' is not a number; a region is four numbers, x, y, width and height.");

        /// <summary>{0}: the region as given (Words.Region).</summary>
        public static readonly ErrorEntry MaskRegionNotFinite = InvalidMaskRegion.Variant(
            "{0}: every number of a region must be finite, not NaN or infinity.");

        /// <summary>{0}: the region as given (Words.Region).</summary>
        public static readonly ErrorEntry MaskRegionNoArea = InvalidMaskRegion.Variant(
            "{0} has no area: its width and height must both be above zero. Nothing was made or sent.");

        /// <summary>{0}: the region as given (Words.Region); {1}, {2}: the image's width and height.</summary>
        public static readonly ErrorEntry MaskRegionOutside = InvalidMaskRegion.Variant(
            "{0} lies wholly outside the {1}x{2} image: there is nothing in it to change. No mask is made for this image, and an edit does not send it.",
            "Give regions inside the image (regions partly outside are clipped); for the same part of images of different sizes, give fractions with -Fraction.");

        /// <summary>{0}: the region as given (Words.Region); {1}, {2}: the image's width and height.</summary>
        public static readonly ErrorEntry MaskRegionNoPixel = InvalidMaskRegion.Variant(
            "{0} covers no pixel of the {1}x{2} image (a pixel is covered when its centre is inside the region). No mask is made for this image, and an edit does not send it.",
            "Make the region larger. Numbers from 0 to 1 are fractions of the image only with -Fraction (in -MaskRegion, Fraction = $true); without it they are pixels.");

        /// <summary>New-MvImageMask without -Rectangle or -Ellipse.</summary>
        public static readonly ErrorEntry NoMaskRegion = InvalidMaskRegion.Variant(
            "No region was given: name the parts of the image that may change with -Rectangle or -Ellipse (x, y, width, height; in pixels, or with -Fraction in fractions of the image).");

        /// <summary>-MaskRegion without Rectangle or Ellipse. {0}: an example (Words.MaskRegionExample).</summary>
        public static readonly ErrorEntry NoMaskRegionInTable = InvalidMaskRegion.Variant(
            "-MaskRegion names no region: give Rectangle or Ellipse, as in -MaskRegion {0} (the top third of each image).");

        /// <summary>{0}: a key of -MaskRegion that is not a region parameter of New-MvImageMask; {1}: an example (Words.MaskRegionExample).</summary>
        public static readonly ErrorEntry MaskRegionUnknownKey = InvalidMaskRegion.Variant(
            "-MaskRegion has the key '{0}'; it takes the region parameters of New-MvImageMask: Rectangle, Ellipse, Fraction and Invert, as in {1}.");

        /// <summary>{0}: the key (Fraction, Invert); {1}: the value given.</summary>
        public static readonly ErrorEntry MaskRegionNotAFlag = InvalidMaskRegion.Variant(
            "-MaskRegion's {0} takes $true or $false, not '{1}' (a text such as 'false' would count as true). Nothing was sent.");

        /// <summary>-Mask and -MaskRegion together.</summary>
        public static readonly ErrorEntry MaskWithMaskRegion = InvalidMaskRegion.Variant(
            "-Mask and -MaskRegion cannot be used together: -Mask sends one mask with every image, -MaskRegion makes a mask of each image's own size. Nothing was sent.",
            "Give -Mask (one mask, for images of its size) or -MaskRegion (a mask made for each image), not both.");

        /// <summary>{0}, {1}: the mask's width and height.</summary>
        public static readonly ErrorEntry MaskPipedAsImage = new ErrorEntry("MaskPipedAsImage", ErrorCategory.InvalidArgument,
            "This MvImage is a {0}x{1} mask made by New-MvImageMask, not an image to edit, so nothing was sent for it. Give it to -Mask with the image to edit: Edit-MvImage 'a stormy sky' ./photo.jpg -Mask $mask.",
            "Pipe the images to edit, and give the mask to -Mask; or let -MaskRegion make a mask for each image.");

        /// <summary>{0}: the image (its path, or the MvImage); {1}, {2}: its width and height; {3}: the longest edge of a mask.</summary>
        public static readonly ErrorEntry ImageTooLargeForMask = ImageTooLarge.Variant(
            "'{0}' is {1}x{2} pixels; a mask can be at most {3} pixels on each side, so none was made for it.",
            "Shrink the image first; the API takes images under 50 MB.");

        /// <summary>{0}: the format of the MvImage given to -Mask; {1}, {2}: its width and height.</summary>
        public static readonly ErrorEntry InvalidMaskObject = InvalidMask.Variant(
            "The mask given (an MvImage, {0} {1}x{2}) must be a PNG with an alpha channel: its fully transparent pixels mark the area to edit.",
            "Make the mask with New-MvImageMask, or give a 32-bit PNG (RGBA) whose fully transparent pixels mark the area to edit.");
    }
}
