using System;

namespace ModelverseImage.Api
{
    /// <summary>Where decoded image bytes go as they arrive.</summary>
    internal interface IImageBuffer : IDisposable
    {
        long Length { get; }

        /// <summary>Free space at the end (never empty).</summary>
        Span<byte> GetSpan();

        void Advance(int count);

        /// <summary>Hands the bytes over (the buffer is empty afterwards).</summary>
        ArraySegment<byte> Detach();
    }
}
