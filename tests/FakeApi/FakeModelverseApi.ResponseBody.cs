namespace ModelverseImage.FakeApi;

public sealed partial class FakeModelverseApi
{
    /// <summary>
    /// A JSON answer kept as pieces: small UTF-8 text plus the cached base64 of images, which is streamed in chunks
    /// (optionally with '+' and '/' JSON-escaped) instead of being copied into one large string.
    /// </summary>
    private sealed class ResponseBody
    {
        private readonly List<(ReadOnlyMemory<byte> Data, bool Escape)> _segments = [];

        public long Length { get; private set; }

        public void Append(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            _segments.Add((bytes, false));
            Length += bytes.Length;
        }

        public void AppendBase64(EncodedImage image, bool escape)
        {
            _segments.Add((image.Base64, escape));
            Length += escape ? image.EscapedBase64Length : image.Base64.Length;
        }

        /// <summary>Writes the first <paramref name="limit"/> bytes of the body.</summary>
        public async Task WriteAsync(Stream destination, long limit, CancellationToken ct)
        {
            var remaining = limit;
            byte[]? escaped = null;
            foreach (var (data, escape) in _segments)
            {
                var offset = 0;
                while (offset < data.Length && remaining > 0)
                {
                    ReadOnlyMemory<byte> chunk;
                    if (escape)
                    {
                        var source = data.Slice(offset, Math.Min(EscapeChunkSize, data.Length - offset));
                        escaped ??= new byte[EscapeChunkSize * 6];
                        chunk = escaped.AsMemory(0, EscapeBase64(source.Span, escaped));
                        offset += source.Length;
                    }
                    else
                    {
                        chunk = data.Slice(offset, Math.Min(WriteChunkSize, data.Length - offset));
                        offset += chunk.Length;
                    }

                    if (chunk.Length > remaining)
                    {
                        chunk = chunk[..(int)remaining];
                    }

                    await destination.WriteAsync(chunk, ct);
                    remaining -= chunk.Length;
                }
            }
        }

        private static int EscapeBase64(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            var n = 0;
            foreach (var b in source)
            {
                switch (b)
                {
                    case (byte)'+':
                        "\\u002B"u8.CopyTo(destination[n..]);
                        n += 6;
                        break;
                    case (byte)'/':
                        destination[n++] = (byte)'\\';
                        destination[n++] = (byte)'/';
                        break;
                    default:
                        destination[n++] = b;
                        break;
                }
            }

            return n;
        }
    }
}
