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
    /// <see cref="FailureKind.AnswerLost"/>, and its message says how far the exchange got ("a 200 status line arrived
    /// and the body was cut after 40 bytes: the image was probably generated and billed"); only
    /// <see cref="ClientSettings.RetryMayBeBilled"/> sends it again. Any other failure after that point (an answer
    /// that is not an image, a stream's error event, an answer over the limits) is never sent again, and its message
    /// says the request may have been billed. A refusal the API answered whole (an error object in a 200) is not.</para>
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
        /// says the request may have been billed. The result carries the record, the status and the request id, and
        /// has passed through the redactor.
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
                OperationCanceledException => new ApiException(FailureKind.Timeout, TimedOutText(host), raw),
                IOException or HttpRequestException or ObjectDisposedException => new ApiException(FailureKind.Connection, ConnectionText(record, what, host, raw), raw),
                _ => new ApiException(FailureKind.Unexpected, raw.GetType().Name + ": " + raw.Message),
            };
            string message = failure.Message;
            var kind = failure.Kind;
            if (record.MayHaveBeenBilled && (kind == FailureKind.Connection || kind == FailureKind.Timeout))
            {
                kind = FailureKind.AnswerLost;
                message = LostText(message, record, what);
            }
            else if (record.MayHaveBeenBilled && kind != FailureKind.AnswerLost && !IsWholeRefusal(failure, record))
            {
                message = message.TrimEnd('.') + ". " + BilledText(record, what);
            }
            if (failure.RequestId is null && requestId != null && message.IndexOf(requestId, StringComparison.Ordinal) < 0)
                message = message.TrimEnd() + " Request id: " + requestId + ".";
            var redact = _settings.Redactor;
            return new ApiException(kind, redact.Redact(message)!, KeptInner(failure, redact))
            {
                StatusCode = failure.StatusCode != 0 ? failure.StatusCode : record.StatusCode,
                ApiMessage = redact.Redact(failure.ApiMessage),
                ErrorCode = redact.Redact(failure.ErrorCode),
                ErrorType = redact.Redact(failure.ErrorType),
                RequestId = redact.Redact(failure.RequestId ?? requestId),
                RetryAfter = failure.RetryAfter,
                ShouldRetry = failure.ShouldRetry,
                Exchange = record,
            };
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

        /// <summary>The words of a time limit that ran out.</summary>
        private string TimedOutText(string host) =>
            string.Format(CultureInfo.InvariantCulture, "No complete answer from {0} within the time limit for one attempt ({1:0.#} s).", host, _settings.Timeout.TotalSeconds);

        private static string ConnectionText(ExchangeRecord record, string what, string host, Exception raw)
        {
            string cause = Innermost(raw)?.Message ?? "no answer";
            return record.Stage switch
            {
                ExchangeStage.NothingSent => $"Could not reach {host} ({what}): {cause}",
                ExchangeStage.SentNoStatus => $"The connection to {host} broke after the request was sent, before any answer ({what}): {cause}",
                _ => $"The connection to {host} broke while the answer was arriving: {cause}",
            };
        }

        /// <summary>An answer lost after the request may have been billed, said from the record.</summary>
        private string LostText(string cause, ExchangeRecord record, string what)
        {
            var text = new System.Text.StringBuilder(cause.TrimEnd('.')).Append(". ");
            text.Append("The request (").Append(what).Append(") had been sent, and ").Append(record).Append(": the image ")
                .Append(record.ProbablyBilled ? "was probably generated and billed (it may have been generated and billed without arriving)" : "may have been generated and billed");
            if (record.CompletedImages > 0)
                text.Append(". The ").Append(record.CompletedImages == 1 ? "final image that arrived was" : record.CompletedImages.ToString(CultureInfo.InvariantCulture) + " final images that arrived were")
                    .Append(" handed on; the rest may have been generated and billed too");
            text.Append(_settings.RetryMayBeBilled ? "; resending such requests was allowed, so each attempt may have been billed." : ". It was not sent again, so as not to pay twice.");
            return text.ToString();
        }

        private static string BilledText(ExchangeRecord record, string what) =>
            $"The request ({what}) had been sent, and {record}: the request may have been billed, so it is not sent again."
            + (record.CompletedImages > 0 ? " The final images that arrived were handed on." : string.Empty);

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
