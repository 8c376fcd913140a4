using System;

namespace ModelverseImage.Api
{
    /// <summary>One retry about to happen: what is retried, which attempt, the wait and the failure that caused it (the cmdlets word it).</summary>
    public sealed class RetryNotice
    {
        public RetryNotice(bool download, int retry, int of, TimeSpan delay, bool mayBeBilled, ApiException failure)
        {
            Download = download;
            Retry = retry;
            Of = of;
            Delay = delay;
            MayBeBilled = mayBeBilled;
            Failure = failure;
        }

        /// <summary>A url answer's download is retried, not the request.</summary>
        public bool Download { get; }

        /// <summary>1 for the first retry.</summary>
        public int Retry { get; }

        /// <summary>The most retries allowed (-MaximumRetryCount).</summary>
        public int Of { get; }

        public TimeSpan Delay { get; }

        /// <summary>The request may have been billed, and resending it was allowed (-RetryBilledFailure).</summary>
        public bool MayBeBilled { get; }

        /// <summary>The failure retried (redacted).</summary>
        public ApiException Failure { get; }
    }
}
