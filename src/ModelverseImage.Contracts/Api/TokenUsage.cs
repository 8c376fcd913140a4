using System.Globalization;

namespace ModelverseImage.Api
{
    /// <summary>Token usage the API reported for one request.</summary>
    public sealed class TokenUsage
    {
        /// <summary>All tokens of the request (usage.total_tokens).</summary>
        public long? TotalTokens { get; init; }

        /// <summary>Input tokens (usage.input_tokens): the prompt, and the images of an edit.</summary>
        public long? InputTokens { get; init; }

        /// <summary>Output tokens (usage.output_tokens): the generated images.</summary>
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
}
