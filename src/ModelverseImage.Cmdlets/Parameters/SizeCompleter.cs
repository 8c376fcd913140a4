using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ModelverseImage.Api;
using ModelverseImage.Sizes;

namespace ModelverseImage.Parameters
{
    /// <summary>Tab completion for -Size: the provider's recommended sizes.</summary>
    public sealed class SizeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
            string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(ImageSizeRules.Recommended, wordToComplete, size => size == ImageSizeRules.Auto
                ? "auto: the model chooses the size"
                : $"{size} ({SizeCheckText(size)})");

        private static string SizeCheckText(string size)
        {
            var check = ImageSizeRules.Check(size);
            return check.Width == check.Height ? "square" : check.Width > check.Height ? "landscape" : "portrait";
        }
    }

    /// <summary>Tab completion for -Model: gpt-image-2 and the other GPT image models the API names.</summary>
    public sealed class ModelCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
            string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(ApiRules.Models, wordToComplete, model => model);
    }

    internal static class Completions
    {
        internal static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string? wordToComplete, Func<string, string> tooltip)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, tooltip(v)))
                .ToList();
        }
    }
}
