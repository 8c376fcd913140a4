using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// Binds text only to a string parameter that takes pipeline input by value (-Prompt, -Size, -Path): strings,
    /// chars, numbers and enums, null, and the types named in the constructor (files and paths for -Path). Any
    /// other object, such as an Import-Csv row without the expected column, a hashtable or a file piped to
    /// New-MvImage, would otherwise be turned into its text ("@{Text=a cat}", a path) by PowerShell's last binding
    /// passes and sent as a prompt. Here it fails to bind instead, so PowerShell binds the object's properties by
    /// name, or reports that it could not bind it: nothing is sent. A value given by name gets the same rule.
    /// </summary>
    /// <remarks>
    /// A transformation that threw would stop the binding at its first pass, before the by-name passes, so an
    /// Import-Csv row with a Prompt column would fail too. The object is replaced by a value that cannot become a
    /// string instead: the passes without conversion pass over it, and the conversion passes fail quietly
    /// (PowerShell turns any exception from ToString into a failed conversion; its message is not shown).
    /// </remarks>
    public sealed class TextInputAttribute : ArgumentTransformationAttribute
    {
        private readonly Type[] _alsoAccepted;

        /// <param name="alsoAccepted">Types bound as their text as well (FileSystemInfo and PathInfo for a path).</param>
        public TextInputAttribute(params Type[] alsoAccepted)
        {
            _alsoAccepted = alsoAccepted;
        }

        /// <summary>
        /// When set, a file or folder (FileSystemInfo, as Get-Item and Get-ChildItem emit) is refused with this
        /// message instead of being passed over: its properties would otherwise bind by name (on Linux and macOS a
        /// file's Size, its length in bytes, binds to -Size) and the error would be about them.
        /// </summary>
        public string? FileMessage { get; set; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = Unwrap(inputData);
            if (FileMessage != null && value is System.IO.FileSystemInfo file)
                throw new ArgumentTransformationMetadataException(string.Format(System.Globalization.CultureInfo.InvariantCulture, FileMessage, file.Name));
            bool isText = value is IList list
                ? list.Cast<object?>().All(item => IsText(Unwrap(item)))
                : IsText(value);
            return isText ? inputData : new NotText();
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private bool IsText(object? value) =>
            value is null || value is string || value is char || value is decimal || value is Enum
            || (value.GetType().IsPrimitive && !(value is IntPtr || value is UIntPtr))
            || _alsoAccepted.Any(type => type.IsInstanceOfType(value));

        /// <summary>Stands in for an object that is not text: PowerShell cannot convert it to a string.</summary>
        private sealed class NotText
        {
            public override string ToString() => throw new InvalidCastException();
        }
    }
}
