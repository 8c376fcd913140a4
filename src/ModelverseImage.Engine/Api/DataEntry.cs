namespace ModelverseImage.Api
{
    /// <summary>One entry of "data": a decoded image (index into the scanner's buffers) or a URL to fetch.</summary>
    internal readonly struct DataEntry
    {
        public DataEntry(int imageIndex, string? url, string? revisedPrompt)
        {
            ImageIndex = imageIndex;
            Url = url;
            RevisedPrompt = revisedPrompt;
        }

        public int ImageIndex { get; }
        public string? Url { get; }
        public string? RevisedPrompt { get; }
    }
}
