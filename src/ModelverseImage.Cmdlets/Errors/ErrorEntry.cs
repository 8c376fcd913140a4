using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace ModelverseImage.Errors
{
    /// <summary>
    /// One ErrorId of the module, as <see cref="ErrorCatalog"/> lists it: its category, its message (a composite
    /// format whose arguments are facts: paths, sizes, kinds) and what the user can do about it. Every error record the
    /// module writes is made here, so none lacks an id, a category, a RecommendedAction or the object it is about.
    /// An entry may have variants (<see cref="Variant"/>): the same id and category, worded for another case.
    /// </summary>
    internal sealed class ErrorEntry
    {
        private readonly Func<string, Exception> _exception;

        internal ErrorEntry(string id, ErrorCategory category, string message, string action, Func<string, Exception>? exception = null, ErrorCategory? timedOutCategory = null)
        {
            TimedOutCategory = timedOutCategory ?? category;
            Id = id;
            Category = category;
            Message = message;
            Action = action;
            _exception = exception ?? (text => new ArgumentException(text));
        }

        private ErrorEntry(ErrorEntry of, string message, string action)
            : this(of.Id, of.Category, message, action, of._exception, of.TimedOutCategory)
        {
            VariantOf = of;
        }

        /// <summary>The stable ErrorId: the first part of FullyQualifiedErrorId.</summary>
        public string Id { get; }

        public ErrorCategory Category { get; }

        /// <summary>The category when the failure was a time limit running out (AnswerLost: OperationTimeout).</summary>
        public ErrorCategory TimedOutCategory { get; }

        /// <summary>The message, a composite format ({0}, {1}, ...) filled in by <see cref="Create"/> with facts; enum facts are worded by <see cref="Words.Of"/>.</summary>
        public string Message { get; }

        /// <summary>The RecommendedAction of every record of this entry.</summary>
        public string Action { get; }

        /// <summary>For a variant, the entry it words another case of; null for an entry of the catalogue.</summary>
        public ErrorEntry? VariantOf { get; }

        /// <summary>The same id and category, with another message (and, when given, another action).</summary>
        public ErrorEntry Variant(string message, string? action = null) => new ErrorEntry(this, message, action ?? Action);

        /// <summary>A record with a new exception carrying the message; <paramref name="target"/> is what failed.</summary>
        public ErrorRecord Create(object? target, params object?[] args) => Build(null, target, Format(args));

        /// <summary>As <see cref="Wrap(Exception, object?, object?[])"/>, in <see cref="TimedOutCategory"/>.</summary>
        public ErrorRecord WrapTimedOut(Exception cause, object? target, params object?[] args) => Build(cause, target, Format(args), TimedOutCategory);

        /// <summary>
        /// A record around an exception that was caught (kept as the record's Exception, so scripts see what the
        /// system said), with the catalogued message in ErrorDetails.
        /// </summary>
        public ErrorRecord Wrap(Exception cause, object? target, params object?[] args) => Build(cause, target, Format(args));

        /// <summary>
        /// A record about a refusal the core reported as facts (a file that exists, a link, a named pipe): its exception
        /// is an IOException carrying the catalogued words, as scripts read them in $_.Exception.Message, with the core's
        /// exception as its InnerException.
        /// </summary>
        public ErrorRecord Refusal(System.IO.IOException fact, object? target, params object?[] args)
        {
            string message = Format(args);
            return Build(new System.IO.IOException(message, fact), target, message);
        }

        /// <summary>
        /// A record of the catalogue made about a file given in a parameter (-Mask, -ReferenceImage): the same id,
        /// category, target and action, its message prefixed with the parameter's name.
        /// </summary>
        public static ErrorRecord AboutParameter(ErrorRecord error, string parameter) =>
            new ErrorRecord(error.Exception, error.FullyQualifiedErrorId, error.CategoryInfo.Category, error.TargetObject)
            {
                ErrorDetails = new ErrorDetails($"-{parameter}: {error.ErrorDetails?.Message ?? error.Exception.Message}")
                {
                    RecommendedAction = error.ErrorDetails?.RecommendedAction,
                },
            };

        private string Format(object?[] args) =>
            args.Length == 0 ? Message : string.Format(CultureInfo.InvariantCulture, Message, args.Select(Words.Of).ToArray());

        private ErrorRecord Build(Exception? cause, object? target, string message, ErrorCategory? category = null) =>
            new ErrorRecord(cause ?? _exception(message), Id, category ?? Category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = Action },
            };

        public override string ToString() => Id;
    }
}
