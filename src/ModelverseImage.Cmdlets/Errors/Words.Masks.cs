using ModelverseImage.Imaging;

namespace ModelverseImage.Errors
{
    /// <summary>The words for masks: the size validation of New-MvImageMask, and regions named in error messages.</summary>
    internal static partial class Words
    {
        /// <summary>A -Size of New-MvImageMask that is not a mask size.</summary>
        public static string MaskSizeRefused(string size) =>
            Format("'{0}' is not a mask size: give WIDTHxHEIGHT in pixels, each from 1 to {1}, such as 1536x1024; or give the image itself (New-MvImageMask ./photo.jpg), whose size the mask takes.", size, MaskDesign.MaxEdge);

        /// <summary>A -MaskRegion as typed: the top third of each image.</summary>
        public const string MaskRegionExample = "@{ Rectangle = 0, 0, 1, 0.333; Fraction = $true }";

        /// <summary>Where a region was given: "-Rectangle", or "-MaskRegion Ellipse".</summary>
        public static string RegionSource(MaskShape shape, bool inTable) =>
            inTable ? Format("-MaskRegion {0}", shape) : Format("-{0}", shape);

        /// <summary>A region as the user gave it: "-Rectangle 0,0,1,0.333 -Fraction", "-MaskRegion Ellipse 10,10,200,100".</summary>
        public static string Region(MaskRegion region, bool fraction, bool inTable) =>
            Format("{0} {1}{2}", RegionSource(region.Shape, inTable), region, !fraction ? string.Empty : inTable ? " (Fraction)" : " -Fraction");
    }
}
