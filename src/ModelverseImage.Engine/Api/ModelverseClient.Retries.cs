using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>Retries: one loop for the generation and for a url answer's download.</summary>
    public sealed partial class ModelverseClient
    {
        /// <summary>
        /// Runs <paramref name="attemptAsync"/> until it succeeds or fails for good, waiting between attempts as
        /// <see cref="RetryPolicy"/> says and logging one line per retry, which starts with <paramref name="label"/>.
        /// A generation (<paramref name="sharedBackoff"/>) also waits out, and sets on a 429, the slow-down shared by
        /// this client's requests; a url download retries alone. <paramref name="giveUp"/> turns the last failure and the
        /// attempt count into the exception thrown; without it the failure itself is thrown, with its attempt count.
        /// </summary>
        private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attemptAsync, string label, bool sharedBackoff,
            Func<ApiException, int, ApiException>? giveUp, CancellationToken cancellationToken)
        {
            for (int attempt = 0; ; attempt++)
            {
                if (sharedBackoff) await _backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await attemptAsync().ConfigureAwait(false);
                }
                catch (ApiException failure) when (_retry.ShouldRetry(failure, attempt))
                {
                    var delay = _retry.DelayFor(failure, attempt);
                    if (sharedBackoff && failure.Kind == FailureKind.RateLimited) _backoff.PauseFor(delay);
                    string billed = failure.Kind == FailureKind.AnswerLost ? " (retrying a request that may have been billed, as allowed)" : string.Empty;
                    _log.Retrying(string.Format(CultureInfo.InvariantCulture,
                        "{0} {1} of {2} in {3:0.0} s{4}: {5}", label, attempt + 1, _settings.MaximumRetryCount, delay.TotalSeconds, billed, failure.Message), delay);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException failure) when (giveUp != null)
                {
                    throw giveUp(failure, attempt + 1);
                }
                catch (ApiException failure)
                {
                    failure.Attempts = attempt + 1;
                    throw;
                }
                catch (Exception unexpected) when (!(unexpected is OperationCanceledException))
                {
                    throw Unexpected(unexpected, attempt + 1);
                }
            }
        }

        /// <summary>
        /// Lower layers may quote what they were given (a header value holds the key): redact, and keep no inner
        /// exception whose message could still hold it.
        /// </summary>
        private ApiException Unexpected(Exception unexpected, int attempts) =>
            new ApiException(FailureKind.Unexpected, $"{unexpected.GetType().Name}: {_settings.ApiKey.Redact(unexpected.Message)}") { Attempts = attempts };
    }
}
