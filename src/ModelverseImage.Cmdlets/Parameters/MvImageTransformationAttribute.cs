using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelverseImage.Output;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// Lets -InputObject take an MvImage that was serialized and read back (Import-Clixml, a job's output,
    /// remoting): such a copy carries the description but no bytes, and becomes a placeholder MvImage
    /// (<see cref="MvImage.HasBytes"/> false) that the cmdlet refuses with one clear NoImageBytes error, instead
    /// of PowerShell binding its ToString() text as a path or failing with a generic binding error.
    /// </summary>
    public sealed class MvImageTransformationAttribute : ArgumentTransformationAttribute
    {
        internal const string DeserializedTypeName = "Deserialized." + "ModelverseImage.Output.MvImage";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is PSObject single && IsDeserializedImage(single)) return MvImage.FromDeserialized(single);
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is IList list && !(value is MvImage) && list.Cast<object?>().Any(item => item is PSObject p && IsDeserializedImage(p)))
            {
                var images = new List<MvImage>();
                foreach (var item in list)
                {
                    if (item is PSObject p && IsDeserializedImage(p)) images.Add(MvImage.FromDeserialized(p));
                    else if ((item is PSObject w ? w.BaseObject : item) is MvImage image) images.Add(image);
                    else return inputData;
                }
                return images.ToArray();
            }
            return inputData;
        }

        /// <summary>The one error for a placeholder: what happened, and what to do instead.</summary>
        internal static ErrorRecord NoImageBytes(MvImage image) =>
            Errors.ErrorCatalog.NoImageBytes.Create(image, image.Prompt, image.Format, image.Width, image.Height);

        private static bool IsDeserializedImage(PSObject value) =>
            !(value.BaseObject is MvImage) && value.TypeNames.Contains(DeserializedTypeName);
    }
}
