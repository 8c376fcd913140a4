namespace ModelverseImage.Api
{
    /// <summary>Where the client reports what it does; the cmdlets queue these for the pipeline thread.</summary>
    public interface IClientLog
    {
        void Verbose(string message);
        void Debug(string message);

        /// <summary>A retry is about to wait: which one, how long and why, as values (no text to parse).</summary>
        void Retrying(RetryNotice notice);
    }
}
