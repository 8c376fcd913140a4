using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelverseImage.Imaging
{
    /// <summary>The shape of a mask region: a rectangle, or the ellipse inscribed in it.</summary>
    public enum MaskShape
    {
        Rectangle,
        Ellipse,
    }

    /// <summary>
    /// One region of a mask, where the image may change: a rectangle, or the ellipse inscribed in it, given by its
    /// top-left corner and size, in pixels or in fractions of the image's width and height (<see cref="MaskDesign.Fraction"/>).
    /// </summary>
    public readonly struct MaskRegion
    {
        public MaskRegion(MaskShape shape, double x, double y, double width, double height)
        {
            Shape = shape;
            X = x;
            Y = y;
            Width = width;
            Height = height;
        }

        public MaskShape Shape { get; }
        public double X { get; }
        public double Y { get; }
        public double Width { get; }
        public double Height { get; }

        /// <summary>"0,0,1,0.333": the four numbers as given, invariant, shortest round-trip form.</summary>
        public override string ToString() => string.Join(",", Number(X), Number(Y), Number(Width), Number(Height));

        internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>What is wrong with a region: a fact the cmdlets word.</summary>
    public enum MaskRegionProblem
    {
        None,

        /// <summary>A number is NaN or infinite.</summary>
        NotFinite,

        /// <summary>Its width or height is zero or less.</summary>
        NoArea,

        /// <summary>It lies wholly outside the image.</summary>
        Outside,

        /// <summary>It overlaps the image but covers the centre of none of its pixels.</summary>
        NoPixel,
    }

    /// <summary>
    /// A mask before it has a size: the regions where the image may change, whether their numbers are pixels or
    /// fractions of the image, and whether the mask is inverted (the regions kept, the rest changed). Painted at a size
    /// by <see cref="MaskPainter"/>: fully transparent (alpha 0) where the image may change, opaque elsewhere. A pixel
    /// belongs to a region when its centre is inside it; regions partly outside the image are clipped.
    /// </summary>
    public sealed class MaskDesign
    {
        /// <summary>The longest edge of a mask, in pixels.</summary>
        public const int MaxEdge = 32768;

        public MaskDesign(IReadOnlyList<MaskRegion> regions, bool fraction, bool invert)
        {
            Regions = regions ?? throw new ArgumentNullException(nameof(regions));
            Fraction = fraction;
            Invert = invert;
        }

        public IReadOnlyList<MaskRegion> Regions { get; }

        /// <summary>The regions' numbers are fractions of the image's width (x, width) and height (y, height).</summary>
        public bool Fraction { get; }

        /// <summary>The regions are kept and everything else may change.</summary>
        public bool Invert { get; }

        /// <summary>What makes a region unusable at any size (a number that is not finite, no area); None when it is usable.</summary>
        public static MaskRegionProblem CheckShape(MaskRegion region)
        {
            if (!IsFinite(region.X) || !IsFinite(region.Y) || !IsFinite(region.Width) || !IsFinite(region.Height)) return MaskRegionProblem.NotFinite;
            if (region.Width <= 0 || region.Height <= 0) return MaskRegionProblem.NoArea;
            return MaskRegionProblem.None;
        }

        /// <summary>
        /// The first region that covers no pixel of a <paramref name="width"/> x <paramref name="height"/> image
        /// (Outside, NoPixel, or a problem of <see cref="CheckShape"/>), or -1 when every region covers some.
        /// </summary>
        public int FirstMisfit(int width, int height, out MaskRegionProblem problem)
        {
            CheckSize(width, height);
            for (int i = 0; i < Regions.Count; i++)
            {
                problem = CheckShape(Regions[i]);
                if (problem == MaskRegionProblem.None) problem = Resolve(Regions[i], width, height).Fit(width, height);
                if (problem != MaskRegionProblem.None) return i;
            }
            problem = MaskRegionProblem.None;
            return -1;
        }

        /// <summary>
        /// The mask as a PNG of <paramref name="width"/> x <paramref name="height"/> pixels (RGBA: transparent black where
        /// the image may change, opaque black elsewhere). Regions that cover no pixel add nothing; check with
        /// <see cref="FirstMisfit"/> first.
        /// </summary>
        public byte[] Paint(int width, int height)
        {
            CheckSize(width, height);
            return MaskPainter.Paint(this, width, height);
        }

        /// <summary>
        /// A stand-in for the SHA-256 of the mask's bytes at this size, for the rerun key: the SHA-256 (hex) of what
        /// decides its pixels (the size, the regions, the unit and inversion), which stays the same where the deflater's
        /// output does not (zlib and zlib-ng compress the same rows differently).
        /// </summary>
        public string ContentKey(int width, int height)
        {
            var text = new StringBuilder("mvimage-mask 1\n");
            text.Append("size=").Append(width.ToString(CultureInfo.InvariantCulture)).Append('x').Append(height.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("unit=").Append(Fraction ? "fraction" : "pixel").Append('\n');
            text.Append("invert=").Append(Invert ? "1" : "0").Append('\n');
            foreach (var region in Regions) text.Append(region.Shape == MaskShape.Ellipse ? "ellipse=" : "rectangle=").Append(region).Append('\n');
            return Resume.Sha256Text.Of(text.ToString());
        }

        /// <summary>"WIDTHxHEIGHT" in plain digits, each edge from 1 to <see cref="MaxEdge"/>.</summary>
        public static bool TryParseSize(string? text, out int width, out int height)
        {
            width = height = 0;
            if (text == null) return false;
            string trimmed = text.Trim();
            int x = trimmed.IndexOfAny(new[] { 'x', 'X' });
            return x > 0 && x < trimmed.Length - 1
                && IsDigits(trimmed, 0, x) && IsDigits(trimmed, x + 1, trimmed.Length)
                && x <= 6 && trimmed.Length - x - 1 <= 6
                && int.TryParse(trimmed.Substring(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out width)
                && int.TryParse(trimmed.Substring(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out height)
                && width >= 1 && height >= 1 && width <= MaxEdge && height <= MaxEdge;
        }

        /// <summary>A region in pixels of an image of this size.</summary>
        internal PixelRegion Resolve(MaskRegion region, int width, int height) => Fraction
            ? new PixelRegion(region.Shape, region.X * width, region.Y * height, (region.X + region.Width) * width, (region.Y + region.Height) * height)
            : new PixelRegion(region.Shape, region.X, region.Y, region.X + region.Width, region.Y + region.Height);

        private static void CheckSize(int width, int height)
        {
            if (width < 1 || width > MaxEdge) throw new ArgumentOutOfRangeException(nameof(width));
            if (height < 1 || height > MaxEdge) throw new ArgumentOutOfRangeException(nameof(height));
        }

        private static bool IsDigits(string text, int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                if (text[i] < '0' || text[i] > '9') return false;
            }
            return true;
        }

        private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
    }

    /// <summary>
    /// A region in pixels of one image, by its edges, and which pixels of a row it covers: those whose centre is inside
    /// it (a rectangle's right and bottom edges excluded), clipped to the image.
    /// </summary>
    internal readonly struct PixelRegion
    {
        // Far past any image (MaxEdge), and small enough that sums and products stay finite (1e300 x a width is not).
        private const double Far = 1e9;

        private readonly MaskShape _shape;
        private readonly double _left, _top, _right, _bottom;

        public PixelRegion(MaskShape shape, double left, double top, double right, double bottom)
        {
            _shape = shape;
            _left = Clamp(left);
            _top = Clamp(top);
            _right = Clamp(right);
            _bottom = Clamp(bottom);
        }

        /// <summary>The rows whose centre is inside the region's bounding box: [first, end), clipped to the image.</summary>
        public (int First, int End) Rows(int height) => Covered(_top, _bottom, height);

        /// <summary>The pixels of row <paramref name="y"/> it covers, [start, end) clipped to the width; false when none.</summary>
        public bool Span(int y, int width, out int start, out int end)
        {
            if (_shape == MaskShape.Rectangle)
            {
                (start, end) = Covered(_left, _right, width);
                return start < end;
            }
            // The ellipse inscribed in the box: centre (cx, cy), radii rx, ry.
            double rx = (_right - _left) / 2, ry = (_bottom - _top) / 2, cx = (_left + _right) / 2, cy = (_top + _bottom) / 2;
            double t = (y + 0.5 - cy) / ry;
            start = end = 0;
            if (!(t * t <= 1)) return false;
            double half = rx * Math.Sqrt(1 - t * t);
            start = (int)Math.Max(0, Math.Min(width, Math.Ceiling(cx - half - 0.5)));
            end = (int)Math.Max(0, Math.Min(width, Math.Floor(cx + half - 0.5) + 1));
            return start < end;
        }

        /// <summary>Whether it covers a pixel of a <paramref name="width"/> x <paramref name="height"/> image, and if not why.</summary>
        public MaskRegionProblem Fit(int width, int height)
        {
            if (_left >= width || _top >= height || _right <= 0 || _bottom <= 0) return MaskRegionProblem.Outside;
            var (first, end) = Rows(height);
            for (int y = first; y < end; y++)
            {
                if (Span(y, width, out _, out _)) return MaskRegionProblem.None;
                if (_shape == MaskShape.Rectangle) break; // every row of a rectangle covers the same pixels
            }
            return MaskRegionProblem.NoPixel;
        }

        private static double Clamp(double value) => Math.Max(-Far, Math.Min(Far, value));

        /// <summary>The pixels [first, end) of an edge of <paramref name="size"/> whose centre is in [from, to).</summary>
        private static (int First, int End) Covered(double from, double to, int size)
        {
            double first = Math.Ceiling(from - 0.5), end = Math.Ceiling(to - 0.5);
            return ((int)Math.Max(0, Math.Min(size, first)), (int)Math.Max(0, Math.Min(size, end)));
        }
    }
}
