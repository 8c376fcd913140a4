using System;
using System.Globalization;
using System.IO;
using System.Net.Http;

namespace ModelverseImage.Api
{
    /// <summary>
    /// The billing rule, in this one place: what a failed attempt is (<see cref="Settle"/>), whether it is sent
    /// again (<see cref="ShouldRetry"/>) and after how long (<see cref="DelayFor"/>). Never pay twice for one image.
    /// </summary>
    /// <remarks>
    /// <para>Every attempt's failure comes here with the <see cref="ExchangeRecord"/> the transport kept of it, and is
    /// decided from that record: how far the exchange got, its status, how much arrived.</para>
    /// <para>Not billed, retried: the request body was not fully sent (connection refused, DNS failure, a connection
    /// or -TimeoutSec lost while sending), and failure statuses 408, 409, 429 (but not <c>insufficient_quota</c>) and
    /// 5xx; <c>x-should-retry</c> may overrule, except for 400/401/403/404/422, which are never retried.</para>
    /// <para>May have been billed, sent once (<see cref="ExchangeRecord.MayHaveBeenBilled"/>): the whole request was
    /// sent and no failure status refused it. A connection or -TimeoutSec lost from then on is
    /// <see cref="FailureKind.AnswerLost"/>, and the cmdlets' words say how far the exchange got ("a 200 status and 40 bytes
    /// of the body arrived: the image was probably generated and billed"); only
    /// <see cref="ClientSettings.RetryMayBeBilled"/> sends it again. Any other failure after that point (an answer
    /// that is not an image, a stream's error event, an answer over the limits) is never sent again, and is marked as
    /// such (<see cref="ApiException.MayBeBilledNotResent"/>), so its words say the request may have been billed. A refusal the API answered whole (an error object in a 200) is not.</para>
    /// <para>Retry waits: the server's retry-after-ms / Retry-After (seconds or an HTTP date) when it sent one, capped
    /// at the maximum; otherwise exponential backoff from 0.5 s to 8 s with jitter. A url answer's download is retried
    /// alone (it is never billable), and never sends the generation again.</para>
    /// </remarks>
    internal sealed class RetryPolicy
    {
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);
        private readonly ClientSettings _settings;
        private readonly Random _random = new Random();

        public RetryPolicy(ClientSettings settings) => _settings = settings;

        /// <summary>The kind of a failure status, from the status and the API's error code.</summary>
        public static FailureKind KindOf(int status, string? code)
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

        /// <summary>
        /// What a failed attempt is, decided from how far its exchange got: a connection or time limit lost after the
        /// request may have been billed becomes <see cref="FailureKind.AnswerLost"/>; any other failure from then on
        /// is marked <see cref="ApiException.MayBeBilledNotResent"/>. The result carries the facts the cmdlets word
        /// (the record, the status, the request id, the host and the request), each text passed through the redactor.
        /// </summary>
        /// <param name="raw">What the attempt threw: the readers' ApiExceptions, an IOException, a time limit.</param>
        /// <param name="what">The request, as "POST images/generations".</param>
        /// <param name="host">The host the exchange was with, when not the API's (a url answer's download).</param>
        public ApiException Settle(Exception raw, ExchangeRecord record, string? requestId, string what, string? host = null)
        {
            host ??= _settings.BaseUri.Host;
            var failure = raw switch
            {
                ApiException api => api,
                OperationCanceledException => new ApiException(FailureKind.Timeout, ApiProblem.TimedOut, raw, _settings.Timeout.TotalSeconds),
                IOException or HttpRequestException or ObjectDisposedException => new ApiException(FailureKind.Connection, ApiProblem.ConnectionBroke, raw, Innermost(raw)?.Message),
                _ => new ApiException(FailureKind.Unexpected, ApiProblem.Unexpected, raw.GetType().Name, raw.Message),
            };
            var kind = failure.Kind;
            bool billedNotResent = false;
            if (record.MayHaveBeenBilled && (kind == FailureKind.Connection || kind == FailureKind.Timeout))
                kind = FailureKind.AnswerLost;
            else if (record.MayHaveBeenBilled && kind != FailureKind.AnswerLost && !IsWholeRefusal(failure, record))
                billedNotResent = true;
            var redact = _settings.Redactor;
            var settled = failure.Settled(kind, KeptInner(failure, redact), redact.Redact, requestId);
            settled.StatusCode = failure.StatusCode != 0 ? failure.StatusCode : record.StatusCode;
            settled.Exchange = record;
            settled.Host = redact.Redact(host);
            settled.Request = redact.Redact(what);
            settled.MayBeBilledNotResent = billedNotResent;
            settled.ResendAllowed = _settings.RetryMayBeBilled;
            return settled;
        }

        /// <summary>Whether another attempt may succeed without paying twice (or paying twice was allowed).</summary>
        public bool ShouldRetry(ApiException failure, int attempt)
        {
            if (attempt >= _settings.MaximumRetryCount) return false;
            var record = failure.Exchange;
            if (failure.Kind == FailureKind.AnswerLost) return _settings.RetryMayBeBilled;
            // Accepted, then failed in another way (not an image, an error event, over the limits): sent once.
            if (record.MayHaveBeenBilled) return false;
            int status = failure.StatusCode;
            // Never retried, whatever the server's x-should-retry says: the same request would fail the same way.
            if (status == 400 || status == 401 || status == 403 || status == 404 || status == 422) return false;
            if (failure.ShouldRetry.HasValue) return failure.ShouldRetry.Value;
            switch (failure.Kind)
            {
                case FailureKind.Connection:
                case FailureKind.Timeout:
                case FailureKind.Server:
                case FailureKind.RateLimited:
                    return true;
                default:
                    return status == 408 || status == 409;
            }
        }

        public TimeSpan DelayFor(ApiException failure, int attempt)
        {
            if (failure.RetryAfter is TimeSpan asked && asked >= TimeSpan.Zero)
                return asked <= _settings.MaximumRetryDelay ? asked : _settings.MaximumRetryDelay;
            double seconds = Math.Min(_settings.InitialRetryDelay.TotalSeconds * Math.Pow(2, attempt), MaxBackoff.TotalSeconds);
            double jitter;
            lock (_random) jitter = 1 - 0.25 * _random.NextDouble();
            return TimeSpan.FromSeconds(seconds * jitter);
        }

        /// <summary>
        /// Reads retry-after-ms, then Retry-After (delta seconds or HTTP date). A number too large for a TimeSpan
        /// (1e300, Infinity) is read as the longest TimeSpan, which <see cref="DelayFor"/> caps as it caps a far date.
        /// </summary>
        public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
        {
            if (response.Headers.TryGetValues("retry-after-ms", out var ms)
                && double.TryParse(First(ms), NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
                return milliseconds < TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.FromMilliseconds(milliseconds) : TimeSpan.MaxValue;
            if (response.Headers.TryGetValues("Retry-After", out var values))
            {
                string raw = First(values);
                if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
                    return seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
                if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                    return date > now ? date - now : TimeSpan.Zero;
            }
            return null;
        }

        /// <summary>A refusal the API answered whole (an error object in a complete 200): nothing was made.</summary>
        private static bool IsWholeRefusal(ApiException failure, ExchangeRecord record) =>
            record.Stage == ExchangeStage.Complete && (failure.ErrorCode != null || failure.ApiMessage != null) && failure.Kind != FailureKind.InvalidResponse;

        /// <summary>The inner exception, unless its text held a secret (then none: nothing of it may be shown).</summary>
        private static Exception? KeptInner(ApiException failure, Redactor redact)
        {
            var inner = failure.InnerException;
            if (inner is null) return null;
            string text = inner.ToString();
            return redact.Redact(text) == text ? inner : null;
        }

        /// <summary>The innermost exception: the system's own words for a broken connection.</summary>
        internal static Exception? Innermost(Exception? ex)
        {
            while (ex?.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        private static string First(System.Collections.Generic.IEnumerable<string> values)
        {
            foreach (var v in values) return v.Trim();
            return string.Empty;
        }
    }
}
