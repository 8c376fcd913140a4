using System;
using System.Text.Json;

namespace ModelverseImage.Api
{
    /// <summary>The small part of one streamed event (its image taken out by <see cref="ImageJsonScanner"/>).</summary>
    internal sealed class ParsedStreamEvent
    {
        public StreamEventKind Kind { get; set; }
        public string? Type { get; set; }

        /// <summary>Index into the event scanner's images, or -1 when the event has no b64_json.</summary>
        public int ImageIndex { get; set; } = -1;
        public int? PartialIndex { get; set; }
        public DateTimeOffset? Created { get; set; }
        public TokenUsage? Usage { get; set; }
        public string? RevisedPrompt { get; set; }
        public AnswerSettings Settings { get; set; } = AnswerSettings.None;
        public ApiException? Error { get; set; }
    }
}
