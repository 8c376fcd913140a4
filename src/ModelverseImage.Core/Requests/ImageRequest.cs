using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ModelverseImage.Imaging;

namespace ModelverseImage.Api
{
    /// <summary>
    /// One call to the images API: the prompt and model, the optional fields the user set (JSON names, in
    /// the order they are sent) and, for edits, the images and mask.
    /// </summary>
    public sealed class ImageRequest
    {
        public ImageRequest(string prompt, string model)
        {
            Prompt = prompt;
            Model = model;
        }

        public string Prompt { get; }
        public string Model { get; }

        /// <summary>Optional fields by their API names (n, size, quality, ...); only what the user set.</summary>
        public IDictionary<string, object?> Fields { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

        /// <summary>How many images were asked for; n is sent when it is not 1, the API's default.</summary>
        public int Count
        {
            get => _count;
            set => Send(ApiRules.CountField, (_count = value) != 1 ? value : null);
        }

        /// <summary>The size asked for; sent unless it is auto, the API's default.</summary>
        public ImageSize Size
        {
            get => _size;
            set => Send(ApiRules.SizeField, (_size = value).IsAuto ? null : value.ToString());
        }

        /// <summary>The quality asked for, one of <see cref="ApiRules.Qualities"/> as typed; null sends none.</summary>
        public string? Quality
        {
            get => _quality;
            set => Send(ApiRules.QualityField, (_quality = value)?.ToLowerInvariant());
        }

        /// <summary>
        /// The partial images asked for, which streams the answer (stream, partial_images); null for an answer in one piece.
        /// </summary>
        public int? PartialImages
        {
            get => _partialImages;
            set
            {
                _partialImages = value;
                Send(ApiRules.StreamField, value.HasValue ? true : null);
                Send(ApiRules.PartialImagesField, value);
            }
        }

        private int _count = 1;
        private ImageSize _size;
        private string? _quality;
        private int? _partialImages;

        /// <summary>Sets a field in the API's name, or leaves it out when <paramref name="value"/> is null.</summary>
        public void Send(string field, object? value)
        {
            if (value is null) Fields.Remove(field);
            else Fields[field] = value;
        }

        public IList<ImageUpload> Images { get; } = new List<ImageUpload>();
        public ImageUpload? Mask { get; set; }

        public bool IsEdit => Images.Count > 0;

        public string Path => IsEdit ? ApiRules.EditsPath : ApiRules.GenerationsPath;

        /// <summary>How many images the answer should hold (n, default 1).</summary>
        public int ExpectedCount => Fields.TryGetValue(ApiRules.CountField, out var n) && n != null ? Convert.ToInt32(n, CultureInfo.InvariantCulture) : 1;

        /// <summary>
        /// The multipart name of the images: "image" for one image, as the provider documents, and
        /// repeated "image[]" for several, OpenAI's convention.
        /// </summary>
        public string ImagePartName => Images.Count == 1 ? ApiRules.ImageField : ApiRules.ImagesField;

        /// <summary>
        /// The file parts of an edit, in order: each image under <see cref="ImagePartName"/>, then the mask. The
        /// file name sent is made up here (image-1.png, image-2.jpg, ..., mask.png), never the user's: a name with
        /// a quote or a non-ASCII letter is written differently by every multipart writer and read differently by
        /// every parser (RFC 2047, filename*, raw UTF-8, or a broken header). The extension follows the format,
        /// which was sniffed from the bytes (<see cref="Saving.FileNamer.ForImagePart"/>).
        /// </summary>
        public IEnumerable<(string Part, string FileName, ImageUpload Upload)> FileParts()
        {
            for (int i = 0; i < Images.Count; i++)
                yield return (ImagePartName, Saving.FileNamer.ForImagePart(i + 1, Images[i].Format), Images[i]);
            if (Mask != null) yield return (ApiRules.MaskField, Saving.FileNamer.ForMaskPart(Mask.Format), Mask);
        }

        /// <summary>
        /// The JSON body of a generation request: prompt and model first, then the fields set. For display
        /// (-WhatIf, verbose) text is written as typed ("一只猫", not "\u4E00\u53EA\u732B"); on the wire the
        /// default, strict escaping is kept.
        /// </summary>
        public byte[] ToJson(bool forDisplay = false)
        {
            using var stream = new MemoryStream();
            var options = forDisplay ? new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping } : default;
            using (var writer = new Utf8JsonWriter(stream, options))
            {
                writer.WriteStartObject();
                writer.WriteString(ApiRules.PromptField, Prompt);
                writer.WriteString(ApiRules.ModelField, Model);
                foreach (var field in Fields)
                {
                    writer.WritePropertyName(field.Key);
                    WriteValue(writer, field.Value);
                }
                writer.WriteEndObject();
            }
            return stream.ToArray();
        }

        /// <summary>The text fields of an edit (multipart) request, in order.</summary>
        public IEnumerable<KeyValuePair<string, string>> FormFields()
        {
            yield return new KeyValuePair<string, string>(ApiRules.PromptField, Prompt);
            yield return new KeyValuePair<string, string>(ApiRules.ModelField, Model);
            foreach (var field in Fields)
            {
                if (field.Value is null) continue;
                yield return new KeyValuePair<string, string>(field.Key, FormText(field.Value));
            }
        }

        /// <summary>What would be sent, for -WhatIf and verbose output (never the key).</summary>
        public string Describe()
        {
            var text = new StringBuilder("POST ").Append(Path).Append(' ');
            if (IsEdit)
            {
                text.Append("multipart: ");
                text.Append(string.Join(", ", FormFields().Select(f => f.Key + "=" + Quote(f.Value))));
                foreach (var image in Images) text.Append(", ").Append(ImagePartName).Append("=@").Append(image);
                if (Mask != null) text.Append(", ").Append(ApiRules.MaskField).Append("=@").Append(Mask);
            }
            else
            {
                text.Append(Encoding.UTF8.GetString(ToJson(forDisplay: true)));
            }
            return text.ToString();
        }

        private static string Quote(string value) => value.Length > 80 ? "'" + value.Substring(0, 77) + "...'" : "'" + value + "'";

        private static string FormText(object value) => value switch
        {
            bool b => b ? "true" : "false",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IDictionary or IEnumerable => JsonText(value),
            _ => value.ToString() ?? string.Empty,
        };

        private static string JsonText(object value)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream)) WriteValue(writer, value);
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        internal static void WriteValue(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case string s: writer.WriteStringValue(s); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case int i: writer.WriteNumberValue(i); break;
                case long l: writer.WriteNumberValue(l); break;
                case double d: writer.WriteNumberValue(d); break;
                case float f: writer.WriteNumberValue(f); break;
                case decimal m: writer.WriteNumberValue(m); break;
                case byte or sbyte or short or ushort or uint: writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                case ulong u: writer.WriteNumberValue(u); break;
                case DateTimeOffset dto: writer.WriteStringValue(dto); break;
                case DateTime dt: writer.WriteStringValue(dt); break;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        WriteValue(writer, entry.Value);
                    }
                    writer.WriteEndObject();
                    break;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (var item in sequence) WriteValue(writer, item);
                    writer.WriteEndArray();
                    break;
                default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }
    }
}
