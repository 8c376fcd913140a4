using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelverseImage.Api;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// -Quality: low, medium, high or auto, case-insensitive. Unlike ValidateSet it lets "not set" (null,
    /// from a blank CSV cell) through, so the field is simply not sent.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateQualityAttribute : ValidateArgumentsAttribute
    {
        internal static IReadOnlyList<string> Values => ApiRules.Qualities;

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? quality = arguments?.ToString();
            if (quality is null || Values.Contains(quality, StringComparer.OrdinalIgnoreCase)) return;
            throw new ValidationMetadataException(Errors.Words.UnknownQuality(quality, Values));
        }
    }
}
