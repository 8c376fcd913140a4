using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using ModelverseImage.Imaging;

namespace ModelverseImage.Saving
{
    /// <summary>
    /// Turns prompts and source file names into short, readable file names that are safe on every platform:
    /// letters and digits (of any script) are kept, everything else becomes '-'.
    /// </summary>
    public static class FileNamer
    {
        public const int MaxSlugLength = 60;

        /// <summary>
        /// A slug's most UTF-8 bytes: file systems count bytes (ext4, APFS: 255), and 60 characters of CJK or
        /// emoji take up to 240. 180 leaves room for "-edit-10", " (10000)" and the extension.
        /// </summary>
        public const int MaxSlugBytes = 180;

        private const string DefaultSlug = "image";

        // Longest name most file systems accept (NTFS, ext4, APFS: 255 UTF-16 units or bytes).
        private const int MaxFileNameLength = 255;

        // Device names Windows reserves in every folder, with or without an extension. Superscript digits and
        // COM0/LPT0 are included because current Windows versions reserve them too; CONIN$/CONOUT$ open the console.
        private static readonly HashSet<string> ReservedNames = CreateReservedNames();

        private static HashSet<string> CreateReservedNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" };
            foreach (var prefix in new[] { "COM", "LPT" })
            {
                for (int i = 0; i <= 9; i++)
                {
                    names.Add(prefix + i.ToString(CultureInfo.InvariantCulture));
                }
                names.Add(prefix + "\u00B9");
                names.Add(prefix + "\u00B2");
                names.Add(prefix + "\u00B3");
            }
            return names;
        }

        /// <summary>
        /// A lower-case file-name stem from free text, at most <see cref="MaxSlugLength"/> characters:
        /// "A lighthouse at dawn!" gives "a-lighthouse-at-dawn"; text with no letters or digits gives "image".
        /// </summary>
        public static string Slug(string? text) => Slug(text, lowerCase: true);

        /// <summary>"{slug}-{index}{ext}", for example "a-lighthouse-at-dawn-1.png".</summary>
        public static string ForGenerated(string? prompt, int index, ImageFormat format)
        {
            CheckIndex(index);
            return Slug(prompt) + "-" + index.ToString(CultureInfo.InvariantCulture) + ImageSniffer.Extension(format);
        }

        /// <summary>
        /// "{source stem}-edit-{index}{ext}" with the source's case kept: "/x/cat.png" gives "cat-edit-1.png",
        /// "My Photo [1].jpeg" gives "My-Photo-1-edit-1.jpg". Both '/' and '\' count as folder separators.
        /// </summary>
        public static string ForEdit(string sourcePath, int index, ImageFormat format)
        {
            if (sourcePath is null)
            {
                throw new ArgumentNullException(nameof(sourcePath));
            }
            CheckIndex(index);
            string name = sourcePath.Substring(sourcePath.LastIndexOfAny(new[] { '/', '\\' }) + 1);
            int dot = name.LastIndexOf('.');
            string stem = dot >= 0 ? name.Substring(0, dot) : name;
            return Slug(stem, lowerCase: false) + "-edit-" + index.ToString(CultureInfo.InvariantCulture) + ImageSniffer.Extension(format);
        }

        /// <summary>
        /// The name of a partial image (-PartialImages): the final image's name with "-partial-{partialIndex}" before
        /// the extension, "a-cat-1-partial-0.png" beside "a-cat-1.png", "cat-edit-1-partial-0.png" beside
        /// "cat-edit-1.png". The final image of the same request never gets such a name.
        /// </summary>
        public static string ForPartial(string finalName, int partialIndex)
        {
            if (finalName is null)
            {
                throw new ArgumentNullException(nameof(finalName));
            }
            CheckIndex(partialIndex);
            int dot = finalName.LastIndexOf('.');
            string stem = dot >= 0 ? finalName.Substring(0, dot) : finalName;
            string extension = dot >= 0 ? finalName.Substring(dot) : string.Empty;
            return stem + "-partial-" + partialIndex.ToString(CultureInfo.InvariantCulture) + extension;
        }

        /// <summary>The longest start of <paramref name="text"/> that takes at most <paramref name="maxBytes"/> in UTF-8, never splitting a surrogate pair.</summary>
        public static string CutToUtf8Bytes(string text, int maxBytes)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }
            int bytes = 0;
            for (int i = 0; i < text.Length; i++)
            {
                bool pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                int size = pair ? 4 : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
                if (bytes + size > maxBytes)
                {
                    return text.Substring(0, i);
                }
                bytes += size;
                if (pair)
                {
                    i++;
                }
            }
            return text;
        }

        internal static bool IsReservedName(string stem) => ReservedNames.Contains(stem);

        private static void CheckIndex(int index)
        {
            if (index < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, "The index must be zero or more.");
            }
        }

        private static string Slug(string? text, bool lowerCase)
        {
            if (string.IsNullOrEmpty(text))
            {
                return DefaultSlug;
            }
            string source = ComposeIfPossible(text!);

            var slug = new StringBuilder(Math.Min(source.Length, MaxSlugLength * 2));
            bool pendingDash = false;
            for (int i = 0; i < source.Length; i++)
            {
                bool pair = char.IsHighSurrogate(source[i]) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]);
                UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(source, i);
                bool keep = IsLetterOrDigit(category) ||
                    // Combining marks (accents, Indic vowel signs) stay with the letter they belong to.
                    (IsMark(category) && slug.Length > 0 && !pendingDash);
                if (keep)
                {
                    if (pendingDash && slug.Length > 0)
                    {
                        slug.Append('-');
                    }
                    pendingDash = false;
                    slug.Append(source[i]);
                    if (pair)
                    {
                        slug.Append(source[i + 1]);
                    }
                }
                else
                {
                    pendingDash = true;
                }
                if (pair)
                {
                    i++;
                }
                if (slug.Length > MaxSlugLength)
                {
                    break; // enough to cut from
                }
            }

            string result = slug.ToString();
            if (lowerCase)
            {
                result = result.ToLowerInvariant();
            }
            if (result.Length > MaxSlugLength)
            {
                int cut = MaxSlugLength;
                if (char.IsLowSurrogate(result[cut]) && char.IsHighSurrogate(result[cut - 1]))
                {
                    cut--; // do not split a surrogate pair
                }
                result = result.Substring(0, cut).TrimEnd('-');
            }
            result = CutToUtf8Bytes(result, MaxSlugBytes).TrimEnd('-');
            if (result.Length == 0)
            {
                return DefaultSlug;
            }
            return IsReservedName(result) ? result + "_" : result;
        }

        private static bool IsLetterOrDigit(UnicodeCategory category)
        {
            switch (category)
            {
                case UnicodeCategory.UppercaseLetter:
                case UnicodeCategory.LowercaseLetter:
                case UnicodeCategory.TitlecaseLetter:
                case UnicodeCategory.ModifierLetter:
                case UnicodeCategory.OtherLetter:
                case UnicodeCategory.DecimalDigitNumber:
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsMark(UnicodeCategory category) =>
            category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.SpacingCombiningMark;

        // "e" + combining acute becomes "é", so accents are not cut off or counted twice.
        private static string ComposeIfPossible(string text)
        {
            try
            {
                return text.Normalize(NormalizationForm.FormC);
            }
            catch (ArgumentException)
            {
                return text; // lone surrogates: they become '-' below
            }
        }
    }
}
