using System;

namespace ModelverseImage.Api
{
    /// <summary>
    /// One array sized from the answer's Content-Length before the image starts (an upper bound: base64 is
    /// 4/3 of its bytes), so the decoded image is never copied: the result is a segment of this array.
    /// It grows (by copying) only if the server sent more than it announced.
    /// </summary>
    internal sealed class ContiguousBuffer : IImageBuffer
    {
        private byte[] _array;

        public ContiguousBuffer(int capacity) => _array = Uninitialized.Allocate(Math.Max(capacity, 16));

        public long Length { get; private set; }

        public Span<byte> GetSpan()
        {
            if (Length == _array.Length) Array.Resize(ref _array, checked(_array.Length * 2));
            return new Span<byte>(_array, (int)Length, _array.Length - (int)Length);
        }

        public void Advance(int count) => Length += count;

        public ArraySegment<byte> Detach()
        {
            var result = new ArraySegment<byte>(_array, 0, (int)Length);
            _array = Array.Empty<byte>();
            Length = 0;
            return result;
        }

        public void Dispose() => _array = Array.Empty<byte>();
    }
}
