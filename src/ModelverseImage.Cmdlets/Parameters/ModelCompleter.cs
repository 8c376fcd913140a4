using System.Collections.Generic;
using ModelverseImage.Api;

namespace ModelverseImage.Parameters
{
    /// <summary>Tab completion for -Model: gpt-image-2 and the other GPT image models the API names.</summary>
    public sealed class ModelCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values => ApiRules.Models;
    }
}
