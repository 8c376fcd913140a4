using System.Globalization;

namespace ModelverseImage.Api
{
    /// <summary>
    /// What one attempt of a request came to, as the transport recorded it: how far it got, the status, how much of
    /// the body and how many images arrived. The retry rule decides from it alone, and the cmdlets word a lost
    /// answer's message from it.
    /// </summary>
    public sealed class ExchangeRecord
    {
        public ExchangeRecord(ExchangeStage stage, bool billable, int statusCode, long bodyBytes, int partialImages, int completedImages, bool timedOut)
        {
            Stage = stage;
            Billable = billable;
            StatusCode = statusCode;
            BodyBytes = bodyBytes;
            PartialImages = partialImages;
            CompletedImages = completedImages;
            TimedOut = timedOut;
        }

        /// <summary>A record of nothing sent, for failures that happen before any exchange (the client's own checks).</summary>
        public static ExchangeRecord None { get; } = new ExchangeRecord(ExchangeStage.NothingSent, false, 0, 0, 0, 0, false);

        public ExchangeStage Stage { get; }

        /// <summary>A generation or an edit (a request that costs money once the server has it); false for downloads.</summary>
        public bool Billable { get; }

        /// <summary>The HTTP status, or 0 when none arrived.</summary>
        public int StatusCode { get; }

        /// <summary>Bytes of the answer's body that arrived.</summary>
        public long BodyBytes { get; }

        /// <summary>Partial images a streamed answer delivered.</summary>
        public int PartialImages { get; }

        /// <summary>Final images that arrived whole (and were handed on).</summary>
        public int CompletedImages { get; }

        /// <summary>The attempt ended because its time limit (-TimeoutSec) ran out.</summary>
        public bool TimedOut { get; }

        /// <summary>
        /// Whether the request may have been billed: it was sent in full, and no failure status refused it.
        /// Such a request is never sent again unless the caller allows paying twice.
        /// </summary>
        public bool MayHaveBeenBilled => Billable && Stage >= ExchangeStage.SentNoStatus && (StatusCode == 0 || StatusCode / 100 == 2);

        /// <summary>Whether a success status arrived, so the image was probably generated and billed.</summary>
        public bool ProbablyBilled => MayHaveBeenBilled && StatusCode / 100 == 2;

        /// <summary>The record's facts on one line ("BodyPartlyRead, HTTP 200, 40 body bytes, 0 partial and 0 final images"); the cmdlets word it for messages.</summary>
        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}, HTTP {1}, {2} body bytes, {3} partial and {4} final images{5}",
            Stage, StatusCode, BodyBytes, PartialImages, CompletedImages, TimedOut ? ", timed out" : string.Empty);
    }
}
