using System;
using ModelverseImage.Imaging;

namespace ModelverseImage.Api
{
    /// <summary>One decoded image of an answer, with the header read when it was checked.</summary>
    public sealed class AnswerImage
    {
        private byte[]? _bytes;

        public AnswerImage(ArraySegment<byte> data, ImageHeader header, string? revisedPrompt)
        {
            Data = data;
            Header = header;
            RevisedPrompt = revisedPrompt;
        }

        /// <summary>The decoded bytes, where they were decoded (no copy).</summary>
        public ArraySegment<byte> Data { get; }

        /// <summary>Format, pixel size and alpha, read from <see cref="Data"/> once, when the client checked it was an image.</summary>
        public ImageHeader Header { get; }

        /// <summary>The decoded bytes as an exact-size array (made on first use when Data is part of a larger array).</summary>
        public byte[] Bytes => _bytes ??= ImageBytes.Exact(Data);

        public string? RevisedPrompt { get; }
    }
}
