using System;
using System.Threading;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>Retries: one loop for the generation and for a url answer's download.</summary>
    public sealed partial class ModelverseClient
    {
        /// <summary>
        /// Runs <paramref name="attemptAsync"/> until it succeeds or fails for good, waiting between attempts as
        /// <see cref="RetryPolicy"/> says and reporting each retry as a <see cref="RetryNotice"/>. Each attempt settles
        /// its own failure (<see cref="RetryPolicy.Settle"/>). A generation also waits out, and sets on a 429, the
        /// slow-down shared by this client's requests; a url answer's <paramref name="download"/> retries alone. <paramref name="giveUp"/> turns the last failure into the exception
        /// thrown; without it the failure itself is thrown. Either way it carries the attempt count.
        /// </summary>
        private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attemptAsync, bool download,
            Func<ApiException, ApiException>? giveUp, CancellationToken cancellationToken)
        {
            for (int attempt = 0; ; attempt++)
            {
                if (!download) await _backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await attemptAsync().ConfigureAwait(false);
                }
                catch (ApiException failure) when (_retry.ShouldRetry(failure, attempt))
                {
                    var delay = _retry.DelayFor(failure, attempt);
                    if (!download && failure.Kind == FailureKind.RateLimited) _backoff.PauseFor(delay);
                    _log.Retrying(new RetryNotice(download, attempt + 1, _settings.MaximumRetryCount, delay, failure.Kind == FailureKind.AnswerLost, failure));
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException failure)
                {
                    var final = giveUp != null ? giveUp(failure) : failure;
                    final.Attempts = attempt + 1;
                    throw final;
                }
            }
        }
    }
}
