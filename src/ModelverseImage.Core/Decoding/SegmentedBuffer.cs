using System;
using System.Buffers;
using System.Collections.Generic;

namespace ModelverseImage.Api
{
    /// <summary>
    /// A growing byte buffer made of pooled 1 MiB segments, so decoding an image of unknown size costs one
    /// exact-size array at the end (<see cref="ToArray"/>) and no doubling copies on the way.
    /// </summary>
    internal sealed class SegmentedBuffer : IImageBuffer
    {
        internal const int SegmentSize = 1 << 20;
        private readonly List<byte[]> _segments = new List<byte[]>();
        private int _usedInLast = SegmentSize;

        public long Length { get; private set; }

        /// <summary>Free space at the end (never empty).</summary>
        public Span<byte> GetSpan()
        {
            if (_usedInLast == SegmentSize)
            {
                _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
                _usedInLast = 0;
            }
            return new Span<byte>(_segments[_segments.Count - 1], _usedInLast, SegmentSize - _usedInLast);
        }

        public void Advance(int count)
        {
            _usedInLast += count;
            Length += count;
        }

        public ArraySegment<byte> Detach()
        {
            var result = new ArraySegment<byte>(ToArray());
            Dispose();
            return result;
        }

        public byte[] ToArray()
        {
            var result = Uninitialized.Allocate(checked((int)Length));
            long offset = 0;
            foreach (var segment in _segments)
            {
                int n = (int)Math.Min(SegmentSize, Length - offset);
                Buffer.BlockCopy(segment, 0, result, (int)offset, n);
                offset += n;
            }
            return result;
        }

        public void Dispose()
        {
            foreach (var segment in _segments) ArrayPool<byte>.Shared.Return(segment);
            _segments.Clear();
            Length = 0;
            _usedInLast = SegmentSize;
        }
    }
}
