using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelverseImage.Api
{
    /// <summary>
    /// A request that failed for good (after any retries), with what the API said about it and how far the exchange
    /// got. Scripts catch it by type (<c>catch [ModelverseImage.Api.ApiException]</c>) or by ErrorId.
    /// </summary>
    /// <remarks>
    /// The client reports facts (<see cref="Kind"/>, <see cref="Problem"/> and its <see cref="Facts"/>, the status, the
    /// API's message, the exchange); the cmdlets word them, and the exception an error record carries is a copy
    /// whose <see cref="Message"/> is those words (<see cref="WithMessage"/>). Without words, the message is a short
    /// line of the facts ("InvalidResponse/ImageTooLarge: 134217728").
    /// </remarks>
    public sealed class ApiException : Exception
    {
        private static readonly object?[] NoFacts = Array.Empty<object?>();
        private readonly string? _message;

        public ApiException(FailureKind kind, string message, Exception? inner = null) : base(message, inner)
        {
            Kind = kind;
            _message = message;
            Facts = NoFacts;
        }

        /// <summary>A failure reported as facts: the cmdlets word it from <paramref name="problem"/> and <paramref name="facts"/>.</summary>
        public ApiException(FailureKind kind, ApiProblem problem, params object?[] facts) : this(kind, problem, null, facts)
        {
        }

        /// <summary>As the constructor above, with the exception that caused it.</summary>
        public ApiException(FailureKind kind, ApiProblem problem, Exception? inner, params object?[] facts) : base(null, inner)
        {
            Kind = kind;
            Problem = problem;
            Facts = facts ?? NoFacts;
        }

        /// <summary>The words of the failure, or (before the cmdlets word it) a short line of its facts.</summary>
        public override string Message => _message ?? FactLine();

        public FailureKind Kind { get; }

        /// <summary>What exactly went wrong; <see cref="ApiProblem.Unspecified"/> when the exception was made with a message.</summary>
        public ApiProblem Problem { get; }

        /// <summary>The problem's own facts, in the order <see cref="ApiProblem"/> gives (a limit in bytes, the system's words, ...).</summary>
        public IReadOnlyList<object?> Facts { get; }

        /// <summary>The HTTP status, or 0 when no answer arrived.</summary>
        public int StatusCode { get; internal set; }

        /// <summary>The API's own message (error.message), if it sent one.</summary>
        public string? ApiMessage { get; init; }

        /// <summary>The API's error code (error.code), if any.</summary>
        public string? ErrorCode { get; init; }

        /// <summary>The API's error type (error.type), if any.</summary>
        public string? ErrorType { get; init; }

        /// <summary>The request id: the x-request-id header, or the error's <c>param</c> (as the provider documents it) when it looks like one.</summary>
        public string? RequestId { get; internal set; }

        /// <summary>The wait the server asked for (Retry-After, retry-after-ms), if any.</summary>
        public TimeSpan? RetryAfter { get; init; }

        /// <summary>The server's x-should-retry answer, if it sent one.</summary>
        public bool? ShouldRetry { get; init; }

        /// <summary>How far the last attempt got: what the retry rule decided from.</summary>
        public ExchangeRecord Exchange { get; internal set; } = ExchangeRecord.None;

        /// <summary>The host the exchange was with: the API's, or a url answer's for its download.</summary>
        public string? Host { get; internal set; }

        /// <summary>The request, as "POST images/generations" or "GET https://host/path".</summary>
        public string? Request { get; internal set; }

        /// <summary>
        /// The billing rule's verdict on a failure other than <see cref="FailureKind.AnswerLost"/>: the request was
        /// accepted and then failed (an answer that is not an image, an error event, a cut stream), so it may have
        /// been billed and was not sent again.
        /// </summary>
        public bool MayBeBilledNotResent { get; internal set; }

        /// <summary>Resending requests that may have been billed was allowed (-RetryBilledFailure).</summary>
        public bool ResendAllowed { get; internal set; }

        /// <summary>Whether the request may have been billed (see <see cref="ExchangeRecord.MayHaveBeenBilled"/>).</summary>
        public bool MayHaveBeenBilled => Exchange.MayHaveBeenBilled;

        /// <summary>The last attempt ran out of time (-TimeoutSec).</summary>
        public bool TimedOut => Exchange.TimedOut;

        /// <summary>Attempts made, the first included.</summary>
        public int Attempts { get; internal set; } = 1;

        /// <summary>This failure, every fact the same, with <paramref name="message"/> as its words.</summary>
        public ApiException WithMessage(string message) =>
            new ApiException(Kind, message, InnerException, Problem, Facts)
            {
                StatusCode = StatusCode,
                ApiMessage = ApiMessage,
                ErrorCode = ErrorCode,
                ErrorType = ErrorType,
                RequestId = RequestId,
                RetryAfter = RetryAfter,
                ShouldRetry = ShouldRetry,
                Exchange = Exchange,
                Host = Host,
                Request = Request,
                MayBeBilledNotResent = MayBeBilledNotResent,
                ResendAllowed = ResendAllowed,
                Attempts = Attempts,
            };

        /// <summary>
        /// For the client's billing rule (RetryPolicy.Settle): this failure as <paramref name="kind"/>, every text it
        /// carries passed through <paramref name="redact"/>, with <paramref name="requestId"/> when it had none.
        /// </summary>
        internal ApiException Settled(FailureKind kind, Exception? inner, Func<string?, string?> redact, string? requestId) =>
            new ApiException(kind, redact(_message), inner, Problem, Facts.Select(f => f is string text ? redact(text) : f).ToArray())
            {
                StatusCode = StatusCode,
                ApiMessage = redact(ApiMessage),
                ErrorCode = redact(ErrorCode),
                ErrorType = redact(ErrorType),
                RequestId = redact(RequestId ?? requestId),
                RetryAfter = RetryAfter,
                ShouldRetry = ShouldRetry,
                Attempts = Attempts,
            };

        private ApiException(FailureKind kind, string? message, Exception? inner, ApiProblem problem, IReadOnlyList<object?> facts) : base(message, inner)
        {
            Kind = kind;
            _message = message;
            Problem = problem;
            Facts = facts;
        }

        /// <summary>"InvalidResponse/ImageTooLarge: 134217728", "InvalidRequest/Refused: HTTP 400, invalid_size, 'Bad size', request id req_1".</summary>
        private string FactLine()
        {
            var facts = Facts.Where(f => f != null).Select(f => Convert.ToString(f, CultureInfo.InvariantCulture)).ToList();
            if (StatusCode != 0) facts.Insert(0, "HTTP " + StatusCode.ToString(CultureInfo.InvariantCulture));
            if (ErrorCode != null) facts.Add(ErrorCode);
            if (ApiMessage != null) facts.Add("'" + ApiMessage + "'");
            if (RequestId != null) facts.Add("request id " + RequestId);
            return Kind + "/" + Problem + (facts.Count == 0 ? string.Empty : ": " + string.Join(", ", facts));
        }
    }
}
