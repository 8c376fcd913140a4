namespace ModelverseImage.Api
{
    /// <summary>What kind of failure a request ended in; the cmdlets map it to an ErrorId and ErrorCategory.</summary>
    public enum FailureKind
    {
        InvalidRequest,
        Authentication,
        PermissionDenied,
        NotFound,
        RateLimited,
        QuotaExceeded,
        Server,
        Connection,
        Timeout,
        InvalidResponse,
        ContentPolicy,
        Unexpected,

        /// <summary>
        /// The answer was lost after the server may have accepted the request (the request body was fully sent):
        /// the image may have been generated and billed. Not retried unless the caller allows resending such requests (-RetryBilledFailure).
        /// See <see cref="ExchangeRecord"/>.
        /// </summary>
        AnswerLost,
    }
}
