namespace ModelverseImage.Api
{
    /// <summary>
    /// One entry of "data": a decoded image (<paramref name="ImageIndex"/> into the scanner's buffers, -1 for
    /// none) or a URL to fetch, with the revised prompt when the API sent one.
    /// </summary>
    internal readonly record struct DataEntry(int ImageIndex, string? Url, string? RevisedPrompt);
}
