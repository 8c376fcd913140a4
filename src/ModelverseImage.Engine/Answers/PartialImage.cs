using System;
using ModelverseImage.Imaging;

namespace ModelverseImage.Api
{
    /// <summary>
    /// A partial image of a streamed answer (<c>partial_images</c>): an early, rougher rendering, handed to the
    /// caller as soon as its event has arrived. The final image comes in the <see cref="ImageAnswer"/>.
    /// </summary>
    internal sealed class PartialImage
    {
        public PartialImage(ArraySegment<byte> data, ImageHeader header, int partialIndex, int imageIndex, DateTimeOffset? created, string? requestId, AnswerSettings? settings)
        {
            Data = data;
            Header = header;
            PartialIndex = partialIndex;
            ImageIndex = imageIndex;
            Created = created;
            RequestId = requestId;
            Settings = settings ?? AnswerSettings.None;
        }

        /// <summary>The decoded bytes (no copy).</summary>
        public ArraySegment<byte> Data { get; }

        /// <summary>Format, pixel size and alpha, read from <see cref="Data"/> once, when the client checked it was an image.</summary>
        public ImageHeader Header { get; }

        /// <summary>The API's partial_image_index: 0 for the first partial image.</summary>
        public int PartialIndex { get; }

        /// <summary>0-based: which image of the answer it is a partial of (0 unless the answer has several).</summary>
        public int ImageIndex { get; }

        public DateTimeOffset? Created { get; }
        public string? RequestId { get; }
        public AnswerSettings Settings { get; }
    }
}
