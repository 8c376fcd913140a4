using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelverseImage.Api
{
    internal static partial class ResponseParser
    {
        /// <summary>
        /// Reads one event of a streamed answer (<c>image_generation.partial_image</c>, <c>image_edit.completed</c>,
        /// <c>error</c>, ...). The type comes from the data's "type", else from the event's name. Unknown types are
        /// <see cref="StreamEventKind.Other"/>, to be skipped.
        /// </summary>
        public static ParsedStreamEvent ParseStreamEvent(ReadOnlyMemory<byte> skeleton, string? eventName, int statusCode, string? requestId)
        {
            using (var document = ParseObject(skeleton, isEvent: true, statusCode, requestId))
            {
                var root = document.RootElement;
                var parsed = new ParsedStreamEvent { Type = String(root, "type") ?? eventName };
                string type = parsed.Type ?? string.Empty;
                if (root.TryGetProperty("error", out var error) && (error.ValueKind == JsonValueKind.Object || error.ValueKind == JsonValueKind.String)
                    || type == "error")
                {
                    parsed.Kind = StreamEventKind.Error;
                    parsed.Error = StreamError(root, statusCode, requestId);
                    return parsed;
                }
                if (type.EndsWith(".partial_image", StringComparison.Ordinal)) parsed.Kind = StreamEventKind.Partial;
                else if (type.EndsWith(".completed", StringComparison.Ordinal)) parsed.Kind = StreamEventKind.Completed;
                else return parsed;

                string? b64 = String(root, "b64_json");
                if (b64 != null && b64.StartsWith(ImageJsonScanner.PlaceholderPrefix, StringComparison.Ordinal)
                    && int.TryParse(b64.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                    parsed.ImageIndex = index;
                if (Number(root, "partial_image_index") is long partial && partial >= 0 && partial <= int.MaxValue) parsed.PartialIndex = (int)partial;
                if (Number(root, "created_at") is long stamp) parsed.Created = FromUnixTime(stamp);
                if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object) parsed.Usage = UsageFrom(usage);
                parsed.RevisedPrompt = String(root, "revised_prompt");
                parsed.Settings = SettingsFrom(root);
                return parsed;
            }
        }

        /// <summary>An <c>error</c> event: the API's message, code and type, kind by the usual mapping; never retried (the request was accepted).</summary>
        private static ApiException StreamError(JsonElement root, int statusCode, string? requestId)
        {
            string? apiMessage = null, code = null, type = null, param = null;
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                apiMessage = String(error, "message");
                code = StringOrNumber(error, "code");
                type = String(error, "type");
                param = String(error, "param");
            }
            else if (error.ValueKind == JsonValueKind.String)
            {
                apiMessage = TextOf(error);
            }
            apiMessage ??= String(root, "message");
            code ??= StringOrNumber(root, "code");
            return Error(ApiProblem.ErrorEvent, statusCode, apiMessage, code, type, RequestIdFrom(requestId, param), retryAfter: null, shouldRetry: false);
        }
    }
}
