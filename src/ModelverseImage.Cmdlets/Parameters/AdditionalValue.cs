using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace ModelverseImage.Parameters
{
    /// <summary>The values of -AdditionalParameter, turned into plain values the core writes as JSON.</summary>
    internal static class AdditionalValue
    {
        /// <summary>How deep -AdditionalParameter values may nest (objects and arrays).</summary>
        public const int MaxAdditionalDepth = 64;

        /// <summary>
        /// Turns a value of -AdditionalParameter into plain values the core can write as JSON: null, text, booleans,
        /// finite numbers, dates; enums and chars as text; hashtables, dictionaries and PSCustomObjects (ConvertFrom-Json)
        /// as ordered dictionaries; lists and arrays as arrays. Anything else, NaN and infinities, a value that
        /// contains itself and nesting deeper than <see cref="MaxAdditionalDepth"/> are refused with a message naming
        /// <paramref name="field"/> (UnsendableValueException).
        /// </summary>
        public static object? ToPlain(object? value, string field) => ToPlain(value, field, field, 0, new HashSet<object>(ReferenceComparer.Instance));

        private static object? ToPlain(object? value, string field, string where, int depth, HashSet<object> open)
        {
            PSObject? wrapper = value as PSObject;
            if (wrapper != null) value = wrapper.BaseObject;
            switch (value)
            {
                case null:
                    return null;
                case string or bool or int or long or decimal or byte or sbyte or short or ushort or uint or ulong or DateTime or DateTimeOffset:
                    return value;
                case double d when double.IsNaN(d) || double.IsInfinity(d):
                case float f when float.IsNaN(f) || float.IsInfinity(f):
                    throw new UnsendableValueException($"-AdditionalParameter '{field}': {where} is {Convert.ToString(value, CultureInfo.InvariantCulture)}, which JSON cannot carry; give a finite number.");
                case double or float:
                    return value;
                case char c:
                    return c.ToString();
                case Enum e:
                    return e.ToString();
            }
            if (depth >= MaxAdditionalDepth)
                throw new UnsendableValueException($"-AdditionalParameter '{field}' nests deeper than {MaxAdditionalDepth} levels (at {where}); flatten it.");
            var container = wrapper != null && value is PSCustomObject ? (object)wrapper : value!;
            if (!open.Add(container))
                throw new UnsendableValueException($"-AdditionalParameter '{field}' contains itself (at {where}); give a value without loops.");
            try
            {
                switch (value)
                {
                    case PSCustomObject when wrapper != null:
                        var fromObject = new OrderedDictionary(StringComparer.Ordinal);
                        foreach (var property in wrapper.Properties.Where(p => p.MemberType == PSMemberTypes.NoteProperty))
                            fromObject[property.Name] = ToPlain(property.Value, field, where + "." + property.Name, depth + 1, open);
                        return fromObject;
                    case IDictionary dictionary:
                        var copy = new OrderedDictionary();
                        foreach (DictionaryEntry entry in dictionary)
                        {
                            string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                            copy[key] = ToPlain(entry.Value, field, where + "." + key, depth + 1, open);
                        }
                        return copy;
                    case IList list:
                        var items = new object?[list.Count];
                        for (int i = 0; i < items.Length; i++) items[i] = ToPlain(list[i], field, where + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", depth + 1, open);
                        return items;
                    default:
                        throw new UnsendableValueException($"-AdditionalParameter '{field}': {where} is a {value!.GetType().FullName}, which cannot be sent as JSON; give text, numbers, booleans, arrays, hashtables or objects from ConvertFrom-Json.");
                }
            }
            finally
            {
                open.Remove(container);
            }
        }

        /// <summary>A value of -AdditionalParameter that cannot be sent; its message names the field.</summary>
        public sealed class UnsendableValueException : Exception
        {
            public UnsendableValueException(string message) : base(message) { }
        }

        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();
            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);
            public int GetHashCode(object obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
