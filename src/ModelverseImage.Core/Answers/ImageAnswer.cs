using System;
using System.Collections.Generic;

namespace ModelverseImage.Api
{
    /// <summary>A successful answer: the images in order, with what the request cost.</summary>
    public sealed class ImageAnswer
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

        /// <summary>
        /// Images the answer held beyond those asked for (n), refused: not decoded, not downloaded, not returned. The
        /// cmdlets say so in a warning; the images asked for are returned as usual.
        /// </summary>
        public int ImagesRefused { get; init; }

        /// <summary>Partial images a stream sent beyond partial_images per image: refused, never handed on.</summary>
        public int PartialImagesRefused { get; init; }
    }
}
