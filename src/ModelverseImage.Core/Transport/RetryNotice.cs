using System;
using System.Globalization;

namespace ModelverseImage.Api
{
    /// <summary>One retry about to happen: what is retried, which attempt, the wait and the failure that caused it.</summary>
    public sealed class RetryNotice
    {
        public RetryNotice(string label, int retry, int of, TimeSpan delay, bool mayBeBilled, ApiException failure)
        {
            Label = label;
            Retry = retry;
            Of = of;
            Delay = delay;
            MayBeBilled = mayBeBilled;
            Failure = failure;
        }

        /// <summary>"Retry" for a request, "Download retry" for a url answer's download.</summary>
        public string Label { get; }

        /// <summary>1 for the first retry.</summary>
        public int Retry { get; }

        /// <summary>The most retries allowed (-MaximumRetryCount).</summary>
        public int Of { get; }

        public TimeSpan Delay { get; }

        /// <summary>The request may have been billed, and resending it was allowed (-RetryBilledFailure).</summary>
        public bool MayBeBilled { get; }

        /// <summary>The failure retried (redacted).</summary>
        public ApiException Failure { get; }

        /// <summary>The verbose line: "Retry 1 of 2 in 2.0 s: The API refused the request (HTTP 429) ...".</summary>
        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} of {2} in {3:0.0} s{4}: {5}",
            Label, Retry, Of, Delay.TotalSeconds, MayBeBilled ? " (retrying a request that may have been billed, as allowed)" : string.Empty, Failure.Message);
    }
}
