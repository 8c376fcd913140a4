namespace ModelverseImage.Tests.Library;

/// <summary>A read-only stream over bytes that counts what was read and can refuse to seek.</summary>
internal sealed class CountingStream : Stream
{
    private readonly MemoryStream _inner;
    private readonly bool _seekable;

    public CountingStream(byte[] bytes, bool seekable)
    {
        _inner = new MemoryStream(bytes, writable: false);
        _seekable = seekable;
    }

    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => _seekable;
    public override bool CanWrite => false;
    public override long Length => _seekable ? _inner.Length : throw new NotSupportedException();

    public override long Position
    {
        get => _seekable ? _inner.Position : throw new NotSupportedException();
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        // Hand out at most 7 bytes at a time, as a slow network stream might.
        int read = _inner.Read(buffer, offset, Math.Min(count, 7));
        BytesRead += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        _seekable ? _inner.Seek(offset, origin) : throw new NotSupportedException();

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
