namespace ModelverseImage.Api
{
    internal sealed class NullClientLog : IClientLog
    {
        public static readonly NullClientLog Instance = new NullClientLog();
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Retrying(RetryNotice notice) { }
    }
}
