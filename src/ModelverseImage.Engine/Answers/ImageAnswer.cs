using System;
using System.Collections.Generic;

namespace ModelverseImage.Api
{
    /// <summary>A successful answer: the images in order, with what the request cost.</summary>
    internal sealed class ImageAnswer
    {
        public ImageAnswer(IReadOnlyList<AnswerImage> images, DateTimeOffset? created, TokenUsage? usage, string? requestId, AnswerSettings? settings = null)
        {
            Images = images;
            Created = created;
            Usage = usage;
            RequestId = requestId;
            Settings = settings ?? AnswerSettings.None;
        }

        /// <summary>What the API says it used (size, quality, background), where it says so.</summary>
        public AnswerSettings Settings { get; }

        public IReadOnlyList<AnswerImage> Images { get; }
        public DateTimeOffset? Created { get; }
        public TokenUsage? Usage { get; }
        public string? RequestId { get; }
    }
}
