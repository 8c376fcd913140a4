using System;
using System.Globalization;

namespace ModelverseImage.Api
{
    /// <summary>A growable byte array for the skeleton (MemoryStream has no span writes on netstandard2.0).</summary>
    internal sealed class ByteBuilder
    {
        private readonly int _max;
        private byte[] _buffer = new byte[4096];

        public ByteBuilder(int max) => _max = max;

        public int Length { get; private set; }

        public ReadOnlyMemory<byte> Written => new ReadOnlyMemory<byte>(_buffer, 0, Length);

        public void WriteByte(byte b)
        {
            Span<byte> one = stackalloc byte[1];
            one[0] = b;
            Write(one);
        }

        public void Write(ReadOnlySpan<byte> data)
        {
            if ((long)Length + data.Length > _max)
                throw new ApiException(FailureKind.InvalidResponse, ApiProblem.TooMuchJson, (long)_max);
            if (Length + data.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + data.Length));
            data.CopyTo(new Span<byte>(_buffer, Length, data.Length));
            Length += data.Length;
        }
    }
}
