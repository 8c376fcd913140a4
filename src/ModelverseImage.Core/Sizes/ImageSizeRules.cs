using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelverseImage.Sizes
{
    /// <summary>
    /// The size rules of gpt-image-2, kept in this one place: "auto", or WIDTHxHEIGHT where both sides are
    /// multiples of 16, the longer edge is at most 3840, the aspect ratio is at most 3:1 and the image has
    /// from 655,360 to 8,294,400 pixels.
    /// </summary>
    public static class ImageSizeRules
    {
        public const string Auto = "auto";
        public const int Multiple = 16;
        public const int MaxEdge = 3840;
        public const int MaxAspectRatio = 3;
        public const long MinPixels = 655_360;
        public const long MaxPixels = 8_294_400;

        /// <summary>The sizes the provider recommends, in its order; offered by tab completion.</summary>
        public static IReadOnlyList<string> Recommended { get; } = new[]
        {
            "1024x1024", "1024x1536", "1536x1024", "2048x2048", "2048x1152", "2160x3840", Auto,
        };

        // ASCII digits only: full-width digits and signs are malformed, not sizes.
        private static readonly Regex SizePattern = new Regex(
            @"^\s*([0-9]+)\s*[xX]\s*([0-9]+)\s*$", RegexOptions.CultureInvariant);

        public static bool IsValid(string? size) => Check(size).IsValid;

        /// <summary>The size as the API wants it ("auto" or "WxH"), or null when it is not valid.</summary>
        public static string? Normalize(string? size)
        {
            var check = Check(size);
            return check.IsValid ? check.Size : null;
        }

        /// <summary>The size as the request carries it: WIDTHxHEIGHT when valid, else auto (which is not sent).</summary>
        public static Api.ImageSize Parse(string? size)
        {
            var check = Check(size);
            return check.IsValid && check.Size != Auto ? new Api.ImageSize(check.Width, check.Height) : Api.ImageSize.Auto;
        }

        public static SizeCheck Check(string? size)
        {
            if (size is null || size.Trim().Length == 0)
            {
                return SizeCheck.Malformed(size ?? string.Empty, SizeRule.Missing);
            }
            if (string.Equals(size.Trim(), Auto, StringComparison.OrdinalIgnoreCase))
            {
                return new SizeCheck(Auto, 0, 0, Array.Empty<SizeRule>(), Auto);
            }
            var match = SizePattern.Match(size);
            if (!match.Success)
            {
                return SizeCheck.Malformed(size, SizeRule.NotASize);
            }
            // Six digits are far beyond any edge allowed; more would not fit an int.
            if (match.Groups[1].Length > 6 || match.Groups[2].Length > 6)
            {
                return SizeCheck.Malformed(size, SizeRule.TooManyDigits);
            }
            int width = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            int height = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            return Check(width, height);
        }

        public static SizeCheck Check(int width, int height)
        {
            string text = Format(width, height);
            if (width <= 0 || height <= 0)
            {
                return SizeCheck.Malformed(text, SizeRule.NotPositive, width, height);
            }
            var problems = Problems(width, height);
            return new SizeCheck(text, width, height, problems, problems.Count == 0 ? text : Suggest(width, height));
        }

        private static List<SizeRule> Problems(int width, int height)
        {
            var problems = new List<SizeRule>();
            if (width % Multiple != 0) problems.Add(SizeRule.WidthNotMultiple);
            if (height % Multiple != 0) problems.Add(SizeRule.HeightNotMultiple);
            int longer = Math.Max(width, height), shorter = Math.Min(width, height);
            if (longer > MaxEdge) problems.Add(SizeRule.EdgeTooLong);
            if (longer > (long)shorter * MaxAspectRatio) problems.Add(SizeRule.TooWide);
            long pixels = (long)width * height;
            if (pixels < MinPixels) problems.Add(SizeRule.TooFewPixels);
            if (pixels > MaxPixels) problems.Add(SizeRule.TooManyPixels);
            return problems;
        }

        private static bool Satisfies(int width, int height) =>
            width > 0 && height > 0 && Problems(width, height).Count == 0;

        /// <summary>
        /// The valid size nearest to the one asked for that keeps its aspect ratio (clamped to 3:1): the score
        /// weighs one percent of aspect-ratio error like one 16-pixel step of width plus height.
        /// </summary>
        internal static string Suggest(int width, int height)
        {
            double wanted = Math.Max(1.0 / MaxAspectRatio, Math.Min(MaxAspectRatio, (double)width / height));
            string best = "1024x1024";
            double bestScore = double.MaxValue;
            for (int w = Multiple; w <= MaxEdge; w += Multiple)
            {
                int below = (int)Math.Floor(w / wanted / Multiple) * Multiple;
                foreach (int h in new[] { below, below + Multiple })
                {
                    if (!Satisfies(w, h)) continue;
                    double aspectError = Math.Abs((double)w / h / wanted - 1) * 100;
                    double distance = (Math.Abs(w - width) + Math.Abs(h - height)) / (double)Multiple;
                    double score = aspectError + distance;
                    if (score < bestScore)
                    {
                        bestScore = score;
                        best = Format(w, h);
                    }
                }
            }
            return best;
        }

        private static string Format(int width, int height) =>
            width.ToString(CultureInfo.InvariantCulture) + "x" + height.ToString(CultureInfo.InvariantCulture);
    }
}
