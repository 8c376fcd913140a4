using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using ModelverseImage.Api;

namespace ModelverseImage.Parameters
{
    /// <summary>A prompt must have text and at most 32,000 characters (the GPT image models' limit).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidatePromptAttribute : ValidateArgumentsAttribute
    {
        public const int MaxLength = ApiRules.MaxPromptLength;

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? prompt = arguments?.ToString();
            if (string.IsNullOrWhiteSpace(prompt))
                throw new ValidationMetadataException("The prompt is empty. Describe the image you want, for example -Prompt 'a lighthouse at dawn'.");
            if (!prompt!.Any(IsVisible))
                throw new ValidationMetadataException("The prompt has no visible characters (only spaces, zero-width, format or control characters). Describe the image you want, for example -Prompt 'a lighthouse at dawn'.");
            if (prompt!.Length > MaxLength)
                throw new ValidationMetadataException($"The prompt has {prompt.Length:N0} characters; gpt-image-2 accepts at most {MaxLength:N0}.");
        }

        private static bool IsVisible(char c) =>
            !char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
    }
}
