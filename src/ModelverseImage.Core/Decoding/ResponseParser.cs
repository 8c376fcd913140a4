using System;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ModelverseImage.Api
{
    /// <summary>
    /// Reads the small JSON parts of an answer: the skeleton of a success body (images already taken out by
    /// <see cref="ImageJsonScanner"/>) or an error body. Knows the field names of the images API.
    /// </summary>
    internal static partial class ResponseParser
    {
        private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>Parses the small JSON left by the scanner; it must be an object. <paramref name="isEvent"/>: an event of a stream, not the answer.</summary>
        private static JsonDocument ParseObject(ReadOnlyMemory<byte> skeleton, bool isEvent, int statusCode, string? requestId)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(RepairedUtf8(skeleton));
            }
            catch (JsonException ex)
            {
                throw new ApiException(FailureKind.InvalidResponse, isEvent ? ApiProblem.EventNotJson : ApiProblem.AnswerNotJson, ex, ex.Message, Snippet(skeleton.Span))
                { StatusCode = statusCode, RequestId = requestId };
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ApiException(FailureKind.InvalidResponse, isEvent ? ApiProblem.EventNotObject : ApiProblem.AnswerNotObject) { StatusCode = statusCode, RequestId = requestId };
            }
            return document;
        }

        /// <summary>The settings an answer or an event echoes: size, quality, background.</summary>
        private static AnswerSettings SettingsFrom(JsonElement root) => new AnswerSettings
        {
            Size = String(root, "size"),
            Quality = String(root, "quality"),
            Background = String(root, "background"),
        };

        public static AnswerSkeleton ParseSkeleton(ReadOnlyMemory<byte> skeleton, int statusCode, string? requestId)
        {
            using (var document = ParseObject(skeleton, isEvent: false, statusCode, requestId))
            {
                var root = document.RootElement;
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                    throw ErrorFrom(error, statusCode, requestId, retryAfter: null, shouldRetry: null);

                var answer = new AnswerSkeleton();
                if (root.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.Number && created.TryGetInt64(out long stamp))
                    answer.Created = FromUnixTime(stamp);
                if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                    answer.Usage = UsageFrom(usage);
                answer.Settings = SettingsFrom(root);
                if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
                    throw new ApiException(FailureKind.InvalidResponse, ApiProblem.NoImages) { StatusCode = statusCode, RequestId = requestId };

                foreach (var item in data.EnumerateArray())
                {
                    string? revised = String(item, "revised_prompt");
                    string? b64 = String(item, "b64_json");
                    string? url = String(item, "url");
                    if (url != null && url.Length == 0) url = null;
                    if (b64 != null && b64.StartsWith(ImageJsonScanner.PlaceholderPrefix, StringComparison.Ordinal)
                        && int.TryParse(b64.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                    {
                        answer.Data.Add(new AnswerSkeleton.Entry(index, url, revised));
                    }
                    else if (url != null)
                    {
                        answer.Data.Add(new AnswerSkeleton.Entry(-1, url, revised));
                    }
                    else
                    {
                        throw new ApiException(FailureKind.InvalidResponse, ApiProblem.EntryWithoutImage) { StatusCode = statusCode, RequestId = requestId };
                    }
                }
                return answer;
            }
        }

        /// <summary>Builds the exception for a non-success answer from whatever body it had (JSON error, HTML, nothing).</summary>
        /// <param name="downloadHost">For a url answer's download, its host: that host refused the download, not the API.</param>
        public static ApiException ErrorFromBody(int statusCode, string? reason, byte[] body, string? requestId, TimeSpan? retryAfter, bool? shouldRetry, string? downloadHost = null)
        {
            try
            {
                using var document = JsonDocument.Parse(RepairedUtf8(body));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object) return ErrorFrom(error, statusCode, requestId, retryAfter, shouldRetry, downloadHost);
                    if (error.ValueKind == JsonValueKind.String) return Build(statusCode, TextOf(error), null, null, requestId, retryAfter, shouldRetry, downloadHost);
                }
            }
            catch (JsonException)
            {
                // Not JSON: an HTML error page from a proxy, or plain text.
            }
            string text = Snippet(body);
            return Build(statusCode, text.Length == 0 ? reason : text, null, null, requestId, retryAfter, shouldRetry, downloadHost);
        }

        private static ApiException ErrorFrom(JsonElement error, int statusCode, string? requestId, TimeSpan? retryAfter, bool? shouldRetry, string? downloadHost = null)
        {
            return Build(statusCode, String(error, "message"), StringOrNumber(error, "code"), String(error, "type"),
                RequestIdFrom(requestId, String(error, "param")), retryAfter, shouldRetry, downloadHost);
        }

        private static ApiException Build(int statusCode, string? apiMessage, string? code, string? type, string? requestId, TimeSpan? retryAfter, bool? shouldRetry, string? downloadHost = null)
        {
            var failure = Error(downloadHost is null ? ApiProblem.Refused : ApiProblem.DownloadRefused, statusCode, apiMessage, code, type, requestId, retryAfter, shouldRetry);
            failure.Host = downloadHost;
            return failure;
        }

        /// <summary>The failure an error answer or error event ends in, its kind from the status and the API's code.</summary>
        private static ApiException Error(ApiProblem problem, int statusCode, string? apiMessage, string? code, string? type, string? requestId, TimeSpan? retryAfter, bool? shouldRetry) =>
            new ApiException(RetryPolicy.KindOf(statusCode, code), problem)
            {
                StatusCode = statusCode,
                ApiMessage = apiMessage,
                ErrorCode = code,
                ErrorType = type,
                RequestId = requestId,
                RetryAfter = retryAfter,
                ShouldRetry = shouldRetry,
            };

        /// <summary>Unix seconds as documented; milliseconds (some gateways) are recognised by their size; nonsense is dropped.</summary>
        private static DateTimeOffset? FromUnixTime(long stamp)
        {
            try
            {
                return stamp > 100_000_000_000L ? DateTimeOffset.FromUnixTimeMilliseconds(stamp) : DateTimeOffset.FromUnixTimeSeconds(stamp);
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        /// <summary>
        /// The provider puts the request id in error.param; OpenAI puts the offending field's name there. The
        /// x-request-id header wins; param is taken only when it looks like an id (no header, has a digit).
        /// </summary>
        private static string? RequestIdFrom(string? header, string? param)
        {
            if (!string.IsNullOrEmpty(header)) return header;
            if (param != null && param.Length >= 4 && param.Any(char.IsDigit) && param.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-'))
                return param;
            return null;
        }

        private static TokenUsage UsageFrom(JsonElement usage)
        {
            bool hasInput = usage.TryGetProperty("input_tokens_details", out var input) && input.ValueKind == JsonValueKind.Object;
            bool hasOutput = usage.TryGetProperty("output_tokens_details", out var output) && output.ValueKind == JsonValueKind.Object;
            return new TokenUsage
            {
                TotalTokens = Number(usage, "total_tokens"),
                InputTokens = Number(usage, "input_tokens"),
                OutputTokens = Number(usage, "output_tokens"),
                InputTextTokens = hasInput ? Number(input, "text_tokens") : null,
                InputImageTokens = hasInput ? Number(input, "image_tokens") : null,
                OutputTextTokens = hasOutput ? Number(output, "text_tokens") : null,
                OutputImageTokens = hasOutput ? Number(output, "image_tokens") : null,
            };
        }

        /// <summary>
        /// A string member, or null. A string that cannot become text (an escaped lone surrogate, "\ud800") is
        /// dropped rather than failing the answer around it; bytes that are not UTF-8 were repaired before parsing.
        /// </summary>
        private static string? String(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? TextOf(value) : null;

        /// <summary>A string element's text, or null when it cannot become text (see <see cref="String"/>).</summary>
        private static string? TextOf(JsonElement value)
        {
            try
            {
                return value.GetString();
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>
        /// The JSON with every byte that is not UTF-8 replaced by U+FFFD, so that a bad byte in a text field (a revised
        /// prompt, an error message) spoils that text and never the image or the status around it. Valid JSON, the
        /// usual case, is returned as it is, without a copy.
        /// </summary>
        internal static ReadOnlyMemory<byte> RepairedUtf8(ReadOnlyMemory<byte> json)
        {
            var bytes = MemoryMarshal.TryGetArray(json, out var segment) ? segment : new ArraySegment<byte>(json.ToArray());
            try
            {
                StrictUtf8.GetCharCount(bytes.Array!, bytes.Offset, bytes.Count);
                return json;
            }
            catch (DecoderFallbackException)
            {
                return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes.Array!, bytes.Offset, bytes.Count));
            }
        }

        /// <summary>A string, or a number's text: some gateways send error.code as a number (e.g. 1301).</summary>
        private static string? StringOrNumber(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String ? TextOf(value) : value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null
                : null;

        private static long? Number(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : (long?)null;

        /// <summary>The start of a body as one line of plain text (HTML tags dropped), for error messages.</summary>
        internal static string Snippet(ReadOnlySpan<byte> body)
        {
            var text = Encoding.UTF8.GetString(body.Slice(0, Math.Min(body.Length, 2048)).ToArray());
            var plain = new StringBuilder();
            bool inTag = false;
            foreach (char c in text)
            {
                if (c == '<') { inTag = true; plain.Append(' '); continue; }
                if (c == '>') { inTag = false; continue; }
                if (!inTag) plain.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c);
            }
            var collapsed = System.Text.RegularExpressions.Regex.Replace(plain.ToString(), @"\s+", " ").Trim();
            return collapsed.Length > 300 ? collapsed.Substring(0, 300) + "..." : collapsed;
        }
    }
}
