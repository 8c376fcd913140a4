using System;
using System.Management.Automation;
using ModelverseImage.Imaging;

namespace ModelverseImage.Parameters
{
    /// <summary>Fails parameter binding for a mask size that is not WIDTHxHEIGHT in pixels, each edge within the mask's limit.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateMaskSizeAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string text = arguments?.ToString() ?? string.Empty;
            if (MaskDesign.TryParseSize(text, out _, out _)) return;
            throw new ValidationMetadataException(Errors.Words.MaskSizeRefused(text));
        }
    }
}
