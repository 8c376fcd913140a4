using System;

namespace ModelverseImage.Api
{
    /// <summary>Exact-size arrays from segments, copying only when the segment is not the whole array.</summary>
    public static class ImageBytes
    {
        public static byte[] Exact(ArraySegment<byte> data)
        {
            if (data.Array is null) return Array.Empty<byte>();
            if (data.Offset == 0 && data.Count == data.Array.Length) return data.Array;
            var copy = Uninitialized.Allocate(data.Count);
            Buffer.BlockCopy(data.Array, data.Offset, copy, 0, data.Count);
            return copy;
        }
    }
}
