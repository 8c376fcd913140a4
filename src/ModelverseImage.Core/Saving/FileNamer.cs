using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using ModelverseImage.Imaging;

namespace ModelverseImage.Saving
{
    /// <summary>
    /// Every file name the module decides, in one place: the names Save-MvImage gives images (from the prompt or the
    /// source file, short, readable and safe on every platform: letters and digits of any script are kept, everything
    /// else becomes '-'), the free name after a taken one ("name (2).png"), the temporary file written first, the names
    /// of uploads, and which names are image files.
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

        // The extensions of the image files the module writes and reads back.
        private static readonly string[] ImageExtensions = { ".png", ".jpg", ".jpeg", ".webp" };

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

        /// <summary>
        /// The name Save-MvImage -Directory gives an image: after its source file for an edit
        /// (<see cref="ForEdit"/>), else after its prompt (<see cref="ForGenerated"/>); a partial image's name is the
        /// final image's with "-partial-N" (<see cref="ForPartial"/>).
        /// </summary>
        public static string ForImage(string? prompt, string? sourcePath, int index, ImageFormat format, int? partialIndex)
        {
            string name = string.IsNullOrEmpty(sourcePath) ? ForGenerated(prompt, index, format) : ForEdit(sourcePath!, index, format);
            return partialIndex.HasValue ? ForPartial(name, partialIndex.Value) : name;
        }

        /// <summary>
        /// The name an in-memory image is uploaded under (shown by -WhatIf and verbose lines): its source file's stem
        /// with the extension of its format, or "image.png" when it has no source.
        /// </summary>
        public static string ForUpload(string? sourcePath, ImageFormat format) =>
            (string.IsNullOrEmpty(sourcePath) ? DefaultSlug : System.IO.Path.GetFileNameWithoutExtension(sourcePath)) + ImageSniffer.Extension(format);

        /// <summary>
        /// The file name a multipart part carries: "image-1.png", "image-2.jpg", ... (<paramref name="number"/> from 1),
        /// never the user's, whose quotes and non-ASCII letters every multipart writer and parser treats differently.
        /// </summary>
        public static string ForImagePart(int number, ImageFormat format) =>
            "image-" + number.ToString(CultureInfo.InvariantCulture) + ImageSniffer.Extension(format);

        /// <summary>
        /// The name Save-MvImage -Directory gives a mask made by New-MvImageMask: "{source stem}-mask.png" after the image
        /// it was made for ("/x/cat.jpg" gives "cat-mask.png"), or "mask-{width}x{height}.png" when it has none.
        /// </summary>
        public static string ForMask(string? sourcePath, int width, int height)
        {
            if (string.IsNullOrEmpty(sourcePath))
            {
                return "mask-" + width.ToString(CultureInfo.InvariantCulture) + "x" + height.ToString(CultureInfo.InvariantCulture) + ImageSniffer.Extension(ImageFormat.Png);
            }
            string name = sourcePath!.Substring(sourcePath.LastIndexOfAny(new[] { '/', '\\' }) + 1);
            int dot = name.LastIndexOf('.');
            string stem = dot >= 0 ? name.Substring(0, dot) : name;
            return Slug(stem, lowerCase: false) + "-mask" + ImageSniffer.Extension(ImageFormat.Png);
        }

        /// <summary>The file name the mask's multipart part carries: "mask.png".</summary>
        public static string ForMaskPart(ImageFormat format) => "mask" + ImageSniffer.Extension(format);

        /// <summary>
        /// The names tried for <paramref name="fileName"/> in a folder, in order, when it is taken: fileName, then
        /// "stem (2).ext", "stem (3).ext" ... up to "stem (<paramref name="most"/>).ext".
        /// </summary>
        public static IEnumerable<string> FreeNameCandidates(string fileName, int most)
        {
            int dot = fileName.LastIndexOf('.');
            string stem = dot > 0 ? fileName.Substring(0, dot) : fileName;
            string extension = dot > 0 ? fileName.Substring(dot) : string.Empty;
            yield return fileName;
            for (int n = 2; n <= most; n++)
            {
                yield return stem + " (" + n.ToString(CultureInfo.InvariantCulture) + ")" + extension;
            }
        }

        /// <summary>
        /// The temporary file written before <paramref name="fileName"/> is moved into place: ".{name}.{guid}.tmp", the
        /// name cut to <paramref name="maxStemBytes"/> UTF-8 bytes, so that even a 255-byte target name gets one.
        /// </summary>
        public static string ForTemporary(string fileName, int maxStemBytes) =>
            "." + CutToUtf8Bytes(fileName, maxStemBytes) + "." + Guid.NewGuid().ToString("N") + ".tmp";

        /// <summary>Whether a name ends in an image extension (.png, .jpg, .jpeg, .webp, any case); folder separators at its end are ignored.</summary>
        public static bool HasImageExtension(string name)
        {
            if (name is null)
            {
                throw new ArgumentNullException(nameof(name));
            }
            if (name.IndexOf('\0') >= 0)
            {
                return false;
            }
            string extension = System.IO.Path.GetExtension(name.TrimEnd('/', '\\'));
            foreach (string known in ImageExtensions)
            {
                if (known.Equals(extension, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Whether the extension of <paramref name="fileName"/> names <paramref name="format"/> (.jpg or .jpeg for JPEG).</summary>
        public static bool ExtensionFits(string fileName, ImageFormat format)
        {
            string extension = System.IO.Path.GetExtension(fileName);
            return format == ImageFormat.Jpeg
                ? extension.Equals(".jpg", StringComparison.OrdinalIgnoreCase) || extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase)
                : extension.Equals(ImageSniffer.Extension(format), StringComparison.OrdinalIgnoreCase);
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
