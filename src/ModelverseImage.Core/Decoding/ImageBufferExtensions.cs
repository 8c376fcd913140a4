using System;

namespace ModelverseImage.Api
{
    internal static class ImageBufferExtensions
    {
        /// <summary>Appends <paramref name="data"/>, taking free space as the buffer hands it out.</summary>
        public static void Write(this IImageBuffer buffer, ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                var span = buffer.GetSpan();
                int n = Math.Min(span.Length, data.Length);
                data.Slice(0, n).CopyTo(span);
                buffer.Advance(n);
                data = data.Slice(n);
            }
        }
    }
}
