using System;
using ModelverseImage.Imaging;

namespace ModelverseImage.Api
{
    /// <summary>
    /// An image of a streamed answer (<c>stream</c>, <c>partial_images</c>), handed to the caller the moment its event
    /// has arrived: a partial image (an early, rougher rendering), or a final image, so that a final image that
    /// completed is kept even when the stream fails afterwards.
    /// </summary>
    public sealed class StreamedImage
    {
        public StreamedImage(ArraySegment<byte> data, ImageHeader header, int? partialIndex, int imageIndex, DateTimeOffset? created, string? requestId,
            AnswerSettings? settings, TokenUsage? usage = null, string? revisedPrompt = null)
        {
            Data = data;
            Header = header;
            PartialIndex = partialIndex;
            ImageIndex = imageIndex;
            Created = created;
            RequestId = requestId;
            Settings = settings ?? AnswerSettings.None;
            Usage = usage;
            RevisedPrompt = revisedPrompt;
        }

        /// <summary>The decoded bytes (no copy).</summary>
        public ArraySegment<byte> Data { get; }

        /// <summary>Format, pixel size and alpha, read from <see cref="Data"/> once, when the client checked it was an image.</summary>
        public ImageHeader Header { get; }

        /// <summary>The API's partial_image_index (0 for the first partial image); null for a final image.</summary>
        public int? PartialIndex { get; }

        public bool IsPartial => PartialIndex.HasValue;

        /// <summary>0-based: which image of the answer it is (or is a partial of).</summary>
        public int ImageIndex { get; }

        public DateTimeOffset? Created { get; }
        public string? RequestId { get; }
        public AnswerSettings Settings { get; }

        /// <summary>For a final image: the usage its event reported.</summary>
        public TokenUsage? Usage { get; }

        public string? RevisedPrompt { get; }
    }
}
