using System;
using System.Globalization;
using System.Net.Http;

namespace ModelverseImage.Api
{
    /// <summary>
    /// When to retry and how long to wait: the server's retry-after-ms / Retry-After (seconds or an HTTP
    /// date) when it sent one, capped; otherwise exponential backoff from 0.5 s to 8 s with jitter.
    /// </summary>
    /// <remarks>
    /// <para>The retry rule is a rule about billing: never pay twice for one image.</para>
    /// <para>Retried (the request was not billed): an answer with a failure status (408, 409, 429 except
    /// <c>insufficient_quota</c>, 5xx; <c>x-should-retry</c> may overrule, except for 400/401/403/404/422),
    /// and a request that never reached the server: connection refused, DNS failure, a connection that failed
    /// or a -TimeoutSec that ran out before the request body was fully sent.</para>
    /// <para>Not retried (<see cref="FailureKind.AnswerLost"/>): an answer lost after the server may have accepted
    /// the request: a 2xx body cut short or broken off, -TimeoutSec running out while the body downloads or while
    /// waiting for the headers after the request was sent, a connection dropped after the request body was sent.
    /// The image may have been generated and billed; the error says so and gives the request id. Only
    /// <see cref="ClientSettings.RetryMayBeBilled"/> sends such a request again.</para>
    /// <para>The line between the two is "the last byte of the request body was handed to the connection"
    /// (<see cref="SendTracker"/>), or, once headers arrive, the status. ModelverseClient classifies each failure
    /// by it when it happens; this class only decides on the kinds. A url answer's download is retried alone by
    /// ModelverseClient.DownloadWithRetriesAsync and never sends the generation again.</para>
    /// </remarks>
    internal sealed class RetryPolicy
    {
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);
        private readonly ClientSettings _settings;
        private readonly Random _random = new Random();

        public RetryPolicy(ClientSettings settings) => _settings = settings;

        public bool ShouldRetry(ApiException failure, int attempt) =>
            attempt < _settings.MaximumRetryCount
            && (failure.IsTransient || (failure.Kind == FailureKind.AnswerLost && _settings.RetryMayBeBilled));

        public TimeSpan DelayFor(ApiException failure, int attempt)
        {
            if (failure.RetryAfter is TimeSpan asked && asked >= TimeSpan.Zero)
                return asked <= _settings.MaximumRetryDelay ? asked : _settings.MaximumRetryDelay;
            double seconds = Math.Min(_settings.InitialRetryDelay.TotalSeconds * Math.Pow(2, attempt), MaxBackoff.TotalSeconds);
            double jitter;
            lock (_random) jitter = 1 - 0.25 * _random.NextDouble();
            return TimeSpan.FromSeconds(seconds * jitter);
        }

        /// <summary>Reads retry-after-ms, then Retry-After (delta seconds or HTTP date).</summary>
        public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
        {
            if (response.Headers.TryGetValues("retry-after-ms", out var ms)
                && double.TryParse(First(ms), NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
                return TimeSpan.FromMilliseconds(milliseconds);
            if (response.Headers.TryGetValues("Retry-After", out var values))
            {
                string raw = First(values);
                if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
                    return TimeSpan.FromSeconds(seconds);
                if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                    return date > now ? date - now : TimeSpan.Zero;
            }
            return null;
        }

        private static string First(System.Collections.Generic.IEnumerable<string> values)
        {
            foreach (var v in values) return v.Trim();
            return string.Empty;
        }
    }
}
