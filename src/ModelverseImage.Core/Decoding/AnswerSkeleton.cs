using System;
using System.Collections.Generic;

namespace ModelverseImage.Api
{
    /// <summary>
    /// The small JSON of a success answer once its images were taken out (<see cref="ImageJsonScanner"/>): its
    /// entries, when it was made, what it cost and the settings it echoes.
    /// </summary>
    internal sealed class AnswerSkeleton
    {
        public List<Entry> Data { get; } = new List<Entry>();
        public DateTimeOffset? Created { get; set; }
        public TokenUsage? Usage { get; set; }
        public AnswerSettings Settings { get; set; } = AnswerSettings.None;

        /// <summary>
        /// One entry of "data": a decoded image (<paramref name="ImageIndex"/> into the scanner's buffers, -1 for
        /// none) or a URL to fetch, with the revised prompt when the API sent one.
        /// </summary>
        internal readonly record struct Entry(int ImageIndex, string? Url, string? RevisedPrompt);
    }
}
