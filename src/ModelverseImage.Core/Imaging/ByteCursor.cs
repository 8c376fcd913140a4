using System;
using System.IO;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Reads forward through an image's leading bytes, whether they are all in memory or arrive from a stream: first
    /// from <c>bytes</c>, then (when there is one) from the stream behind them. One header parser per format reads
    /// through it. In memory, reads are slices and skips move an index; from a stream, skips seek when the stream can
    /// and read past the bytes when it cannot.
    /// </summary>
    internal ref struct ByteCursor
    {
        private const int SkipBufferSize = 8192;
        private const int ScratchSize = 32; // the longest read: the PNG signature and IHDR (29 bytes)

        private readonly ReadOnlySpan<byte> _bytes;
        private readonly Stream? _stream;
        private int _pos;
        private byte[]? _scratch;
        private byte[]? _skipBuffer;

        /// <summary>A cursor at <paramref name="position"/> in <paramref name="bytes"/>, then in <paramref name="stream"/> if given.</summary>
        public ByteCursor(ReadOnlySpan<byte> bytes, int position, Stream? stream = null)
        {
            _bytes = bytes;
            _stream = stream;
            _pos = Math.Min(position, bytes.Length);
            _scratch = null;
            _skipBuffer = null;
        }

        /// <summary>The next byte, or -1 at the end.</summary>
        public int ReadByte()
        {
            if (_pos < _bytes.Length)
            {
                return _bytes[_pos++];
            }
            return _stream is null ? -1 : _stream.ReadByte();
        }

        /// <summary>
        /// The next <paramref name="count"/> bytes (at most 32), or false when the end comes first (what was there is
        /// consumed all the same).
        /// </summary>
        public bool TryRead(int count, out ReadOnlySpan<byte> data)
        {
            int fromBytes = Math.Min(count, _bytes.Length - _pos);
            if (fromBytes == count)
            {
                data = _bytes.Slice(_pos, count);
                _pos += count;
                return true;
            }
            _pos += fromBytes;
            data = default;
            if (_stream is null)
            {
                return false;
            }
            _scratch ??= new byte[ScratchSize];
            _bytes.Slice(_pos - fromBytes, fromBytes).CopyTo(_scratch);
            if (ReadFully(_stream, _scratch, fromBytes, count - fromBytes) != count - fromBytes)
            {
                return false;
            }
            data = new ReadOnlySpan<byte>(_scratch, 0, count);
            return true;
        }

        /// <summary>Moves past <paramref name="count"/> bytes; false when the end came first.</summary>
        public bool Skip(long count)
        {
            if (count < 0)
            {
                return false;
            }
            int fromBytes = (int)Math.Min(count, _bytes.Length - _pos);
            _pos += fromBytes;
            count -= fromBytes;
            if (count == 0)
            {
                return true;
            }
            if (_stream is null)
            {
                return false;
            }
            if (_stream.CanSeek && TrySeek(_stream, count, out bool inside))
            {
                return inside;
            }
            _skipBuffer ??= new byte[SkipBufferSize];
            while (count > 0)
            {
                int read = _stream.Read(_skipBuffer, 0, (int)Math.Min(count, _skipBuffer.Length));
                if (read <= 0)
                {
                    return false;
                }
                count -= read;
            }
            return true;
        }

        /// <summary>Reads up to count bytes; fewer only at the end of the stream.</summary>
        public static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = stream.Read(buffer, offset + total, count - total);
                if (read <= 0)
                {
                    break;
                }
                total += read;
            }
            return total;
        }

        private static bool TrySeek(Stream stream, long count, out bool inside)
        {
            long remaining;
            try
            {
                remaining = stream.Length - stream.Position;
            }
            catch (NotSupportedException)
            {
                inside = false;
                return false; // claims to seek but cannot say where it is: read past instead
            }
            inside = count <= remaining;
            // Never seek beyond the end: some streams refuse to, and nothing is there to read anyway.
            stream.Seek(inside ? count : Math.Max(remaining, 0), SeekOrigin.Current);
            return true;
        }
    }
}
