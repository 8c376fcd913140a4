using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ModelverseImage.Parameters
{
    /// <summary>Tab completion from a fixed list of values (case-insensitive prefix; a quote begun is kept).</summary>
    public abstract class ValueCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Values { get; }

        /// <summary>The tooltip of one value; the value itself unless a completer says more.</summary>
        protected virtual string Tooltip(string value) => value;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
            string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = wordToComplete ?? string.Empty;
            string prefix = word.Trim('\'', '"');
            // A value begun with a quote is completed inside the same quotes ('20<Tab> gives '2048x2048').
            string quote = word.Length > 0 && (word[0] == '\'' || word[0] == '"') ? word.Substring(0, 1) : string.Empty;
            return Values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(quote + v + quote, v, CompletionResultType.ParameterValue, Tooltip(v)))
                .ToList();
        }
    }
}
