using System;
using System.Buffers;
using System.Buffers.Text;

namespace ModelverseImage.Api
{
    /// <summary>
    /// Decodes base64 that arrives in pieces of any length. The last quad is always held back until
    /// <see cref="Complete"/>, so padding is only ever seen in the final block. Past <c>maxBytes</c> decoded,
    /// it throws at once (InvalidResponse), so a runaway answer is never read to its end.
    /// </summary>
    internal sealed class Base64StreamDecoder
    {
        private readonly IImageBuffer _output;
        private readonly long _maxBytes;
        private readonly byte[] _carry = new byte[4];
        private int _carryLength;

        public Base64StreamDecoder(IImageBuffer output, long maxBytes = long.MaxValue)
        {
            _output = output;
            _maxBytes = maxBytes;
        }

        public void Write(ReadOnlySpan<byte> data)
        {
            while (true)
            {
                if (_carryLength + data.Length <= 4)
                {
                    data.CopyTo(new Span<byte>(_carry, _carryLength, 4 - _carryLength));
                    _carryLength += data.Length;
                    return;
                }
                if (_carryLength > 0)
                {
                    int need = 4 - _carryLength;
                    data.Slice(0, need).CopyTo(new Span<byte>(_carry, _carryLength, need));
                    data = data.Slice(need);
                    Decode(_carry, isFinal: false);
                    _carryLength = 0;
                    continue;
                }
                int tail = data.Length % 4;
                if (tail == 0) tail = 4;
                Decode(data.Slice(0, data.Length - tail), isFinal: false);
                data.Slice(data.Length - tail).CopyTo(_carry);
                _carryLength = tail;
                return;
            }
        }

        public void Complete()
        {
            if (_carryLength == 0) return;
            if (_carryLength == 1) throw Invalid();
            for (int i = _carryLength; i < 4; i++) _carry[i] = (byte)'='; // tolerate missing padding
            Decode(_carry, isFinal: true);
            _carryLength = 0;
        }

        private void Decode(ReadOnlySpan<byte> source, bool isFinal)
        {
            while (!source.IsEmpty)
            {
                var destination = _output.GetSpan();
                int take = Math.Min(source.Length, Math.Max(4, destination.Length / 3 * 4));
                if (destination.Length < 3)
                {
                    // Too little room left in this segment for one quad: decode it via a small stack buffer.
                    Span<byte> small = stackalloc byte[3];
                    var s = Base64.DecodeFromUtf8(source.Slice(0, 4), small, out int c, out int w, isFinal && source.Length == 4);
                    if (s == OperationStatus.InvalidData || c == 0) throw Invalid();
                    _output.Write(small.Slice(0, w));
                    source = source.Slice(c);
                    CheckSize();
                    continue;
                }
                var status = Base64.DecodeFromUtf8(source.Slice(0, take), destination, out int consumed, out int written, isFinal && take == source.Length);
                if (status == OperationStatus.InvalidData || consumed == 0) throw Invalid();
                _output.Advance(written);
                source = source.Slice(consumed);
                CheckSize();
            }
        }

        private void CheckSize()
        {
            if (_output.Length > _maxBytes)
                throw new ApiException(FailureKind.InvalidResponse, ApiProblem.ImageTooLarge, (long)_maxBytes);
        }

        private static ApiException Invalid() =>
            new ApiException(FailureKind.InvalidResponse, ApiProblem.InvalidBase64);
    }
}
