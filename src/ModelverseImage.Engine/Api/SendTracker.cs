using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>
    /// Records whether the last byte of one attempt's request body was handed to the connection: the line between
    /// a failure that cannot have been billed (retried) and one that may have been (not retried; see
    /// <see cref="RetryPolicy"/>).
    /// </summary>
    /// <remarks>
    /// The body is wrapped (<see cref="Wrap"/>) just before HttpClient sends it, and marked sent when the wrapped
    /// content's last byte has been written to the connection's stream. That is honest in the direction that
    /// matters: the mark can only come early (bytes still in a send buffer, or a .NET Framework handler that
    /// buffers the whole body before sending), never late, so a failure is at worst called "may be billed" when it
    /// was not, and never the other way round. The alternative line, "response headers received", would call a
    /// connection that dropped while the server was generating retryable, and that is exactly the case that pays
    /// twice. A request without a body (a download) is never wrapped and never billed.
    /// </remarks>
    internal sealed class SendTracker
    {
        private int _sent;

        /// <summary>Whether the whole request body was written to the connection.</summary>
        public bool BodySent => Volatile.Read(ref _sent) == 1;

        public HttpContent Wrap(HttpContent inner) => new TrackedContent(inner, this);

        private void MarkSent() => Volatile.Write(ref _sent, 1);

        private sealed class TrackedContent : HttpContent
        {
            private readonly HttpContent _inner;
            private readonly SendTracker _tracker;

            public TrackedContent(HttpContent inner, SendTracker tracker)
            {
                _inner = inner;
                _tracker = tracker;
                foreach (var header in inner.Headers)
                {
                    // Content-Length comes from TryComputeLength, so it is not copied (it would be sent twice).
                    if (string.Equals(header.Key, "Content-Length", System.StringComparison.OrdinalIgnoreCase)) continue;
                    Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                await _inner.CopyToAsync(stream).ConfigureAwait(false);
                _tracker.MarkSent();
            }

            protected override bool TryComputeLength(out long length)
            {
                long? known = _inner.Headers.ContentLength;
                length = known ?? 0;
                return known.HasValue;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
