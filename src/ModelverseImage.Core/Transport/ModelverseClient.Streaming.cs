using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>Streamed answers (stream=true, partial_images): server-sent events read as they arrive.</summary>
    public sealed partial class ModelverseClient
    {
        internal const string EventStreamMediaType = "text/event-stream";

        /// <summary>Whether the request asks for a stream (the JSON boolean <c>stream</c> is true).</summary>
        public static bool IsStreamed(ImageRequest request) =>
            request.Fields.TryGetValue(ApiRules.StreamField, out var stream) && stream is bool on && on;

        /// <summary>
        /// A streamed request answered with a 2xx <c>text/event-stream</c>. A server that ignores <c>stream</c>
        /// and answers JSON is read as usual; failure statuses are read (and retried) as usual.
        /// </summary>
        private static bool IsEventStream(ImageRequest request, HttpResponseMessage response) =>
            IsStreamed(request) && response.IsSuccessStatusCode
            && string.Equals(response.Content.Headers.ContentType?.MediaType, EventStreamMediaType, StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Reads a streamed answer: each event's data is decoded as it arrives (<see cref="ImageEventStream"/>), partial
        /// and final images go to <paramref name="onImage"/> when their event ends. While the stream is open, the per-attempt time
        /// limit bounds the wait from the last complete event, not the whole answer: each event that ends pushes the
        /// attempt's deadline back, and bytes that make no event (keep-alive comments, an event trickling in) do not. The request
        /// was accepted (2xx), so a stream that breaks, stalls or ends before its final image may have been billed
        /// (<see cref="RetryPolicy.Settle"/> says so from the exchange).
        /// </summary>
        private async Task<Answer> ReadEventStreamAsync(HttpResponseMessage response, Exchange exchange, CancellationTokenSource attempt, CancellationToken userToken, ImageRequest request, Action<StreamedImage>? onImage)
        {
            string? requestId = exchange.RequestId;
            int status = (int)response.StatusCode;
            using var events = new ImageEventStream(_settings.MaximumImageBytes, status, _settings.Redactor.Redact(requestId),
                data => CheckIsImage(data, ApiProblem.StreamedNotAnImage), exchange, onImage, request.PartialImages ?? 0, request.ExpectedCount);
            var reader = new ServerSentEventReader(events);
            try
            {
                int ended = 0;
                await ReadBodyAsync(response, exchange, data =>
                {
                    reader.Feed(data);
                    if (events.EventsEnded == ended) return;
                    ended = events.EventsEnded;
                    attempt.CancelAfter(_settings.Timeout);
                }, long.MaxValue, attempt.Token, userToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (attempt.IsCancellationRequested && !userToken.IsCancellationRequested)
            {
                throw new ApiException(FailureKind.Timeout, ApiProblem.StreamWentQuiet, _settings.Timeout.TotalSeconds);
            }
            catch (ApiException broke) when (broke.Kind == FailureKind.Connection)
            {
                throw new ApiException(FailureKind.Connection, ApiProblem.StreamCut, broke.InnerException, RetryPolicy.Innermost(broke.InnerException)?.Message);
            }
            if (events.Completed.Count == 0) throw new ApiException(FailureKind.Connection, ApiProblem.StreamEndedEarly);

            var answer = new Answer
            {
                Created = events.Created,
                Usage = events.Usage,
                RequestId = requestId,
                Settings = events.Settings,
                ImagesRefused = events.FinalsRefused,
                PartialImagesRefused = events.PartialsRefused,
            };
            foreach (var (data, header, revisedPrompt) in events.Completed) answer.Entries.Add((data, header, null, revisedPrompt));
            return answer;
        }
    }
}
