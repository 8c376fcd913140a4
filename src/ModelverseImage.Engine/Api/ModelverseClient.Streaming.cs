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
        internal static bool IsStreamed(ImageRequest request) =>
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
        /// images go to <paramref name="onPartial"/> when their event ends. While the stream is open, the per-attempt time limit bounds
        /// the wait for the next bytes, not the whole answer: every read pushes the attempt's deadline back. The request
        /// was accepted (2xx), so a stream that breaks, stalls or ends before its final image is
        /// <see cref="FailureKind.AnswerLost"/>, never sent again unless RetryMayBeBilled.
        /// </summary>
        private async Task<Answer> ReadEventStreamAsync(HttpResponseMessage response, string what, CancellationTokenSource attempt, CancellationToken userToken, Action<PartialImage>? onPartial)
        {
            string? requestId = Header(response, "x-request-id");
            int status = (int)response.StatusCode;
            using var events = new ImageEventStream(_settings.MaximumImageBytes, status, requestId,
                data => CheckIsImage(data, "The API streamed an image", status, requestId), onPartial);
            var reader = new ServerSentEventReader(events);
            try
            {
                await ReadBodyAsync(response, data =>
                {
                    attempt.CancelAfter(_settings.Timeout);
                    reader.Feed(data);
                }, long.MaxValue, what, requestId ?? string.Empty, attempt.Token, userToken).ConfigureAwait(false);
            }
            catch (ApiException lost) when (lost.Kind == FailureKind.AnswerLost)
            {
                string reason = lost.TimedOut
                    ? string.Format(CultureInfo.InvariantCulture,
                        "The stream of events from {0} went quiet: nothing arrived for {1:0.#} s (the time limit, which in a stream limits the wait between events) after {2}",
                        _settings.BaseUri.Host, _settings.Timeout.TotalSeconds, Received(events))
                    : $"The stream of events was cut after {Received(events)}: {Innermost(lost.InnerException)?.Message ?? "the connection closed"}";
                throw AnswerLost(what, reason, lost.TimedOut, status, requestId, lost.InnerException);
            }
            catch (ApiException refused) when (refused.Kind == FailureKind.InvalidResponse && refused.RequestId is null && requestId != null)
            {
                throw WithRequestId(refused, status, requestId);
            }
            if (events.Completed.Count == 0)
                throw AnswerLost(what, $"The stream of events ended after {Received(events)}", timedOut: false, status, requestId, null);

            var answer = new Answer { Created = events.Created, Usage = events.Usage, RequestId = requestId, Settings = events.Settings };
            foreach (var (data, header, revisedPrompt) in events.Completed) answer.Entries.Add((data, header, null, revisedPrompt));
            return answer;
        }

        private static string Received(ImageEventStream events) =>
            (events.Partials == 1 ? "1 partial image" : events.Partials.ToString(CultureInfo.InvariantCulture) + " partial images")
            + (events.Completed.Count == 0 ? " and before the final image" : string.Empty);
    }
}
