using System;

namespace ModelverseImage.Api
{
    /// <summary>A request that failed for good (after any retries), with what the API said about it.</summary>
    public sealed class ApiException : Exception
    {
        public ApiException(FailureKind kind, string message, Exception? inner = null) : base(message, inner)
        {
            Kind = kind;
        }

        public FailureKind Kind { get; }

        /// <summary>The HTTP status, or 0 when no answer arrived.</summary>
        public int StatusCode { get; init; }
        public string? ApiMessage { get; init; }
        public string? ErrorCode { get; init; }
        public string? ErrorType { get; init; }

        /// <summary>The request id: the error's <c>param</c> (as the provider documents it) or the x-request-id header.</summary>
        public string? RequestId { get; init; }

        /// <summary>The wait the server asked for (Retry-After, retry-after-ms), if any.</summary>
        public TimeSpan? RetryAfter { get; init; }

        /// <summary>The server's x-should-retry answer, if it sent one.</summary>
        public bool? ShouldRetry { get; init; }

        /// <summary>For <see cref="FailureKind.AnswerLost"/>: the answer was lost to -TimeoutSec rather than to a broken connection.</summary>
        public bool TimedOut { get; init; }

        public int Attempts { get; set; } = 1;

        /// <summary>
        /// Whether another attempt may succeed and costs nothing extra: 408, 409, 429 (but not an exhausted quota),
        /// 5xx, and connection failures or timeouts before the request was fully sent. A lost answer
        /// (<see cref="FailureKind.AnswerLost"/>) is not: see <see cref="RetryPolicy"/> for the whole rule.
        /// </summary>
        public bool IsTransient
        {
            get
            {
                // The request may have been billed: whatever the server says, sending it again may pay twice.
                if (Kind == FailureKind.AnswerLost) return false;
                // Never retried, whatever the server's x-should-retry says: the same request would fail the same way.
                if (StatusCode == 400 || StatusCode == 401 || StatusCode == 403 || StatusCode == 404 || StatusCode == 422) return false;
                if (ShouldRetry.HasValue) return ShouldRetry.Value;
                switch (Kind)
                {
                    case FailureKind.Connection:
                    case FailureKind.Timeout:
                    case FailureKind.Server:
                    case FailureKind.RateLimited:
                        return true;
                    default:
                        return StatusCode == 408 || StatusCode == 409;
                }
            }
        }

        internal static FailureKind KindOf(int status, string? code)
        {
            if (string.Equals(code, "insufficient_quota", StringComparison.OrdinalIgnoreCase)) return FailureKind.QuotaExceeded;
            if (string.Equals(code, "content_policy_violation", StringComparison.OrdinalIgnoreCase) || string.Equals(code, "moderation_blocked", StringComparison.OrdinalIgnoreCase))
                return FailureKind.ContentPolicy;
            switch (status)
            {
                case 401: return FailureKind.Authentication;
                case 403: return FailureKind.PermissionDenied;
                case 404: return FailureKind.NotFound;
                case 408: return FailureKind.Timeout;
                case 429: return FailureKind.RateLimited;
                case 409: return FailureKind.Server;
                default:
                    if (status >= 500) return FailureKind.Server;
                    return FailureKind.InvalidRequest;
            }
        }
    }
}
