namespace ModelverseImage.Api
{
    /// <summary>
    /// What exactly went wrong with a request, finer than its <see cref="FailureKind"/>: the fact the cmdlets word
    /// (ModelverseImage.Cmdlets Errors/ApiWords.cs, the one home of the module's words). Each value's facts are in
    /// <see cref="ApiException.Facts"/>, in the order given here; the rest (status, the API's message and code, the
    /// request id, the host, how far the exchange got) are the exception's own properties.
    /// </summary>
    public enum ApiProblem
    {
        /// <summary>Not said: the exception was made with a message of its own (scripts, tests).</summary>
        Unspecified,

        /// <summary>A failure status, or an error object in a success answer: the API's message, code and request id.</summary>
        Refused,

        /// <summary>A url answer's download was refused with a failure status; the host is <see cref="ApiException.Host"/>.</summary>
        DownloadRefused,

        /// <summary>An <c>error</c> event in a streamed answer: the API's message and code.</summary>
        ErrorEvent,

        /// <summary>A redirect, not followed with the key. Facts: the address it names (redacted).</summary>
        Redirect,

        /// <summary>The body ended inside a JSON value.</summary>
        IncompleteJson,

        /// <summary>The answer is not JSON. Facts: the parser's words, the answer's first characters.</summary>
        AnswerNotJson,

        /// <summary>An event of a stream is not JSON. Facts: the parser's words, the event's first characters.</summary>
        EventNotJson,

        /// <summary>The answer is JSON but not an object.</summary>
        AnswerNotObject,

        /// <summary>An event of a stream is JSON but not an object.</summary>
        EventNotObject,

        /// <summary>The answer's <c>data</c> holds no images.</summary>
        NoImages,

        /// <summary>An entry of <c>data</c> has neither <c>b64_json</c> nor <c>url</c>.</summary>
        EntryWithoutImage,

        /// <summary>An entry's image is empty.</summary>
        EmptyImage,

        /// <summary>A stream's completed event has no <c>b64_json</c>.</summary>
        EventWithoutImage,

        /// <summary>Image data that is not valid base64.</summary>
        InvalidBase64,

        /// <summary>A <c>data:</c> URI without base64 data.</summary>
        EmptyDataUri,

        /// <summary>An image larger than the limit, decoded. Facts: the limit in bytes.</summary>
        ImageTooLarge,

        /// <summary>More JSON besides the images than the limit. Facts: the limit in bytes.</summary>
        TooMuchJson,

        /// <summary>A download larger than the limit. Facts: the limit in bytes.</summary>
        DownloadTooLarge,

        /// <summary>Decoded bytes of an answer that are not PNG, JPEG or WebP. Facts: their length, their first bytes (hex, or empty).</summary>
        AnswerNotAnImage,

        /// <summary>As <see cref="AnswerNotAnImage"/>, for an image a stream delivered.</summary>
        StreamedNotAnImage,

        /// <summary>As <see cref="AnswerNotAnImage"/>, for what a url answer's address returned.</summary>
        DownloadNotAnImage,

        /// <summary>A url answer that cannot be fetched (not http or https). Facts: the url (redacted).</summary>
        UrlNotFetchable,

        /// <summary>
        /// The image was generated but its download failed for good: the download's own failure is the inner
        /// exception. Facts: the generation's request id (or null).
        /// </summary>
        DownloadFailed,

        /// <summary>No complete answer within the time limit of one attempt. Facts: the limit in seconds.</summary>
        TimedOut,

        /// <summary>A stream in which no event ended for the time limit. Facts: the limit in seconds.</summary>
        StreamWentQuiet,

        /// <summary>
        /// The connection failed or broke; how far the exchange got says when (<see cref="ApiException.Exchange"/>).
        /// Facts: the system's words, or null.
        /// </summary>
        ConnectionBroke,

        /// <summary>A stream of events was cut. Facts: the system's words, or null.</summary>
        StreamCut,

        /// <summary>A stream of events ended before its final image.</summary>
        StreamEndedEarly,

        /// <summary>Fewer bytes arrived than the answer announced. Facts: bytes that arrived, bytes announced.</summary>
        CutShort,

        /// <summary>An error body over its limit (only read, never reported).</summary>
        ErrorBodyTooLong,

        /// <summary>A failure the client did not foresee. Facts: the exception's type name, its words.</summary>
        Unexpected,
    }
}
