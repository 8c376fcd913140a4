using System.Collections.Generic;
using ModelverseImage.Api;

namespace ModelverseImage.Parameters
{
    /// <summary>Tab completion for -Quality.</summary>
    public sealed class QualityCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values => ApiRules.Qualities;
    }
}
