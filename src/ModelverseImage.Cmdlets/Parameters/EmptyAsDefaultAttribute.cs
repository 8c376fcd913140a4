using System;
using System.Management.Automation;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// A blank value (an empty CSV cell from Import-Csv) means "not set": it becomes the parameter's default
    /// before validation, instead of failing ValidateSet or ValidateRange.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EmptyAsDefaultAttribute : ArgumentTransformationAttribute
    {
        private readonly object? _default;

        public EmptyAsDefaultAttribute(object? defaultValue) => _default = defaultValue;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? _default : inputData;
        }
    }
}
