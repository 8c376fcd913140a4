using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelverseImage.Api;

namespace ModelverseImage.Parameters
{
    /// <summary>Tab completion for -PartialImages: the counts the API accepts (0 to 3), not file names.</summary>
    public sealed class PartialImagesCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values =>
            Enumerable.Range(ApiRules.MinPartialImages, ApiRules.MaxPartialImages - ApiRules.MinPartialImages + 1)
                .Select(n => n.ToString(CultureInfo.InvariantCulture));
    }
}
