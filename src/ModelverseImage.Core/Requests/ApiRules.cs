using System;
using System.Collections.Generic;

namespace ModelverseImage.Api
{
    /// <summary>
    /// The images API's rules and names, kept in this one place: models, the values of its enumerated fields,
    /// its limits and its field names. The cmdlets' parameters, validation and tab completion and the request
    /// builder all read them. The values are constants where PowerShell attributes need them (ValidateSet,
    /// ValidateRange, ValidateCount take only constants); the lists are built from the same constants.
    /// </summary>
    public static class ApiRules
    {
        // Models.
        public const string DefaultModel = "gpt-image-2";

        /// <summary>The GPT image models the API names, the default first; offered by tab completion.</summary>
        public static IReadOnlyList<string> Models { get; } = new[] { DefaultModel, "gpt-image-1.5", "gpt-image-1", "gpt-image-1-mini" };

        // quality
        public const string QualityLow = "low", QualityMedium = "medium", QualityHigh = "high", QualityAuto = "auto";
        public static IReadOnlyList<string> Qualities { get; } = new[] { QualityLow, QualityMedium, QualityHigh, QualityAuto };

        // output_format
        public const string FormatPng = "png", FormatJpeg = "jpeg", FormatWebp = "webp";

        // background
        public const string BackgroundTransparent = "transparent", BackgroundOpaque = "opaque", BackgroundAuto = "auto";

        // moderation (generations)
        public const string ModerationLow = "low", ModerationAuto = "auto";

        // input_fidelity (edits)
        public const string FidelityHigh = "high", FidelityLow = "low";

        // Limits.
        /// <summary>The longest prompt the GPT image models accept, in characters.</summary>
        public const int MaxPromptLength = 32_000;

        /// <summary>n: how many images one request may ask for.</summary>
        public const int MinCount = 1, MaxCount = 10;

        /// <summary>output_compression, in percent.</summary>
        public const int MinCompression = 0, MaxCompression = 100;

        /// <summary>partial_images of a streamed answer.</summary>
        public const int MinPartialImages = 0, MaxPartialImages = 3;

        /// <summary>Uploads of an edit: at most 16 images per request, each under 50 MB.</summary>
        public const int MaxUploadImages = 16;
        public const long MaxUploadBytes = 50L * 1024 * 1024;
        public const string MaxUploadSizeText = "50 MB";

        // Endpoints, relative to the base address.
        public const string GenerationsPath = "images/generations", EditsPath = "images/edits";

        // Field names, as the API spells them.
        public const string PromptField = "prompt", ModelField = "model", ImageField = "image", ImagesField = "image[]", MaskField = "mask";
        public const string CountField = "n", SizeField = "size", QualityField = "quality", OutputFormatField = "output_format",
            OutputCompressionField = "output_compression", BackgroundField = "background", ModerationField = "moderation",
            UserField = "user", InputFidelityField = "input_fidelity", StreamField = "stream", PartialImagesField = "partial_images";

        /// <summary>Fields the cmdlets' own parameters set (prompt, model, the images, the mask): extra fields cannot.</summary>
        public static ISet<string> ReservedFields { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { PromptField, ModelField, ImageField, ImagesField, MaskField };

        /// <summary>The fields that switch to a streamed answer, which only -PartialImages may set.</summary>
        public static ISet<string> StreamingFields { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { StreamField, PartialImagesField };

        /// <summary>
        /// input_fidelity: OpenAI's schema lists gpt-image-1 and gpt-image-1.5, not gpt-image-1-mini; gpt-image-2
        /// answers it with 400 invalid_input_fidelity_model. Other model names (gateways' own) pass it through.
        /// </summary>
        public static bool AcceptsInputFidelity(string model) =>
            !(model.StartsWith("gpt-image-2", StringComparison.OrdinalIgnoreCase)
              || model.StartsWith("gpt-image-1-mini", StringComparison.OrdinalIgnoreCase));

        /// <summary>A transparent background needs a format with an alpha channel (png or webp), not jpeg.</summary>
        public static bool IsTransparentJpeg(string? background, string? outputFormat) =>
            string.Equals(background, BackgroundTransparent, StringComparison.OrdinalIgnoreCase)
            && string.Equals(outputFormat, FormatJpeg, StringComparison.OrdinalIgnoreCase);
    }
}
