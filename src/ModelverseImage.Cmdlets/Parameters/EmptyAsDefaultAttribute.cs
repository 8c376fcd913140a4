using System;
using System.Globalization;
using System.Management.Automation;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// A blank value (an empty CSV cell from Import-Csv, or a cell Import-Csv reads as null: a short row, a blank
    /// last cell without a final newline) means "not set": it becomes the parameter's default before validation,
    /// instead of failing ValidateSet or ValidateRange. For a whole-number parameter (an int default), text that is
    /// not a whole number in range ('three', '99999999999') is refused here with a clear message: left to PowerShell,
    /// a failed conversion of a value bound by property name is dropped silently and the default is used.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EmptyAsDefaultAttribute : ArgumentTransformationAttribute
    {
        private readonly object? _default;

        public EmptyAsDefaultAttribute(object? defaultValue) => _default = defaultValue;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is null || (value is string blank && string.IsNullOrWhiteSpace(blank))) return _default;
            if (_default is int && value is string text)
            {
                if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number)) return number;
                throw new ValidationMetadataException(Errors.Words.NotAWholeNumber(text, _default));
            }
            return inputData;
        }
    }
}
