namespace ModelverseImage.Api
{
    /// <summary>
    /// The settings an answer echoes (OpenAI-compatible APIs send size, quality and background beside "data"):
    /// with -Quality auto, the quality used, which drives the cost. Null where not sent.
    /// </summary>
    public sealed class AnswerSettings
    {
        public static readonly AnswerSettings None = new AnswerSettings();

        public string? Size { get; init; }
        public string? Quality { get; init; }
        public string? Background { get; init; }
    }
}
