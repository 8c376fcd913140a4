using System;

namespace ModelverseImage.Api
{
    /// <summary>One decoded image of an answer.</summary>
    public sealed class ResultImage
    {
        private byte[]? _bytes;

        public ResultImage(ArraySegment<byte> data, string? revisedPrompt)
        {
            Data = data;
            RevisedPrompt = revisedPrompt;
        }

        /// <summary>The decoded bytes, where they were decoded (no copy).</summary>
        public ArraySegment<byte> Data { get; }

        /// <summary>The decoded bytes as an exact-size array (made on first use when Data is part of a larger array).</summary>
        public byte[] Bytes => _bytes ??= ImageBytes.Exact(Data);

        public string? RevisedPrompt { get; }
    }
}
