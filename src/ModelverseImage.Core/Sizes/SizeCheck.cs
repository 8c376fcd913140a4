using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelverseImage.Sizes
{
    /// <summary>A size rule of gpt-image-2 that a size breaks (or a size that cannot be read): a fact the cmdlets word.</summary>
    public enum SizeRule
    {
        /// <summary>No size was given.</summary>
        Missing,

        /// <summary>Not "auto" or WIDTHxHEIGHT in plain digits.</summary>
        NotASize,

        /// <summary>An edge of more than six digits.</summary>
        TooManyDigits,

        /// <summary>A width or height of zero.</summary>
        NotPositive,

        /// <summary>The width is not a multiple of <see cref="ImageSizeRules.Multiple"/>.</summary>
        WidthNotMultiple,

        /// <summary>The height is not a multiple of <see cref="ImageSizeRules.Multiple"/>.</summary>
        HeightNotMultiple,

        /// <summary>The longer edge is over <see cref="ImageSizeRules.MaxEdge"/>.</summary>
        EdgeTooLong,

        /// <summary>The aspect ratio is over <see cref="ImageSizeRules.MaxAspectRatio"/>:1.</summary>
        TooWide,

        /// <summary>Fewer pixels than <see cref="ImageSizeRules.MinPixels"/>.</summary>
        TooFewPixels,

        /// <summary>More pixels than <see cref="ImageSizeRules.MaxPixels"/>.</summary>
        TooManyPixels,
    }

    /// <summary>What Test-MvImageSize -Detailed returns: a size, whether it is valid, and why not.</summary>
    public sealed class SizeCheck
    {
        internal SizeCheck(string size, int width, int height, IReadOnlyList<SizeRule> broken, string? suggested)
        {
            Size = size;
            Width = width;
            Height = height;
            Broken = broken;
            Suggested = suggested;
            Problems = broken.Select(rule => rule.ToString()).ToArray();
        }

        internal static SizeCheck Malformed(string size, SizeRule rule, int width = 0, int height = 0) =>
            new SizeCheck(size, width, height, new[] { rule }, null);

        public string Size { get; }
        public int Width { get; }
        public int Height { get; }
        public bool IsValid => Broken.Count == 0;
        public bool IsAuto => string.Equals(Size, ImageSizeRules.Auto, StringComparison.Ordinal);
        public long Pixels => Width > 0 && Height > 0 ? (long)Width * Height : 0;
        public double AspectRatio => Width > 0 && Height > 0 ? Math.Round((double)Width / Height, 4) : 0;

        /// <summary>The rules the size breaks, in the order they are checked.</summary>
        public IReadOnlyList<SizeRule> Broken { get; }

        /// <summary>Why the size is refused, one sentence a rule (<see cref="WithProblems"/>); the rules' names until the cmdlets word them.</summary>
        public IReadOnlyList<string> Problems { get; private set; }

        /// <summary>The nearest valid size that keeps the aspect ratio; the size itself when it is valid.</summary>
        public string? Suggested { get; }

        /// <summary>This check, with <paramref name="problems"/> (the words of <see cref="Broken"/>) as its problems.</summary>
        public SizeCheck WithProblems(IReadOnlyList<string> problems) =>
            new SizeCheck(Size, Width, Height, Broken, Suggested) { Problems = problems };

        public override string ToString() => IsValid ? $"{Size} (valid)" : $"{Size} (invalid: {string.Join(" ", Problems)})";
    }
}
