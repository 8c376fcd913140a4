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
                throw new ValidationMetadataException(Errors.Words.PromptEmpty);
            if (!prompt!.Any(IsVisible))
                throw new ValidationMetadataException(Errors.Words.PromptInvisible);
            if (prompt!.Length > MaxLength)
                throw new ValidationMetadataException(Errors.Words.PromptTooLong(prompt.Length, MaxLength));
        }

        private static bool IsVisible(char c) =>
            !char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
    }
}
