namespace ModelverseImage.Api
{
    /// <summary>What one event of a streamed answer is.</summary>
    internal enum StreamEventKind { Other, Partial, Completed, Error }
}
