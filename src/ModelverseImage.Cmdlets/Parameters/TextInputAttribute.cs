using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// Binds text only to a string parameter that takes pipeline input by value (-Prompt, -Size, -Path): strings,
    /// numbers and the like, and null. Any other object, such as an Import-Csv row without the expected column or
    /// a hashtable, would otherwise be turned into its text ("@{Text=a cat}") by PowerShell's last binding pass and
    /// sent as a prompt. Here it fails to bind instead, so PowerShell binds the object's properties by name, or
    /// reports that it could not bind it: nothing is sent.
    /// </summary>
    /// <remarks>
    /// A transformation that threw would stop the binding at its first pass, before the by-name passes, so an
    /// Import-Csv row with a Prompt column would fail too. The object is replaced by a value that cannot become a
    /// string instead: the passes without conversion pass over it, and the conversion passes fail quietly.
    /// </remarks>
    public sealed class TextInputAttribute : ArgumentTransformationAttribute
    {
        private readonly Type[] _alsoAccepted;

        /// <param name="alsoAccepted">Types bound as their text as well (FileSystemInfo for a path).</param>
        public TextInputAttribute(params Type[] alsoAccepted)
        {
            _alsoAccepted = alsoAccepted;
        }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            bool isText = value is IList list
                ? list.Cast<object?>().All(item => IsText(item is PSObject p ? p.BaseObject : item))
                : IsText(value);
            return isText ? inputData : new NotText(value);
        }

        private bool IsText(object? value) =>
            value is null || value is string || value is ValueType || _alsoAccepted.Any(type => type.IsInstanceOfType(value));

        /// <summary>Stands in for an object that is not text: PowerShell cannot convert it to a string.</summary>
        private sealed class NotText
        {
            private readonly string _typeName;

            public NotText(object? value)
            {
                _typeName = value?.GetType().Name ?? "null";
            }

            public override string ToString() =>
                throw new PSInvalidCastException($"A {_typeName} is not text: pass a string, or an object with a property of the parameter's name.");
        }
    }
}
