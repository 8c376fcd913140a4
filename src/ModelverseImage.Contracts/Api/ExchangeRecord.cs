using System.Globalization;

namespace ModelverseImage.Api
{
    /// <summary>
    /// What one attempt of a request came to, as the transport recorded it: how far it got, the status, how much of
    /// the body and how many images arrived. The retry rule decides from it alone, and a lost answer's message is
    /// written from it (<see cref="ToString"/>).
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

        /// <summary>How far the exchange got, in words: "a 200 status line arrived and the body was cut after 40 bytes".</summary>
        public override string ToString()
        {
            string status = StatusCode.ToString(CultureInfo.InvariantCulture);
            switch (Stage)
            {
                case ExchangeStage.NothingSent:
                    return "the request was not fully sent";
                case ExchangeStage.SentNoStatus:
                    return "the request was sent in full and no status line came back";
                case ExchangeStage.StatusReceived:
                    return $"a {status} status line arrived and no body followed";
                case ExchangeStage.BodyPartlyRead:
                    return string.Format(CultureInfo.InvariantCulture, "a {0} status line arrived and the body was cut after {1:N0} bytes", status, BodyBytes);
                case ExchangeStage.PartialImagesReceived:
                    return string.Format(CultureInfo.InvariantCulture, "a {0} status line arrived and the stream was cut after {1} and {2}",
                        status, Count(PartialImages, "partial image"), CompletedImages == 0 ? "before the final image" : Count(CompletedImages, "final image"));
                default:
                    return PartialImages + CompletedImages == 0
                        ? $"the whole {status} answer arrived"
                        : string.Format(CultureInfo.InvariantCulture, "the whole {0} answer arrived, with {1} and {2}",
                            status, Count(PartialImages, "partial image"), CompletedImages == 0 ? "no final image" : Count(CompletedImages, "final image"));
            }
        }

        private static string Count(int n, string what) =>
            n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? string.Empty : "s");
    }
}
