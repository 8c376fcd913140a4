namespace ModelverseImage.Api
{
    /// <summary>Where the client reports what it does; the cmdlets queue these for the pipeline thread.</summary>
    public interface IClientLog
    {
        void Verbose(string message);
        void Debug(string message);

        /// <summary>A retry is about to wait <paramref name="delay"/>; the message says which retry and why.</summary>
        void Retrying(string message, System.TimeSpan delay);
    }
}
