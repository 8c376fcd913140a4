using System;

namespace ModelverseImage.Api
{
    /// <summary>What each image model accepts, where the models differ; checked before anything is sent.</summary>
    public static class ModelRules
    {
        /// <summary>
        /// input_fidelity: OpenAI's schema lists gpt-image-1 and gpt-image-1.5, not gpt-image-1-mini; gpt-image-2
        /// answers it with 400 invalid_input_fidelity_model. Other model names (gateways' own) pass it through.
        /// </summary>
        public static bool AcceptsInputFidelity(string model) =>
            !(model.StartsWith("gpt-image-2", StringComparison.OrdinalIgnoreCase)
              || model.StartsWith("gpt-image-1-mini", StringComparison.OrdinalIgnoreCase));
    }
}
