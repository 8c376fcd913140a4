using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ModelverseImage.Api;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// The key of a request: SHA-256 of a canonical text of everything that decides what the API makes, the
    /// endpoint, model, prompt, every optional field sent (n, size, quality, output_format, output_compression,
    /// background, moderation, input_fidelity, partial_images, the -AdditionalParameter fields ...) sorted by name,
    /// and for an edit the SHA-256 of each image's and the mask's bytes. Any change in these is a new key; how the
    /// request is sent (key, address, retries, timeouts) is not part of it.
    /// </summary>
    public static class RequestKey
    {
        /// <summary>Hex characters kept of the SHA-256: 128 bits.</summary>
        public const int Length = 32;

        /// <summary>The key of <paramref name="request"/>; <paramref name="contentHash"/> gives the SHA-256 (hex) of an upload's bytes.</summary>
        public static string Of(ImageRequest request, Func<ImageUpload, string> contentHash)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            return Hash(Canonical(request, contentHash));
        }

        /// <summary>The canonical text hashed into the key (one field a line, each value length-prefixed).</summary>
        internal static string Canonical(ImageRequest request, Func<ImageUpload, string> contentHash)
        {
            var text = new StringBuilder();
            text.Append("mvimage-request-key 1\n");
            Line(text, "endpoint", request.Path);
            Line(text, "model", request.Model);
            Line(text, "prompt", request.Prompt);
            // Sorted names, not LINQ over the entries: OrderBy on KeyValuePair is JIT-compiled afresh (some 30 methods)
            // on the first request of every process.
            var names = new string[request.Fields.Count];
            request.Fields.Keys.CopyTo(names, 0);
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var name in names)
            {
                var value = request.Fields[name];
                if (value != null) Line(text, "field:" + name, Value(value));
            }
            foreach (var image in request.Images) Line(text, "image", contentHash(image));
            if (request.Mask != null) Line(text, "mask", contentHash(request.Mask));
            return text.ToString();
        }

        /// <summary>
        /// SHA-256 of an upload's bytes (a file is read in full, once), as lower-case hex; for content the module made
        /// (a mask), its <see cref="ImageUpload.ContentKey"/>.
        /// </summary>
        public static string ContentHash(ImageUpload upload)
        {
            if (upload.ContentKey != null) return upload.ContentKey;
            using var stream = upload.Open();
            return Sha256Text.Of(stream);
        }

        private static void Line(StringBuilder text, string name, string value) =>
            text.Append(name).Append('=').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');

        /// <summary>A value as stable text: numbers invariant, dictionaries sorted by key, lists in order, text length-prefixed.</summary>
        private static string Value(object? value)
        {
            switch (value)
            {
                case null: return "null";
                case string s: return "s" + s.Length.ToString(CultureInfo.InvariantCulture) + ":" + s;
                case bool b: return b ? "true" : "false";
                case IDictionary dictionary:
                    var entries = new List<KeyValuePair<string, string>>();
                    foreach (DictionaryEntry e in dictionary)
                        entries.Add(new KeyValuePair<string, string>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty, Value(e.Value)));
                    return "{" + string.Join(",", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Value(e.Key) + "=" + e.Value)) + "}";
                case IEnumerable sequence:
                    return "[" + string.Join(",", sequence.Cast<object?>().Select(Value)) + "]";
                case IFormattable formattable:
                    return "n" + formattable.ToString(null, CultureInfo.InvariantCulture);
                default:
                    return Value(value.ToString());
            }
        }

        private static string Hash(string canonical)
        {
            return Sha256Text.Of(canonical).Substring(0, Length);
        }
    }
}
