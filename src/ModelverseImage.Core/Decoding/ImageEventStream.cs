using System;
using System.Collections.Generic;
using ModelverseImage.Imaging;

namespace ModelverseImage.Api
{
    /// <summary>
    /// Takes the events of a streamed images answer from a <see cref="ServerSentEventReader"/>: each event's data
    /// goes through a fresh <see cref="ImageJsonScanner"/> as it arrives (its base64 decoded on the fly, never held
    /// as text); when the event ends, its skeleton is parsed. Partial and final images (<c>*.completed</c>) go to
    /// the callback at once, so a final image that completed is kept whatever happens to the rest of the stream;
    /// final images are also collected for the answer; an <c>error</c> event is thrown as its <see cref="ApiException"/>.
    /// </summary>
    internal sealed class ImageEventStream : IServerSentEventSink, IDisposable
    {
        private readonly long _maxImageBytes;
        private readonly int _status;
        private readonly string? _requestId;
        private readonly Func<ArraySegment<byte>, ImageHeader> _checkImage;
        private readonly Action<StreamedImage>? _onImage;
        private readonly Exchange _exchange;
        private ImageJsonScanner? _scanner;
        private int _partialsOfCurrentImage;
        private readonly int _partialsPerImage;
        private readonly int _finals;

        /// <summary>Partial images beyond those asked for: refused (released at once, never handed on).</summary>
        public int PartialsRefused { get; private set; }

        /// <summary>Final images beyond those asked for: refused likewise.</summary>
        public int FinalsRefused { get; private set; }

        /// <param name="partialsPerImage">The partial images asked for per image (partial_images); more are refused.</param>
        /// <param name="finals">The final images asked for (n); more are refused.</param>
        public ImageEventStream(long maxImageBytes, int status, string? requestId, Func<ArraySegment<byte>, ImageHeader> checkImage, Exchange exchange, Action<StreamedImage>? onImage,
            int partialsPerImage = int.MaxValue, int finals = int.MaxValue)
        {
            _partialsPerImage = partialsPerImage;
            _finals = finals;
            _exchange = exchange;
            _maxImageBytes = maxImageBytes;
            _status = status;
            _requestId = requestId;
            _checkImage = checkImage;
            _onImage = onImage;
        }

        /// <summary>The final images, in the order their events arrived, with the headers read when they were checked.</summary>
        public List<(ArraySegment<byte> Data, ImageHeader Header, string? RevisedPrompt)> Completed { get; } = new List<(ArraySegment<byte>, ImageHeader, string?)>();

        /// <summary>Events that ended (keep-alive comments are none): what the time limit between events counts.</summary>
        public int EventsEnded { get; private set; }

        public DateTimeOffset? Created { get; private set; }
        public TokenUsage? Usage { get; private set; }
        public AnswerSettings Settings { get; private set; } = AnswerSettings.None;

        public void Data(ReadOnlySpan<byte> data) =>
            (_scanner ??= new ImageJsonScanner(contentLength: null, expectedImages: 1, maxImageBytes: _maxImageBytes)).Feed(data);

        public void EventEnd(string? name)
        {
            var scanner = _scanner;
            _scanner = null;
            if (scanner is null) return;
            EventsEnded++;
            using (scanner)
            {
                scanner.Complete();
                var parsed = ResponseParser.ParseStreamEvent(scanner.Skeleton, name, _status, _requestId);
                switch (parsed.Kind)
                {
                    case StreamEventKind.Error:
                        throw parsed.Error!;
                    case StreamEventKind.Partial:
                        {
                            if (_partialsOfCurrentImage >= _partialsPerImage || Completed.Count >= _finals)
                            {
                                PartialsRefused++; // the scanner's buffers go back with it
                                return;
                            }
                            var image = Image(scanner, parsed);
                            if (image is null) return; // a partial without an image is no progress to show
                            _exchange.PartialImageReceived();
                            _onImage?.Invoke(new StreamedImage(image.Value.Data, image.Value.Header, parsed.PartialIndex ?? _partialsOfCurrentImage, Completed.Count,
                                parsed.Created, _requestId, parsed.Settings));
                            _partialsOfCurrentImage++;
                            return;
                        }
                    case StreamEventKind.Completed:
                        {
                            if (Completed.Count >= _finals)
                            {
                                FinalsRefused++;
                                return;
                            }
                            var image = Image(scanner, parsed)
                                ?? throw new ApiException(FailureKind.InvalidResponse, ApiProblem.EventWithoutImage) { StatusCode = _status, RequestId = _requestId };
                            Completed.Add((image.Data, image.Header, parsed.RevisedPrompt));
                            _onImage?.Invoke(new StreamedImage(image.Data, image.Header, null, Completed.Count - 1, parsed.Created ?? Created, _requestId,
                                parsed.Settings, parsed.Usage ?? Usage, parsed.RevisedPrompt));
                            _exchange.FinalImageReceived();
                            _partialsOfCurrentImage = 0;
                            Created = parsed.Created ?? Created;
                            Usage = parsed.Usage ?? Usage;
                            Settings = parsed.Settings;
                            return;
                        }
                }
            }
        }

        /// <summary>The event's image, checked; the header the check read goes with it.</summary>
        private (ArraySegment<byte> Data, ImageHeader Header)? Image(ImageJsonScanner scanner, ParsedStreamEvent parsed)
        {
            if (parsed.ImageIndex < 0 || parsed.ImageIndex >= scanner.Images.Count || scanner.Images[parsed.ImageIndex].Length == 0) return null;
            var data = scanner.Images[parsed.ImageIndex].Detach();
            return (data, _checkImage(data));
        }

        public void Dispose()
        {
            _scanner?.Dispose();
            _scanner = null;
        }
    }
}
