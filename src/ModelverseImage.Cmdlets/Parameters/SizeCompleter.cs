using System.Collections.Generic;
using ModelverseImage.Sizes;

namespace ModelverseImage.Parameters
{
    /// <summary>Tab completion for -Size: the provider's recommended sizes.</summary>
    public sealed class SizeCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values => ImageSizeRules.Recommended;

        protected override string Tooltip(string size)
        {
            if (size == ImageSizeRules.Auto) return "auto: the model chooses the size";
            var check = ImageSizeRules.Check(size);
            string shape = check.Width == check.Height ? "square" : check.Width > check.Height ? "landscape" : "portrait";
            return $"{size} ({shape})";
        }
    }
}
