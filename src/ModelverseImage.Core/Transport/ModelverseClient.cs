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

        /// <summary>Sends a request whose answer is not streamed (see the overload below).</summary>
        public Task<ImageAnswer> SendAsync(ImageRequest request, CancellationToken cancellationToken) => SendAsync(request, null, cancellationToken);

        /// <summary>
        /// Sends the request (retrying what cannot have been billed, see <see cref="RetryPolicy"/>) and returns the
        /// decoded images. Images answered as URLs are downloaded afterwards, each download retried alone on its own
        /// time budget: the generation is never sent again for them. For a streamed request (stream=true) answered as
        /// server-sent events, <paramref name="onImage"/> is called, on the reading thread, for each partial and final
        /// image as soon as its event has arrived (the final images are in the answer too).
        /// </summary>
        public async Task<ImageAnswer> SendAsync(ImageRequest request, Action<StreamedImage>? onImage, CancellationToken cancellationToken)
        {
            var answer = await WithRetriesAsync(() => SendOnceAsync(request, onImage, cancellationToken), download: false, giveUp: null, cancellationToken).ConfigureAwait(false);
            var images = new List<AnswerImage>(answer.Entries.Count);
            foreach (var entry in answer.Entries)
            {
                var (data, header) = entry.Data.HasValue
                    ? (entry.Data.Value, entry.Header)
                    : await DownloadWithRetriesAsync(entry.Url!, answer.RequestId, cancellationToken).ConfigureAwait(false);
                images.Add(new AnswerImage(data, header, _settings.Redactor.Redact(entry.RevisedPrompt)));
            }
            return new ImageAnswer(images, answer.Created, answer.Usage, _settings.Redactor.Redact(answer.RequestId), answer.Settings)
            {
                ImagesRefused = answer.ImagesRefused,
                PartialImagesRefused = answer.PartialImagesRefused,
            };
        }

        /// <summary>
        /// One attempt: sends the request and reads its answer, keeping the <see cref="Exchange"/> record of how far it
        /// got; any failure is settled from that record (<see cref="RetryPolicy.Settle"/>).
        /// </summary>
        private async Task<Answer> SendOnceAsync(ImageRequest request, Action<StreamedImage>? onImage, CancellationToken cancellationToken)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_settings.Timeout);
            var exchange = new Exchange(billable: true);
            var opened = new List<Stream>();
            string what = "POST " + request.Path;
            try
            {
                var restRequest = Build(request, opened);
                _log.Debug("Sending " + request.Describe());
                return await ExecuteAsync(restRequest, exchange,
                    response => IsEventStream(request, response)
                        ? ReadEventStreamAsync(response, exchange, attempt, cancellationToken, request, onImage)
                        : ReadAnswerAsync(response, exchange, request.ExpectedCount, attempt.Token, cancellationToken), attempt.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (!(failure is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (attempt.IsCancellationRequested) exchange.TimedOut();
                throw _retry.Settle(failure, exchange.Record(), exchange.RequestId, what);
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

            /// <summary>Images the answer held beyond those asked for: not decoded, not downloaded.</summary>
            public int ImagesRefused { get; set; }
            public int PartialImagesRefused { get; set; }
        }

        private async Task<Answer> ReadAnswerAsync(HttpResponseMessage response, Exchange exchange, int expectedImages, CancellationToken attemptToken, CancellationToken userToken)
        {
            string? requestId = exchange.RequestId;
            int status = (int)response.StatusCode;
            if (status / 100 == 3)
                throw new ApiException(FailureKind.InvalidRequest, ApiProblem.Redirect, _settings.Redactor.Show(response.Headers.Location)) { StatusCode = status };
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, exchange, requestId, attemptToken, userToken).ConfigureAwait(false);

            // Images beyond those asked for are not decoded (nor, as urls, downloaded): an answer holds at most n images.
            using var scanner = new ImageJsonScanner(response.Content.Headers.ContentLength, expectedImages, _settings.MaximumImageBytes, decodedImages: expectedImages);
            await ReadBodyAsync(response, exchange, scanner.Feed, long.MaxValue, attemptToken, userToken).ConfigureAwait(false);
            scanner.Complete();
            var parsed = ResponseParser.ParseSkeleton(scanner.Skeleton, status, requestId);
            var answer = new Answer { Created = parsed.Created, Usage = parsed.Usage, RequestId = requestId, Settings = parsed.Settings };
            answer.ImagesRefused = Math.Max(0, parsed.Data.Count - expectedImages);
            foreach (var entry in parsed.Data.Take(expectedImages))
            {
                bool decoded = entry.ImageIndex >= 0 && entry.ImageIndex < scanner.Images.Count && scanner.Images[entry.ImageIndex].Length > 0;
                if (!decoded && entry.Url is null) throw new ApiException(FailureKind.InvalidResponse, ApiProblem.EmptyImage);
                if (!decoded)
                {
                    answer.Entries.Add((null, default, entry.Url, entry.RevisedPrompt));
                    continue;
                }
                var data = scanner.Images[entry.ImageIndex].Detach();
                answer.Entries.Add((data, CheckIsImage(data, ApiProblem.AnswerNotAnImage), null, entry.RevisedPrompt));
            }
            return answer;
        }

        /// <summary>
        /// Refuses decoded bytes that are not PNG, JPEG or WebP by their magic bytes (InvalidResponse, never retried);
        /// returns the header it read, which the image carries on so that nothing reads it again.
        /// </summary>
        /// <param name="problem">What the failure is, by where the bytes came from (an answer, a stream, a url's download).</param>
        private static Imaging.ImageHeader CheckIsImage(ArraySegment<byte> data, ApiProblem problem)
        {
            var bytes = new ReadOnlySpan<byte>(data.Array, data.Offset, data.Count);
            var header = Imaging.ImageSniffer.Read(bytes);
            if (header.Format != Imaging.ImageFormat.Unknown) return header;
            var start = bytes.Slice(0, Math.Min(8, bytes.Length)).ToArray();
            throw new ApiException(FailureKind.InvalidResponse, problem, (long)data.Count, BitConverter.ToString(start));
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
