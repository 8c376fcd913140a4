using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using RestSharp;

namespace ModelverseImage.Api
{
    /// <summary>
    /// The HTTP client of the images API, built on RestSharp. One instance serves one cmdlet call: its
    /// requests share connections and the 429 slow-down. Bodies are streamed: images are decoded from the
    /// socket as they arrive and never held as text.
    /// </summary>
    public sealed partial class ModelverseClient : IDisposable
    {
        private const int ReadBufferSize = 64 * 1024;
        private const int MaxErrorBodyBytes = 64 * 1024;
        private const int MaxRedirects = 5;

        private readonly ClientSettings _settings;
        private readonly IClientLog _log;
        private readonly RestClient _rest;
        private readonly RetryPolicy _retry;
        private readonly SharedBackoff _backoff = new SharedBackoff();

        public ModelverseClient(ClientSettings settings, IClientLog? log = null)
        {
            _settings = settings;
            _log = log ?? NullClientLog.Instance;
            _retry = new RetryPolicy(settings);
            var handler = new HttpClientHandler
            {
                // Redirects are followed by hand so the key never travels to another host.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                // .NET Framework allows 2 connections per host by default; bulk edits need more.
                MaxConnectionsPerServer = 256,
            };
            var http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            var options = new RestClientOptions(settings.BaseWithSlash)
            {
                UserAgent = settings.UserAgent,
                ThrowOnAnyError = false,
                // RestSharp's own limit (100 s until the headers) would cut off slow high-quality images;
                // the time limit is enforced per attempt by this client instead.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _rest = new RestClient(http, options, disposeHttpClient: true);
        }

        /// <summary>RestSharp's own timeout (infinite: this client enforces the per-attempt time limit).</summary>
        internal TimeSpan? RestTimeout => _rest.Options.Timeout;

        /// <summary>
        /// Sends the request (retrying what cannot have been billed, see <see cref="RetryPolicy"/>) and returns the
        /// decoded images. Images answered as URLs are downloaded afterwards, each download retried alone on its own
        /// time budget: the generation is never sent again for them.
        /// </summary>
        public Task<ImageResult> SendAsync(ImageRequest request, CancellationToken cancellationToken) => SendAsync(request, null, cancellationToken);

        /// <summary>
        /// As <see cref="SendAsync(ImageRequest, CancellationToken)"/>; for a streamed request (stream=true) answered as
        /// server-sent events, <paramref name="onPartial"/> is called, on the reading thread, for each partial image
        /// as soon as its event has arrived.
        /// </summary>
        public async Task<ImageResult> SendAsync(ImageRequest request, Action<PartialImage>? onPartial, CancellationToken cancellationToken)
        {
            var answer = await GenerateAsync(request, onPartial, cancellationToken).ConfigureAwait(false);
            try
            {
                var images = new List<ResultImage>(answer.Entries.Count);
                foreach (var entry in answer.Entries)
                {
                    var (data, header) = entry.Data.HasValue
                        ? (entry.Data.Value, entry.Header)
                        : await DownloadWithRetriesAsync(entry.Url!, answer.RequestId, cancellationToken).ConfigureAwait(false);
                    images.Add(new ResultImage(data, header, entry.RevisedPrompt));
                }
                return new ImageResult(images, answer.Created, answer.Usage, answer.RequestId, answer.Settings);
            }
            catch (Exception unexpected) when (!(unexpected is OperationCanceledException) && !(unexpected is ApiException))
            {
                throw Unexpected(unexpected, 1);
            }
        }

        private Task<Answer> GenerateAsync(ImageRequest request, Action<PartialImage>? onPartial, CancellationToken cancellationToken) =>
            WithRetriesAsync(() => SendOnceAsync(request, onPartial, cancellationToken), "Retry", sharedBackoff: true, giveUp: null, cancellationToken);

        private async Task<Answer> SendOnceAsync(ImageRequest request, Action<PartialImage>? onPartial, CancellationToken cancellationToken)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_settings.Timeout);
            var sent = new SendTracker();
            var opened = new List<Stream>();
            string what = "POST " + request.Path;
            try
            {
                var restRequest = Build(request, opened);
                _log.Debug("Sending " + request.Describe());
                return await ExecuteAsync(restRequest, what,
                    response => IsEventStream(request, response)
                        ? ReadEventStreamAsync(response, what, attempt, cancellationToken, onPartial)
                        : ReadAnswerAsync(response, request.ExpectedCount, what, attempt.Token, cancellationToken), sent, attempt.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw sent.BodySent ? AnswerLost(what, TimedOutText(), timedOut: true, 0, null, ex) : TimedOut(ex);
            }
            finally
            {
                foreach (var stream in opened) stream.Dispose();
            }
        }

        /// <summary>A generation's answer: decoded images (checked, with the header read then), and URLs still to download.</summary>
        private sealed class Answer
        {
            public List<(ArraySegment<byte>? Data, Imaging.ImageHeader Header, string? Url, string? RevisedPrompt)> Entries { get; } =
                new List<(ArraySegment<byte>?, Imaging.ImageHeader, string?, string?)>();
            public DateTimeOffset? Created { get; set; }
            public TokenUsage? Usage { get; set; }
            public string? RequestId { get; set; }
            public AnswerSettings Settings { get; set; } = AnswerSettings.None;
        }

        private async Task<Answer> ReadAnswerAsync(HttpResponseMessage response, int expectedImages, string what, CancellationToken attemptToken, CancellationToken userToken)
        {
            string? requestId = Header(response, "x-request-id");
            int status = (int)response.StatusCode;
            if (status / 100 == 3)
                throw new ApiException(FailureKind.InvalidRequest,
                    $"The API answered with a redirect (HTTP {status}) to '{response.Headers.Location}'. The key is not sent on redirects, so the redirect was not followed.")
                { StatusCode = status, RequestId = requestId };
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, requestId, attemptToken, userToken).ConfigureAwait(false);

            // From here on the request was accepted (2xx): whatever goes wrong, the image may have been billed.
            using var scanner = new ImageJsonScanner(response.Content.Headers.ContentLength, expectedImages, _settings.MaximumImageBytes);
            try
            {
                await ReadBodyAsync(response, scanner.Feed, long.MaxValue, what, requestId ?? string.Empty, attemptToken, userToken).ConfigureAwait(false);
                scanner.Complete();
            }
            catch (ApiException refused) when (refused.Kind == FailureKind.InvalidResponse && refused.RequestId is null && requestId != null)
            {
                // The scanner's refusals (too large, not base64) know nothing of the request: add its id.
                throw WithRequestId(refused, status, requestId);
            }
            var parsed = ResponseParser.ParseSkeleton(scanner.Skeleton, status, requestId);
            var answer = new Answer { Created = parsed.Created, Usage = parsed.Usage, RequestId = requestId, Settings = parsed.Settings };
            foreach (var entry in parsed.Data)
            {
                bool decoded = entry.ImageIndex >= 0 && scanner.Images[entry.ImageIndex].Length > 0;
                if (!decoded && entry.Url is null)
                    throw new ApiException(FailureKind.InvalidResponse, "The API answered with an empty image.") { StatusCode = status, RequestId = requestId };
                if (!decoded)
                {
                    answer.Entries.Add((null, default, entry.Url, entry.RevisedPrompt));
                    continue;
                }
                var data = scanner.Images[entry.ImageIndex].Detach();
                var header = CheckIsImage(data, "The API answered", status, requestId);
                answer.Entries.Add((data, header, null, entry.RevisedPrompt));
            }
            return answer;
        }

        /// <summary>
        /// Refuses decoded bytes that are not PNG, JPEG or WebP by their magic bytes (InvalidResponse, never retried);
        /// returns the header it read, which the image carries on so that nothing reads it again.
        /// </summary>
        private static Imaging.ImageHeader CheckIsImage(ArraySegment<byte> data, string source, int status, string? requestId)
        {
            var bytes = new ReadOnlySpan<byte>(data.Array, data.Offset, data.Count);
            var header = Imaging.ImageSniffer.Read(bytes);
            if (header.Format != Imaging.ImageFormat.Unknown) return header;
            var start = bytes.Slice(0, Math.Min(8, bytes.Length)).ToArray();
            throw new ApiException(FailureKind.InvalidResponse, string.Format(CultureInfo.InvariantCulture,
                "{0} with data that is not a PNG, JPEG or WebP image ({1:N0} bytes beginning {2}). The request may have been billed, so it is not sent again.{3}",
                source, data.Count, start.Length == 0 ? "with nothing" : BitConverter.ToString(start), requestId is null ? string.Empty : " Request id: " + requestId + "."))
            { StatusCode = status, RequestId = requestId };
        }

        private RestRequest Build(ImageRequest request, List<Stream> opened)
        {
            var rest = new RestRequest(_settings.Endpoint(request.Path), Method.Post) { CompletionOption = HttpCompletionOption.ResponseHeadersRead };
            rest.AddHeader("Authorization", _settings.ApiKey.AuthorizationHeader);
            if (!request.IsEdit)
            {
                rest.AddStringBody(System.Text.Encoding.UTF8.GetString(request.ToJson()), ContentType.Json);
                return rest;
            }
            rest.AlwaysMultipartFormData = true;
            foreach (var field in request.FormFields()) rest.AddParameter(field.Key, field.Value, ParameterType.GetOrPost);
            foreach (var part in request.FileParts()) AddFile(rest, part.Part, part.FileName, part.Upload, opened);
            return rest;
        }

        private static void AddFile(RestRequest rest, string name, string fileName, ImageUpload upload, List<Stream> opened)
        {
            rest.AddFile(name, () =>
            {
                var stream = upload.Open();
                lock (opened) opened.Add(stream);
                return stream;
            }, fileName, upload.ContentType);
        }

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        public void Dispose() => _rest.Dispose();
    }
}
