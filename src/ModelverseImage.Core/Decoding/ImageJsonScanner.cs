using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelverseImage.Api
{
    /// <summary>
    /// Reads an images response as it streams in. The value of every "b64_json" member is decoded straight
    /// into a <see cref="SegmentedBuffer"/> and replaced in a small "skeleton" copy of the JSON by a
    /// placeholder ("#0", "#1", ...). Everything else is copied to the skeleton unchanged, so the skeleton
    /// can be parsed with System.Text.Json afterwards while the image text is never held as a string.
    /// Handles "data:image/...;base64," prefixes and JSON escapes inside the base64 (\/ and \u002B).
    /// Both are bounded: one decoded image by <c>maxImageBytes</c>, the skeleton by <see cref="MaxSkeletonBytes"/>;
    /// past either, <see cref="Feed"/> throws an InvalidResponse at once, so the caller stops reading the body.
    /// Only the first <c>decodedImages</c> images are decoded: the base64 of any beyond them is skipped (counted
    /// against the same per-image bound, never stored), and its placeholder has no buffer in <see cref="Images"/>.
    /// So an answer holds at most that many times the per-image bound, whatever the server sends.
    /// </summary>
    internal sealed class ImageJsonScanner : IDisposable
    {
        internal const string PlaceholderPrefix = "#";
        private const string ImageMember = "b64_json";
        private const int MaxKeyCapture = 32;
        private static readonly byte[] DataUriScheme = Encoding.ASCII.GetBytes("data:");

        private enum Mode { Structure, String, Base64 }

        private enum Prefix { Undecided, DataUri, Plain }

        private readonly ByteBuilder _skeleton = new ByteBuilder(MaxSkeletonBytes);
        private readonly List<IImageBuffer> _images = new List<IImageBuffer>();
        private readonly long? _contentLength;
        private readonly int _expectedImages;
        private readonly long _maxImageBytes;
        private readonly int _decodedImages;
        private int _placeholders;
        private long _fed;
        private long _position;
        private Mode _mode = Mode.Structure;

        // Structure and string state.
        private byte _lastSignificant;
        private string? _lastString;
        private string? _keyForValue;
        private bool _escaped;
        private readonly byte[] _capture = new byte[MaxKeyCapture];
        private int _captureLength;

        // Base64 state.
        private Base64StreamDecoder? _decoder;
        private bool _skipping;
        private long _skippedText;
        private Prefix _prefix;
        private readonly byte[] _prefixBytes = new byte[5];
        private int _prefixLength;
        private readonly byte[] _escape = new byte[6];
        private int _escapeLength;

        /// <param name="contentLength">The body's announced length, if any.</param>
        /// <param name="expectedImages">How many images the answer should hold; with one and a known length,
        /// the image is decoded into one array sized from the length, and never copied.</param>
        /// <param name="maxImageBytes">The largest decoded image accepted (default <see cref="DefaultMaxImageBytes"/>).</param>
        /// <param name="decodedImages">How many images are decoded at most; the base64 of any beyond is skipped.</param>
        public ImageJsonScanner(long? contentLength = null, int expectedImages = 0, long maxImageBytes = DefaultMaxImageBytes, int decodedImages = int.MaxValue)
        {
            _contentLength = contentLength;
            _expectedImages = expectedImages;
            _maxImageBytes = maxImageBytes;
            _decodedImages = decodedImages;
        }

        /// <summary>The largest decoded image accepted by default: 128 MiB, about four times a 3840x2160 PNG of random pixels.</summary>
        internal const long DefaultMaxImageBytes = 128L * 1024 * 1024;

        /// <summary>
        /// The largest skeleton (the answer without its base64): 1 MiB. A real one is a few hundred bytes plus the
        /// revised prompts; more is a server streaming nonsense.
        /// </summary>
        internal const int MaxSkeletonBytes = 1024 * 1024;

        /// <summary>
        /// Largest array sized from Content-Length (a 3840x2160 PNG is at most ~33 MB); a larger announcement
        /// is not trusted with one allocation and the image goes to pooled segments instead.
        /// </summary>
        internal const long MaxContiguousBytes = 64L * 1024 * 1024;

        public IReadOnlyList<IImageBuffer> Images => _images;

        public ReadOnlyMemory<byte> Skeleton => _skeleton.Written;

        public void Feed(ReadOnlySpan<byte> data)
        {
            long start = _fed;
            int total = data.Length;
            _fed += total;
            while (!data.IsEmpty)
            {
                _position = start + (total - data.Length);
                switch (_mode)
                {
                    case Mode.Structure: data = FeedStructure(data); break;
                    case Mode.String: data = FeedString(data); break;
                    default: data = FeedBase64(data); break;
                }
            }
        }

        /// <summary>Call at the end of the body. Throws when the body ended inside a string.</summary>
        public void Complete()
        {
            if (_mode != Mode.Structure)
                throw new ApiException(FailureKind.InvalidResponse, ApiProblem.IncompleteJson);
        }

        private ReadOnlySpan<byte> FeedStructure(ReadOnlySpan<byte> data)
        {
            int i = 0;
            for (; i < data.Length; i++)
            {
                byte b = data[i];
                if (b == (byte)'"')
                {
                    _skeleton.Write(data.Slice(0, i));
                    if (_lastSignificant == (byte)':' && _keyForValue == ImageMember) StartBase64(_position + i + 1);
                    else StartString();
                    return data.Slice(i + 1);
                }
                if (b == (byte)':')
                {
                    _lastSignificant = b;
                    _keyForValue = _lastString;
                }
                else if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t')
                {
                    _lastSignificant = b;
                }
            }
            _skeleton.Write(data);
            return ReadOnlySpan<byte>.Empty;
        }

        private void StartString()
        {
            _skeleton.WriteByte((byte)'"');
            _mode = Mode.String;
            _escaped = false;
            _captureLength = 0;
        }

        private ReadOnlySpan<byte> FeedString(ReadOnlySpan<byte> data)
        {
            if (_escaped)
            {
                Capture(data.Slice(0, 1));
                _skeleton.WriteByte(data[0]);
                _escaped = false;
                return data.Slice(1);
            }
            int stop = data.IndexOfAny((byte)'"', (byte)'\\');
            if (stop < 0)
            {
                Capture(data);
                _skeleton.Write(data);
                return ReadOnlySpan<byte>.Empty;
            }
            Capture(data.Slice(0, stop));
            _skeleton.Write(data.Slice(0, stop + 1));
            if (data[stop] == (byte)'\\')
            {
                _escaped = true;
                Capture(data.Slice(stop, 1));
                return data.Slice(stop + 1);
            }
            _lastString = _captureLength <= MaxKeyCapture ? Encoding.UTF8.GetString(_capture, 0, _captureLength) : null;
            _lastSignificant = (byte)'"';
            _mode = Mode.Structure;
            return data.Slice(stop + 1);
        }

        private void Capture(ReadOnlySpan<byte> data)
        {
            if (_captureLength > MaxKeyCapture) return;
            if (_captureLength + data.Length > MaxKeyCapture)
            {
                _captureLength = MaxKeyCapture + 1; // too long to be a member name we look for
                return;
            }
            data.CopyTo(new Span<byte>(_capture, _captureLength, data.Length));
            _captureLength += data.Length;
        }

        private void StartBase64(long valueStart)
        {
            _skipping = _images.Count >= _decodedImages;
            _skippedText = 0;
            if (!_skipping)
            {
                IImageBuffer buffer = NewBuffer(valueStart);
                _images.Add(buffer);
                _decoder = new Base64StreamDecoder(buffer, _maxImageBytes);
            }
            _prefix = Prefix.Undecided;
            _prefixLength = 0;
            _escapeLength = 0;
            _mode = Mode.Base64;
            _skeleton.Write(Encoding.ASCII.GetBytes("\"" + PlaceholderPrefix + (_placeholders++).ToString(CultureInfo.InvariantCulture)));
        }

        /// <summary>Base64 text of the image being read: decoded, or, beyond the images decoded, only counted.</summary>
        private void Decode(ReadOnlySpan<byte> text)
        {
            if (!_skipping)
            {
                _decoder!.Write(text);
                return;
            }
            _skippedText += text.Length;
            if (_skippedText / 4 * 3 > _maxImageBytes)
                throw new ApiException(FailureKind.InvalidResponse, ApiProblem.ImageTooLarge, _maxImageBytes);
        }

        private IImageBuffer NewBuffer(long valueStart)
        {
            if (_expectedImages == 1 && _images.Count == 0 && _contentLength is long length && length > valueStart)
            {
                long bound = (length - valueStart) / 4 * 3 + 3;
                if (bound <= MaxContiguousBytes) return new ContiguousBuffer((int)bound);
            }
            return new SegmentedBuffer();
        }

        private ReadOnlySpan<byte> FeedBase64(ReadOnlySpan<byte> data)
        {
            if (_escapeLength > 0) return FeedEscape(data);

            int stop = data.IndexOfAny((byte)'"', (byte)'\\');
            var run = stop < 0 ? data : data.Slice(0, stop);
            WriteBase64Text(run);
            if (stop < 0) return ReadOnlySpan<byte>.Empty;

            if (data[stop] == (byte)'\\')
            {
                _escape[0] = (byte)'\\';
                _escapeLength = 1;
                return data.Slice(stop + 1);
            }
            EndBase64();
            return data.Slice(stop + 1);
        }

        private void WriteBase64Text(ReadOnlySpan<byte> text)
        {
            while (_prefix == Prefix.Undecided && !text.IsEmpty)
            {
                _prefixBytes[_prefixLength++] = text[0];
                text = text.Slice(1);
                if (_prefixLength == DataUriScheme.Length) DecidePrefix();
            }
            if (_prefix == Prefix.DataUri)
            {
                int comma = text.IndexOf((byte)',');
                if (comma < 0) return;
                _prefix = Prefix.Plain;
                text = text.Slice(comma + 1);
            }
            if (!text.IsEmpty) Decode(text);
        }

        private void DecidePrefix()
        {
            var seen = new ReadOnlySpan<byte>(_prefixBytes, 0, _prefixLength);
            bool isDataUri = seen.Length == DataUriScheme.Length && Ascii.EqualsIgnoreCase(seen, DataUriScheme);
            _prefix = isDataUri ? Prefix.DataUri : Prefix.Plain;
            if (!isDataUri) Decode(seen);
        }

        private ReadOnlySpan<byte> FeedEscape(ReadOnlySpan<byte> data)
        {
            int needed = (_escapeLength >= 2 && _escape[1] == (byte)'u') ? 6 : 2;
            while (_escapeLength < needed && !data.IsEmpty)
            {
                _escape[_escapeLength++] = data[0];
                data = data.Slice(1);
                if (_escapeLength == 2 && _escape[1] == (byte)'u') needed = 6;
            }
            if (_escapeLength < needed) return data;
            _escapeLength = 0;
            int ch = _escape[1] switch
            {
                (byte)'/' => '/',
                (byte)'n' or (byte)'r' or (byte)'t' => -1,
                (byte)'u' => ParseHex(new ReadOnlySpan<byte>(_escape, 2, 4)),
                _ => -2,
            };
            if (ch == -2 || ch > 127) throw new ApiException(FailureKind.InvalidResponse, ApiProblem.InvalidBase64);
            if (ch >= 0 && ch != '\n' && ch != '\r' && ch != '\t' && ch != ' ')
            {
                Span<byte> one = stackalloc byte[1];
                one[0] = (byte)ch;
                WriteBase64Text(one);
            }
            return data;
        }

        private static int ParseHex(ReadOnlySpan<byte> hex)
        {
            int value = 0;
            foreach (byte h in hex)
            {
                int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (digit < 0) return -2;
                value = value * 16 + digit;
            }
            return value;
        }

        private void EndBase64()
        {
            if (_prefix == Prefix.Undecided && _prefixLength > 0) Decode(new ReadOnlySpan<byte>(_prefixBytes, 0, _prefixLength));
            if (_prefix == Prefix.DataUri) throw new ApiException(FailureKind.InvalidResponse, ApiProblem.EmptyDataUri);
            _decoder?.Complete();
            _decoder = null;
            _skeleton.WriteByte((byte)'"');
            _lastSignificant = (byte)'"';
            _lastString = null;
            _mode = Mode.Structure;
        }

        public void Dispose()
        {
            foreach (var image in _images) image.Dispose();
            _images.Clear();
        }

        private static class Ascii
        {
            public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
            {
                for (int i = 0; i < a.Length; i++)
                    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
                return true;
            }
        }
    }
}
