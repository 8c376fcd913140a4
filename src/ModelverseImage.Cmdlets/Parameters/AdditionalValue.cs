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
                    throw new UnsendableValueException(Unsendable.NotFinite, field, where, value);
                case double or float:
                    return value;
                case char c:
                    return c.ToString();
                case Enum e:
                    return e.ToString();
            }
            if (depth >= MaxAdditionalDepth)
                throw new UnsendableValueException(Unsendable.TooDeep, field, where, MaxAdditionalDepth);
            var container = wrapper != null && value is PSCustomObject ? (object)wrapper : value!;
            if (!open.Add(container))
                throw new UnsendableValueException(Unsendable.ContainsItself, field, where, null);
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
                        throw new UnsendableValueException(Unsendable.NotJson, field, where, value!.GetType().FullName);
                }
            }
            finally
            {
                open.Remove(container);
            }
        }

        /// <summary>Why a value of -AdditionalParameter cannot be sent.</summary>
        public enum Unsendable
        {
            /// <summary>NaN or an infinity. Fact: the value.</summary>
            NotFinite,

            /// <summary>Nested deeper than <see cref="MaxAdditionalDepth"/>. Fact: that depth.</summary>
            TooDeep,

            /// <summary>A value that contains itself.</summary>
            ContainsItself,

            /// <summary>A value of a type JSON cannot carry. Fact: the type's name.</summary>
            NotJson,
        }

        /// <summary>A value of -AdditionalParameter that cannot be sent, as facts (the cmdlets word them: ErrorCatalog).</summary>
        public sealed class UnsendableValueException : Exception
        {
            public UnsendableValueException(Unsendable reason, string field, string where, object? fact)
                : base(field + ": " + reason + " at " + where)
            {
                Reason = reason;
                Field = field;
                Where = where;
                Fact = fact;
            }

            public Unsendable Reason { get; }

            /// <summary>The field of -AdditionalParameter.</summary>
            public string Field { get; }

            /// <summary>Where in its value: the field, then ".key" and "[i]" down to the value refused.</summary>
            public string Where { get; }

            /// <summary>The reason's fact (see <see cref="Unsendable"/>).</summary>
            public object? Fact { get; }
        }

        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();
            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);
            public int GetHashCode(object obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
