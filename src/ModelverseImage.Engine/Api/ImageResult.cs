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
        public long? InputTextTokens { get; init; }

        /// <summary>Input image tokens (usage.input_tokens_details.image_tokens), for edits.</summary>
        public long? InputImageTokens { get; init; }

        /// <summary>Output text tokens (usage.output_tokens_details.text_tokens), when the API reports them.</summary>
        public long? OutputTextTokens { get; init; }

        /// <summary>Output image tokens (usage.output_tokens_details.image_tokens), when the API reports them.</summary>
        public long? OutputImageTokens { get; init; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "{0} tokens (input {1}, output {2})", TotalTokens?.ToString(CultureInfo.InvariantCulture) ?? "?",
            InputTokens?.ToString(CultureInfo.InvariantCulture) ?? "?", OutputTokens?.ToString(CultureInfo.InvariantCulture) ?? "?");
    }

    /// <summary>One decoded image of an answer.</summary>
    public sealed class ResultImage
    {
        private byte[]? _bytes;

        public ResultImage(ArraySegment<byte> data, string? revisedPrompt)
        {
            Data = data;
            RevisedPrompt = revisedPrompt;
        }

        /// <summary>The decoded bytes, where they were decoded (no copy).</summary>
        public ArraySegment<byte> Data { get; }

        /// <summary>The decoded bytes as an exact-size array (made on first use when Data is part of a larger array).</summary>
        public byte[] Bytes => _bytes ??= ImageBytes.Exact(Data);

        public string? RevisedPrompt { get; }
    }

    /// <summary>Exact-size arrays from segments, copying only when the segment is not the whole array.</summary>
    internal static class ImageBytes
    {
        public static byte[] Exact(ArraySegment<byte> data)
        {
            if (data.Array is null) return Array.Empty<byte>();
            if (data.Offset == 0 && data.Count == data.Array.Length) return data.Array;
            var copy = Uninitialized.Allocate(data.Count);
            Buffer.BlockCopy(data.Array, data.Offset, copy, 0, data.Count);
            return copy;
        }
    }

    /// <summary>
    /// The settings an answer echoes (OpenAI-compatible APIs send size, quality, background and output_format
    /// beside "data"): with -Quality auto, the quality used, which drives the cost. Null where not sent.
    /// </summary>
    public sealed class AnswerSettings
    {
        public static readonly AnswerSettings None = new AnswerSettings();

        public string? Size { get; init; }
        public string? Quality { get; init; }
        public string? Background { get; init; }
        public string? OutputFormat { get; init; }
    }

    /// <summary>A successful answer: the images in order, with what the request cost.</summary>
    public sealed class ImageResult
    {
        public ImageResult(IReadOnlyList<ResultImage> images, DateTimeOffset? created, TokenUsage? usage, string? requestId, AnswerSettings? settings = null)
        {
            Images = images;
            Created = created;
            Usage = usage;
            RequestId = requestId;
            Settings = settings ?? AnswerSettings.None;
        }

        /// <summary>What the API says it used (size, quality, background, format), where it says so.</summary>
        public AnswerSettings Settings { get; }

        public IReadOnlyList<ResultImage> Images { get; }
        public DateTimeOffset? Created { get; }
        public TokenUsage? Usage { get; }
        public string? RequestId { get; }
    }
}
