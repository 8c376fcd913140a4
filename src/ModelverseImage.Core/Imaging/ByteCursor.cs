using System;
using System.IO;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Reads forward through an image, whether it is all in memory or arrives from a stream: first from
    /// <c>bytes</c>, then (when there is one) from the stream behind them. The walk of each format reads through it.
    /// In memory, reads are slices and skips move an index; from a stream, skips seek when the stream can and read
    /// past the bytes when it cannot. <see cref="Position"/> counts from the image's first byte.
    /// </summary>
    internal ref struct ByteCursor
    {
        private const int SkipBufferSize = 8192;
        private const int ScratchSize = 32; // the longest TryRead: the PNG signature and IHDR (29 bytes)

        private readonly ReadOnlySpan<byte> _bytes;
        private readonly Stream? _stream;
        private int _pos;
        private long _fromStream;
        private byte[]? _scratch;
        private byte[]? _skipBuffer;

        /// <summary>A cursor at <paramref name="position"/> in <paramref name="bytes"/>, then in <paramref name="stream"/> if given.</summary>
        public ByteCursor(ReadOnlySpan<byte> bytes, int position, Stream? stream = null)
        {
            _bytes = bytes;
            _stream = stream;
            _pos = Math.Min(position, bytes.Length);
            _fromStream = 0;
            _scratch = null;
            _skipBuffer = null;
        }

        /// <summary>How far the cursor is from the image's first byte.</summary>
        public long Position => _pos + _fromStream;

        /// <summary>The next byte, or -1 at the end.</summary>
        public int ReadByte()
        {
            if (_pos < _bytes.Length)
            {
                return _bytes[_pos++];
            }
            int b = _stream is null ? -1 : _stream.ReadByte();
            if (b >= 0)
            {
                _fromStream++;
            }
            return b;
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
            int read = ReadFully(_stream, _scratch, fromBytes, count - fromBytes);
            _fromStream += read;
            if (read != count - fromBytes)
            {
                return false;
            }
            data = new ReadOnlySpan<byte>(_scratch, 0, count);
            return true;
        }

        /// <summary>Fills <paramref name="buffer"/> with the next bytes; false when the end comes first.</summary>
        public bool TryReadInto(byte[] buffer)
        {
            int fromBytes = Math.Min(buffer.Length, _bytes.Length - _pos);
            _bytes.Slice(_pos, fromBytes).CopyTo(buffer);
            _pos += fromBytes;
            if (fromBytes == buffer.Length)
            {
                return true;
            }
            if (_stream is null)
            {
                return false;
            }
            int read = ReadFully(_stream, buffer, fromBytes, buffer.Length - fromBytes);
            _fromStream += read;
            return read == buffer.Length - fromBytes;
        }

        /// <summary>Moves past <paramref name="count"/> bytes; false when the end came first (or the count is negative).</summary>
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
            if (_stream.CanSeek && TrySeek(_stream, count, out long moved))
            {
                _fromStream += moved;
                return moved == count;
            }
            _skipBuffer ??= new byte[SkipBufferSize];
            while (count > 0)
            {
                int read = _stream.Read(_skipBuffer, 0, (int)Math.Min(count, _skipBuffer.Length));
                if (read <= 0)
                {
                    return false;
                }
                _fromStream += read;
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

        private static bool TrySeek(Stream stream, long count, out long moved)
        {
            long remaining;
            try
            {
                remaining = stream.Length - stream.Position;
            }
            catch (NotSupportedException)
            {
                moved = 0;
                return false; // claims to seek but cannot say where it is: read past instead
            }
            // Never seek beyond the end: some streams refuse to, and nothing is there to read anyway.
            moved = Math.Max(Math.Min(count, remaining), 0);
            stream.Seek(moved, SeekOrigin.Current);
            return true;
        }
    }
}
