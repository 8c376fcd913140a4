using System;
using System.Management.Automation;
using ModelverseImage.Resume;

namespace ModelverseImage.Parameters
{
    /// <summary>Fails parameter binding for a -Shard that is not "index/count" with the index from 0 to count-1.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateShardAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string text = arguments?.ToString() ?? string.Empty;
            if (Shard.TryParse(text, out _, out var problem)) return;
            throw new ValidationMetadataException(Errors.Words.ShardRefused(text, problem));
        }
    }
}
