using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ModelverseImage.Parameters
{
    /// <summary>Tab completion from a fixed list of values (case-insensitive prefix, quotes ignored).</summary>
    public abstract class ValueCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Values { get; }

        /// <summary>The tooltip of one value; the value itself unless a completer says more.</summary>
        protected virtual string Tooltip(string value) => value;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
            string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, Tooltip(v)))
                .ToList();
        }
    }
}
