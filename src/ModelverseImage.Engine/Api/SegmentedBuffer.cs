using System;
using System.Buffers;
using System.Collections.Generic;

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

namespace ModelverseImage.Api
{
    /// <summary>
    /// A byte array whose every byte is about to be overwritten: on .NET 5+ it skips zeroing (GC.AllocateUninitializedArray,
    /// found by reflection since this assembly targets netstandard2.0); elsewhere it is a plain new array.
    /// </summary>
    internal static class Uninitialized
    {
        private static readonly Func<int, bool, byte[]>? Allocator = Find();

        public static byte[] Allocate(int length) => Allocator != null ? Allocator(length, false) : new byte[length];

        private static Func<int, bool, byte[]>? Find()
        {
            var method = typeof(GC).GetMethod("AllocateUninitializedArray", new[] { typeof(int), typeof(bool) });
            return method == null ? null : (Func<int, bool, byte[]>)Delegate.CreateDelegate(typeof(Func<int, bool, byte[]>), method.MakeGenericMethod(typeof(byte)));
        }
    }
}
