using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>
    /// How far one attempt's exchange with the API has got, recorded by the transport as it happens: the request
    /// body handed to the connection in full, the status line, the body's bytes, a stream's images. The retry rule
    /// (<see cref="RetryPolicy"/>) decides from its <see cref="Record"/> alone.
    /// </summary>
    /// <remarks>
    /// "Sent" is marked when the wrapped body's last byte was written to the connection's stream. That is honest in
    /// the direction that matters: the mark can only come early (bytes still in a send buffer, or a .NET Framework
    /// handler that buffers the whole body first), never late, so a failure is at worst called "may be billed" when
    /// it was not, never the other way round. A request without a body (a download) is never billable.
    /// </remarks>
    internal sealed class Exchange
    {
        private readonly object _gate = new object();
        private readonly bool _billable;
        private ExchangeStage _stage;
        private int _status;
        private long _bodyBytes;
        private int _partials;
        private int _completed;
        private bool _timedOut;

        public Exchange(bool billable) => _billable = billable;

        /// <summary>The answer's x-request-id, once its headers arrived.</summary>
        public string? RequestId { get; private set; }

        /// <summary>Wraps the request body so that its last byte going out marks the request sent.</summary>
        public HttpContent Track(HttpContent body) => new TrackedContent(body, this);

        public void StatusReceived(int status, string? requestId)
        {
            lock (_gate)
            {
                _status = status;
                RequestId = requestId;
                Advance(ExchangeStage.StatusReceived);
            }
        }

        public void BodyRead(int bytes)
        {
            lock (_gate)
            {
                _bodyBytes += bytes;
                Advance(ExchangeStage.BodyPartlyRead);
            }
        }

        public void PartialImageReceived()
        {
            lock (_gate)
            {
                _partials++;
                Advance(ExchangeStage.PartialImagesReceived);
            }
        }

        public void FinalImageReceived()
        {
            lock (_gate)
            {
                _completed++;
                Advance(ExchangeStage.PartialImagesReceived);
            }
        }

        public void Complete()
        {
            lock (_gate) Advance(ExchangeStage.Complete);
        }

        public void TimedOut()
        {
            lock (_gate) _timedOut = true;
        }

        /// <summary>What the exchange came to, so far.</summary>
        public ExchangeRecord Record()
        {
            lock (_gate) return new ExchangeRecord(_stage, _billable, _status, _bodyBytes, _partials, _completed, _timedOut);
        }

        private void BodySent()
        {
            lock (_gate) Advance(ExchangeStage.SentNoStatus);
        }

        private void Advance(ExchangeStage stage)
        {
            if (stage > _stage) _stage = stage;
        }

        private sealed class TrackedContent : HttpContent
        {
            private readonly HttpContent _inner;
            private readonly Exchange _exchange;

            public TrackedContent(HttpContent inner, Exchange exchange)
            {
                _inner = inner;
                _exchange = exchange;
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
                _exchange.BodySent();
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
