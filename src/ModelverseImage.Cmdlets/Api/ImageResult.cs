using System;
using System.Collections.Generic;
using System.Globalization;

namespace ModelverseImage.Api
{
    /// <summary>Token usage the API reported for one request.</summary>
    public sealed class TokenUsage
    {
        public long? TotalTokens { get; init; }
        public long? InputTokens { get; init; }
        public long? OutputTokens { get; init; }

        /// <summary>Input text tokens (usage.input_tokens_details.text_tokens).</summary>
        public long? TextTokens { get; init; }

        /// <summary>Input image tokens (usage.input_tokens_details.image_tokens).</summary>
        public long? ImageTokens { get; init; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "{0} tokens (input {1}, output {2})", TotalTokens?.ToString(CultureInfo.InvariantCulture) ?? "?",
            InputTokens?.ToString(CultureInfo.InvariantCulture) ?? "?", OutputTokens?.ToString(CultureInfo.InvariantCulture) ?? "?");
    }

    /// <summary>One decoded image of an answer.</summary>
    public sealed class ResultImage
    {
        public ResultImage(byte[] bytes, string? revisedPrompt)
        {
            Bytes = bytes;
            RevisedPrompt = revisedPrompt;
        }

        public byte[] Bytes { get; }
        public string? RevisedPrompt { get; }
    }

    /// <summary>A successful answer: the images in order, with what the request cost.</summary>
    public sealed class ImageResult
    {
        public ImageResult(IReadOnlyList<ResultImage> images, DateTimeOffset? created, TokenUsage? usage, string? requestId)
        {
            Images = images;
            Created = created;
            Usage = usage;
            RequestId = requestId;
        }

        public IReadOnlyList<ResultImage> Images { get; }
        public DateTimeOffset? Created { get; }
        public TokenUsage? Usage { get; }
        public string? RequestId { get; }
    }
}
