using System;

namespace ModelverseImage.Api
{
    /// <summary>
    /// A request that failed for good (after any retries), with what the API said about it and how far the exchange
    /// got. Scripts catch it by type (<c>catch [ModelverseImage.Api.ApiException]</c>) or by ErrorId.
    /// </summary>
    public sealed class ApiException : Exception
    {
        public ApiException(FailureKind kind, string message, Exception? inner = null) : base(message, inner)
        {
            Kind = kind;
        }

        public FailureKind Kind { get; }

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

        /// <summary>Whether the request may have been billed (see <see cref="ExchangeRecord.MayHaveBeenBilled"/>).</summary>
        public bool MayHaveBeenBilled => Exchange.MayHaveBeenBilled;

        /// <summary>The last attempt ran out of time (-TimeoutSec).</summary>
        public bool TimedOut => Exchange.TimedOut;

        /// <summary>Attempts made, the first included.</summary>
        public int Attempts { get; internal set; } = 1;
    }
}
