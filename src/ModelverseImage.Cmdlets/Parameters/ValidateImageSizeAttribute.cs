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
            string hint = check.Suggested is null ? string.Empty : $" The nearest valid size is {check.Suggested}.";
            throw new ValidationMetadataException(
                $"'{arguments}' is not a size gpt-image-2 accepts. {string.Join(" ", check.Problems)}{hint} Test-MvImageSize -Detailed explains the rules.");
        }
    }
}
