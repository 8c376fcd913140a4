using System;
using System.Collections.Generic;

namespace ModelverseImage.Sizes
{
    /// <summary>What Test-MvImageSize -Detailed returns: a size, whether it is valid, and why not.</summary>
    public sealed class SizeCheck
    {
        internal SizeCheck(string size, int width, int height, IReadOnlyList<string> problems, string? suggested)
        {
            Size = size;
            Width = width;
            Height = height;
            Problems = problems;
            Suggested = suggested;
        }

        internal static SizeCheck Malformed(string size, string problem, int width = 0, int height = 0) =>
            new SizeCheck(size, width, height, new[] { problem }, null);

        public string Size { get; }
        public int Width { get; }
        public int Height { get; }
        public bool IsValid => Problems.Count == 0;
        public bool IsAuto => string.Equals(Size, ImageSizeRules.Auto, StringComparison.Ordinal);
        public long Pixels => Width > 0 && Height > 0 ? (long)Width * Height : 0;
        public double AspectRatio => Width > 0 && Height > 0 ? Math.Round((double)Width / Height, 4) : 0;
        public IReadOnlyList<string> Problems { get; }

        /// <summary>The nearest valid size that keeps the aspect ratio; the size itself when it is valid.</summary>
        public string? Suggested { get; }

        public override string ToString() => IsValid ? $"{Size} (valid)" : $"{Size} (invalid: {string.Join(" ", Problems)})";
    }
}
