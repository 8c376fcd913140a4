using System;
using System.Globalization;
using System.Management.Automation;

namespace ModelverseImage.Errors
{
    /// <summary>
    /// One ErrorId of the module, as <see cref="ErrorCatalog"/> lists it: its category, its message (a composite
    /// format whose arguments say what failed) and what the user can do about it. Every error record the module
    /// writes is made here, so none lacks an id, a category, a RecommendedAction or the object it is about.
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

        /// <summary>The stable ErrorId: the first part of FullyQualifiedErrorId.</summary>
        public string Id { get; }

        public ErrorCategory Category { get; }

        /// <summary>The category when the failure was a time limit running out (AnswerLost: OperationTimeout).</summary>
        public ErrorCategory TimedOutCategory { get; }

        /// <summary>The message, a composite format ({0}, {1}, ...) filled in by <see cref="Create"/>.</summary>
        public string Message { get; }

        /// <summary>The RecommendedAction of every record of this id (unless a catalogued variant is given).</summary>
        public string Action { get; }

        /// <summary>A record with a new exception carrying the message; <paramref name="target"/> is what failed.</summary>
        public ErrorRecord Create(object? target, params object?[] args) => Build(null, target, Format(args), null);

        /// <summary>As <see cref="Wrap(Exception, object?, object?[])"/>, in <see cref="TimedOutCategory"/>.</summary>
        public ErrorRecord WrapTimedOut(Exception cause, object? target, params object?[] args) => Build(cause, target, Format(args), null, TimedOutCategory);

        /// <summary>
        /// A record around an exception that was caught (kept as the record's Exception, so scripts see what the
        /// system said), with the catalogued message in ErrorDetails.
        /// </summary>
        public ErrorRecord Wrap(Exception cause, object? target, params object?[] args) => Build(cause, target, Format(args), null);

        /// <summary>As <see cref="Wrap"/>, with one of the catalogue's action variants (<see cref="ErrorCatalog"/>).</summary>
        public ErrorRecord WrapWithAction(Exception cause, object? target, string actionVariant, params object?[] args) => Build(cause, target, Format(args), actionVariant);

        /// <summary>As <see cref="Create"/>, with one of the catalogue's action variants.</summary>
        public ErrorRecord CreateWithAction(object? target, string actionVariant, params object?[] args) => Build(null, target, Format(args), actionVariant);

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

        private string Format(object?[] args) => args.Length == 0 ? Message : string.Format(CultureInfo.InvariantCulture, Message, args);

        private ErrorRecord Build(Exception? cause, object? target, string message, string? action, ErrorCategory? category = null) =>
            new ErrorRecord(cause ?? _exception(message), Id, category ?? Category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = action ?? Action },
            };

        public override string ToString() => Id;
    }
}
