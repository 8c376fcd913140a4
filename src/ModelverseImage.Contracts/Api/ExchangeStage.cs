namespace ModelverseImage.Api
{
    /// <summary>
    /// How far one exchange with the API got before it ended: the fact the billing decision rests on. A request
    /// is not billed before its body was fully sent, nor when a failure status answered it; from the moment it
    /// was sent it may have been, and once a success status arrived it probably was.
    /// </summary>
    public enum ExchangeStage
    {
        /// <summary>The request body was not fully sent (no connection, refused, cut while sending): not billed.</summary>
        NothingSent,

        /// <summary>The whole request was sent and no status line came back: it may have been billed.</summary>
        SentNoStatus,

        /// <summary>A status line arrived, and no byte of the body yet.</summary>
        StatusReceived,

        /// <summary>Part of the body arrived.</summary>
        BodyPartlyRead,

        /// <summary>A streamed answer delivered partial (or some final) images, not all of them.</summary>
        PartialImagesReceived,

        /// <summary>The whole answer arrived.</summary>
        Complete,
    }
}
