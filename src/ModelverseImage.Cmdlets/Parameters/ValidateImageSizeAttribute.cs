using System;
using System.Management.Automation;
using ModelverseImage.Sizes;

namespace ModelverseImage.Parameters
{
    /// <summary>Fails parameter binding for a size that breaks the gpt-image-2 size rules, saying which rule.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateImageSizeAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var check = ImageSizeRules.Check(arguments?.ToString());
            if (check.IsValid) return;
            throw new ValidationMetadataException(Errors.Words.SizeRefused(arguments?.ToString() ?? string.Empty, check));
        }
    }
}
