using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// The regions of a mask as users type them, into a <see cref="MaskDesign"/>: New-MvImageMask's -Rectangle and
    /// -Ellipse (each region four numbers, x, y, width and height; several each in parentheses), -Fraction and
    /// -Invert, and the same as a hashtable in Edit-MvImage -MaskRegion (@{ Rectangle = 0, 0, 1, 0.333; Fraction = $true }),
    /// the way they would be splatted. What cannot make a mask at any size is refused here (InvalidMaskRegion);
    /// <see cref="Misfit"/> refuses a region that covers no pixel of a given image.
    /// </summary>
    internal static class MaskRegions
    {
        public const string RectangleKey = "Rectangle";
        public const string EllipseKey = "Ellipse";
        public const string FractionKey = "Fraction";
        public const string InvertKey = "Invert";

        /// <summary>New-MvImageMask's parameters; null and the error when they make no mask.</summary>
        public static MaskDesign? FromParameters(object? rectangle, object? ellipse, bool fraction, bool invert, out ErrorRecord? error)
        {
            var regions = new List<MaskRegion>();
            if (!Add(rectangle, MaskShape.Rectangle, fraction, inTable: false, regions, out error)) return null;
            if (!Add(ellipse, MaskShape.Ellipse, fraction, inTable: false, regions, out error)) return null;
            if (regions.Count == 0)
            {
                error = ErrorCatalog.NoMaskRegion.Create(null);
                return null;
            }
            return new MaskDesign(regions, fraction, invert);
        }

        /// <summary>Edit-MvImage -MaskRegion: the same parameters as a hashtable; null and the error when it makes no mask.</summary>
        public static MaskDesign? FromTable(IDictionary table, out ErrorRecord? error)
        {
            object? rectangle = null, ellipse = null;
            bool fraction = false, invert = false;
            foreach (DictionaryEntry entry in table)
            {
                string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                if (Is(key, RectangleKey)) rectangle = entry.Value;
                else if (Is(key, EllipseKey)) ellipse = entry.Value;
                else if (Is(key, FractionKey) || Is(key, InvertKey))
                {
                    // Only a flag: PowerShell calls any text but '' true, so Fraction = 'false' would make fractions.
                    if (!TryFlag(entry.Value, out bool flag))
                    {
                        error = ErrorCatalog.MaskRegionNotAFlag.Create(table, key.Trim(), Convert.ToString(Unwrap(entry.Value), CultureInfo.InvariantCulture));
                        return null;
                    }
                    if (Is(key, FractionKey)) fraction = flag;
                    else invert = flag;
                }
                else
                {
                    error = ErrorCatalog.MaskRegionUnknownKey.Create(table, key, Words.MaskRegionExample);
                    return null;
                }
            }
            var regions = new List<MaskRegion>();
            if (!Add(rectangle, MaskShape.Rectangle, fraction, inTable: true, regions, out error)) return null;
            if (!Add(ellipse, MaskShape.Ellipse, fraction, inTable: true, regions, out error)) return null;
            if (regions.Count == 0)
            {
                error = ErrorCatalog.NoMaskRegionInTable.Create(table, Words.MaskRegionExample);
                return null;
            }
            return new MaskDesign(regions, fraction, invert);
        }

        /// <summary>
        /// The error for the first region of <paramref name="design"/> that covers no pixel of a
        /// <paramref name="width"/> x <paramref name="height"/> image (wholly outside it, or too small), about
        /// <paramref name="target"/> (the image); null when every region covers some.
        /// </summary>
        public static ErrorRecord? Misfit(MaskDesign design, int width, int height, object target, bool inTable)
        {
            int index = design.FirstMisfit(width, height, out var problem);
            if (index < 0) return null;
            string region = Words.Region(design.Regions[index], design.Fraction, inTable);
            return (problem == MaskRegionProblem.Outside ? ErrorCatalog.MaskRegionOutside : ErrorCatalog.MaskRegionNoPixel).Create(target, region, width, height);
        }

        /// <summary>
        /// Adds the regions of one parameter's value: four numbers make one region; a list of lists of four numbers makes
        /// one region each. PowerShell binds -Rectangle 0,0,1,0.333 to double[][] as four one-number lists, which are
        /// read as the one region they were typed as. Text ("0,0,1,0.333", as a CSV cell holds it) is split at commas.
        /// </summary>
        private static bool Add(object? value, MaskShape shape, bool fraction, bool inTable, List<MaskRegion> regions, out ErrorRecord? error)
        {
            error = null;
            value = Unwrap(value);
            if (value == null) return true;
            var items = Items(value);
            var groups = new List<List<object?>>();
            bool nested = false;
            foreach (var item in items)
            {
                if (IsGroup(item))
                {
                    nested = true;
                    groups.Add(Items(item!));
                }
                else
                {
                    groups.Add(new List<object?> { item });
                }
            }
            // A flat list of numbers, or one number per list (double[][] binding): one region.
            if (!nested || groups.TrueForAll(g => g.Count == 1))
            {
                var flat = new List<object?>();
                foreach (var group in groups) flat.AddRange(group);
                groups = new List<List<object?>> { flat };
            }
            string source = Words.RegionSource(shape, inTable);
            var target = Unwrap(value);
            foreach (var group in groups)
            {
                if (group.Count != 4)
                {
                    error = ErrorCatalog.InvalidMaskRegion.Create(target, source, group.Count);
                    return false;
                }
                var numbers = new double[4];
                for (int i = 0; i < 4; i++)
                {
                    if (!TryNumber(group[i], out numbers[i]))
                    {
                        error = ErrorCatalog.MaskRegionNotANumber.Create(target, source, Convert.ToString(group[i], CultureInfo.InvariantCulture));
                        return false;
                    }
                }
                var region = new MaskRegion(shape, numbers[0], numbers[1], numbers[2], numbers[3]);
                var problem = MaskDesign.CheckShape(region);
                if (problem != MaskRegionProblem.None)
                {
                    var entry = problem == MaskRegionProblem.NotFinite ? ErrorCatalog.MaskRegionNotFinite : ErrorCatalog.MaskRegionNoArea;
                    error = entry.Create(target, Words.Region(region, fraction, inTable));
                    return false;
                }
                regions.Add(region);
            }
            return true;
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        /// <summary>The items of a list, or of text split at commas, unwrapped; a single value is a list of one.</summary>
        private static List<object?> Items(object value)
        {
            var items = new List<object?>();
            if (value is string text)
            {
                foreach (var part in text.Split(',')) items.Add(part);
            }
            else if (value is IEnumerable sequence)
            {
                foreach (var item in sequence) items.Add(Unwrap(item));
            }
            else
            {
                items.Add(value);
            }
            return items;
        }

        /// <summary>A list inside the list: one region of several. Text with a comma is one too.</summary>
        private static bool IsGroup(object? item) =>
            item is string text ? text.IndexOf(',') >= 0 : item is IEnumerable && !(item is IDictionary);

        private static bool TryNumber(object? value, out double number)
        {
            number = 0;
            switch (Unwrap(value))
            {
                case string text:
                    return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
                case bool _:
                case char _:
                    return false;
                case IConvertible convertible when IsNumeric(convertible.GetTypeCode()):
                    number = convertible.ToDouble(CultureInfo.InvariantCulture);
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsNumeric(TypeCode code) => code >= TypeCode.SByte && code <= TypeCode.Decimal;

        /// <summary>$true, $false or a switch's value; 0 and 1 too. Anything else is not a flag.</summary>
        private static bool TryFlag(object? value, out bool flag)
        {
            switch (Unwrap(value))
            {
                case bool b:
                    flag = b;
                    return true;
                case SwitchParameter s:
                    flag = s.IsPresent;
                    return true;
                case int i when i == 0 || i == 1:
                    flag = i == 1;
                    return true;
                default:
                    flag = false;
                    return false;
            }
        }

        private static bool Is(string key, string name) => string.Equals(key.Trim(), name, StringComparison.OrdinalIgnoreCase);
    }
}
