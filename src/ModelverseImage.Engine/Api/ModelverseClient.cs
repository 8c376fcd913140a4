using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Runtime.ExceptionServices;
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
                // -TimeoutSec is enforced per attempt by this client instead.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _rest = new RestClient(http, options, disposeHttpClient: true);
        }

        /// <summary>RestSharp's own timeout (infinite: this client enforces -TimeoutSec).</summary>
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
                    var data = entry.Data ?? await DownloadWithRetriesAsync(entry.Url!, answer.RequestId, cancellationToken).ConfigureAwait(false);
                    images.Add(new ResultImage(data, entry.RevisedPrompt));
                }
                return new ImageResult(images, answer.Created, answer.Usage, answer.RequestId, answer.Settings);
            }
            catch (Exception unexpected) when (!(unexpected is OperationCanceledException) && !(unexpected is ApiException))
            {
                throw Unexpected(unexpected, 1);
            }
        }

        private async Task<Answer> GenerateAsync(ImageRequest request, Action<PartialImage>? onPartial, CancellationToken cancellationToken)
        {
            for (int attempt = 0; ; attempt++)
            {
                await _backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await SendOnceAsync(request, onPartial, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException failure) when (_retry.ShouldRetry(failure, attempt))
                {
                    var delay = _retry.DelayFor(failure, attempt);
                    if (failure.Kind == FailureKind.RateLimited) _backoff.PauseFor(delay);
                    string billed = failure.Kind == FailureKind.AnswerLost ? " (retrying a request that may have been billed, as allowed)" : string.Empty;
                    _log.Retrying(string.Format(CultureInfo.InvariantCulture,
                        "Retry {0} of {1} in {2:0.0} s{3}: {4}", attempt + 1, _settings.MaximumRetryCount, delay.TotalSeconds, billed, failure.Message), delay);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException failure)
                {
                    failure.Attempts = attempt + 1;
                    throw;
                }
                catch (Exception unexpected) when (!(unexpected is OperationCanceledException))
                {
                    throw Unexpected(unexpected, attempt + 1);
                }
            }
        }

        /// <summary>
        /// Lower layers may quote what they were given (a header value holds the key): redact, and keep no inner
        /// exception whose message could still hold it.
        /// </summary>
        private ApiException Unexpected(Exception unexpected, int attempts) =>
            new ApiException(FailureKind.Unexpected, $"{unexpected.GetType().Name}: {_settings.ApiKey.Redact(unexpected.Message)}") { Attempts = attempts };

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

        /// <summary>A generation's answer: decoded images, and URLs still to download.</summary>
        private sealed class Answer
        {
            public List<(ArraySegment<byte>? Data, string? Url, string? RevisedPrompt)> Entries { get; } = new List<(ArraySegment<byte>?, string?, string?)>();
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
                    $"The API answered with a redirect (HTTP {status}) to '{response.Headers.Location}'. The key is not sent on redirects: set -BaseUri to the final address.")
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
                throw new ApiException(refused.Kind, refused.Message + " Request id: " + requestId + ".", refused) { StatusCode = status, RequestId = requestId };
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
                    answer.Entries.Add((null, entry.Url, entry.RevisedPrompt));
                    continue;
                }
                var data = scanner.Images[entry.ImageIndex].Detach();
                CheckIsImage(data, "The API answered", status, requestId);
                answer.Entries.Add((data, null, entry.RevisedPrompt));
            }
            return answer;
        }

        /// <summary>Refuses decoded bytes that are not PNG, JPEG or WebP by their magic bytes (InvalidResponse, never retried).</summary>
        private static void CheckIsImage(ArraySegment<byte> data, string source, int status, string? requestId)
        {
            var bytes = new ReadOnlySpan<byte>(data.Array, data.Offset, data.Count);
            if (Imaging.ImageSniffer.Read(bytes).Format != Imaging.ImageFormat.Unknown) return;
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

        /// <summary>
        /// Runs a request and hands the live response (headers read, body not yet read) to
        /// <paramref name="handle"/> before RestSharp disposes it; RestSharp's default would buffer the whole
        /// body and copy it into a string. With <paramref name="sent"/> (a request that may be billed), a failure
        /// before any answer arrived is classified by whether the request body had been fully sent.
        /// </summary>
        private async Task<T> ExecuteAsync<T>(RestRequest request, string what, Func<HttpResponseMessage, Task<T>> handle, SendTracker? sent, CancellationToken attemptToken, CancellationToken userToken)
        {
            var reader = new ResponseInterceptor<T>(handle, sent);
            request.Interceptors = new List<RestSharp.Interceptors.Interceptor> { reader };
            request.AdvancedResponseWriter = (message, req) => new RestResponse(req) { StatusCode = message.StatusCode, ResponseStatus = ResponseStatus.Completed };
            var response = await _rest.ExecuteAsync(request, attemptToken).ConfigureAwait(false);
            var error = response.ErrorException;
            if (error is ApiException failure) throw failure;
            userToken.ThrowIfCancellationRequested();
            if (error == null && reader.Handled) return reader.Result;
            bool timedOut = error is OperationCanceledException && attemptToken.IsCancellationRequested;
            if (reader.Handled)
            {
                // Headers arrived; the readers turn their own failures into ApiExceptions, so this is a leftover.
                if (!timedOut) ExceptionDispatchInfo.Capture(error!).Throw();
                if (sent != null && reader.Status / 100 == 2) throw AnswerLost(what, TimedOutText(), timedOut: true, reader.Status, reader.RequestId, error);
                throw TimedOut(error);
            }
            // No answer arrived. Billed only if the server may have had the whole request.
            string cause = _settings.ApiKey.Redact(Innermost(error)?.Message ?? response.ErrorMessage ?? "no answer");
            if (sent?.BodySent == true)
            {
                string lost = timedOut ? TimedOutText()
                    : $"The connection to {_settings.BaseUri.Host} broke after the request was sent, before any answer ({what}): {cause}";
                throw AnswerLost(what, lost, timedOut, 0, null, error);
            }
            if (timedOut) throw TimedOut(error);
            string reason = error == null ? $"No answer from {_settings.BaseUri.Host} ({what})." : $"Could not reach {_settings.BaseUri.Host} ({what}): {cause}";
            throw new ApiException(FailureKind.Connection, reason, error);
        }

        /// <summary>
        /// Wraps the request body so its sending is tracked (<see cref="SendTracker"/>), and reads the response
        /// inside RestSharp's pipeline, while the response is still open.
        /// </summary>
        private sealed class ResponseInterceptor<T> : RestSharp.Interceptors.Interceptor
        {
            private readonly Func<HttpResponseMessage, Task<T>> _handle;
            private readonly SendTracker? _sent;

            public ResponseInterceptor(Func<HttpResponseMessage, Task<T>> handle, SendTracker? sent)
            {
                _handle = handle;
                _sent = sent;
            }

            public bool Handled { get; private set; }
            public int Status { get; private set; }
            public string? RequestId { get; private set; }
            public T Result { get; private set; } = default!;

            public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
            {
                if (_sent != null && requestMessage.Content != null) requestMessage.Content = _sent.Wrap(requestMessage.Content);
                return default;
            }

            public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
            {
                Handled = true;
                Status = (int)responseMessage.StatusCode;
                RequestId = Header(responseMessage, "x-request-id");
                Result = await _handle(responseMessage).ConfigureAwait(false);
            }
        }

        private ApiException TimedOut(Exception? inner) => new ApiException(FailureKind.Timeout, TimedOutText(), inner);

        private string TimedOutText() =>
            string.Format(CultureInfo.InvariantCulture, "No complete answer from {0} within {1:0.#} s (-TimeoutSec).", _settings.BaseUri.Host, _settings.Timeout.TotalSeconds);

        /// <summary>
        /// The answer to a request the server may have accepted was lost: the image may have been generated and
        /// billed. Says so, with the request id when headers arrived. Not retried unless RetryMayBeBilled.
        /// </summary>
        private ApiException AnswerLost(string what, string reason, bool timedOut, int status, string? requestId, Exception? inner)
        {
            var message = new System.Text.StringBuilder(reason.TrimEnd('.')).Append('.');
            message.Append(" The request (").Append(what).Append(") had been sent, so the image may have been generated and billed");
            message.Append(_settings.RetryMayBeBilled ? "; resending such requests was allowed, so each attempt may have been billed." : ": it was not sent again, so as not to pay twice.");
            message.Append(requestId is null ? " No request id: no answer headers arrived." : " Request id: " + requestId + ".");
            return new ApiException(FailureKind.AnswerLost, message.ToString(), inner) { StatusCode = status, RequestId = requestId, TimedOut = timedOut };
        }

        private static Exception? Innermost(Exception? ex)
        {
            while (ex?.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        /// <summary>
        /// Reads a body into <paramref name="consume"/>. <paramref name="billedRequestId"/> is non-null (empty when
        /// there was no x-request-id) for the 2xx answer of a generation: its failures are then <see cref="FailureKind.AnswerLost"/> (the request was
        /// accepted); otherwise a broken read is a Connection failure and a timeout a Timeout, both retryable.
        /// </summary>
        private async Task ReadBodyAsync(HttpResponseMessage response, SpanAction consume, long limit, string what, string? billedRequestId, CancellationToken attemptToken, CancellationToken userToken)
        {
            bool billed = billedRequestId != null;
            if (billedRequestId?.Length == 0) billedRequestId = null; // billed, but the answer had no x-request-id
            int status = (int)response.StatusCode;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            long total = 0;
            // .NET Framework's response streams ignore the token once a read is under way: closing the
            // response is what ends a stalled read there.
            using var abort = attemptToken.Register(response.Dispose);
            try
            {
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, 0, buffer.Length, attemptToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException || ex is HttpRequestException
                        || ((ex is ObjectDisposedException || ex is OperationCanceledException) && attemptToken.IsCancellationRequested))
                    {
                        userToken.ThrowIfCancellationRequested();
                        if (attemptToken.IsCancellationRequested)
                            throw billed ? AnswerLost(what, TimedOutText(), timedOut: true, status, billedRequestId, ex) : TimedOut(ex);
                        string broke = $"The connection to {_settings.BaseUri.Host} broke while the answer was arriving: {Innermost(ex)?.Message}";
                        throw billed ? AnswerLost(what, broke, timedOut: false, status, billedRequestId, ex) : new ApiException(FailureKind.Connection, broke, ex) { StatusCode = status };
                    }
                    if (read == 0) break;
                    total += read;
                    if (total > limit) throw new ApiException(FailureKind.InvalidResponse, $"The download is larger than {limit:N0} bytes.");
                    consume(new ReadOnlySpan<byte>(buffer, 0, read));
                }
                long? expected = response.Content.Headers.ContentLength;
                if (expected.HasValue && total < expected.Value)
                {
                    string cut = $"The answer was cut short: {total:N0} of {expected.Value:N0} bytes arrived.";
                    throw billed ? AnswerLost(what, cut, timedOut: false, status, billedRequestId, null) : new ApiException(FailureKind.Connection, cut) { StatusCode = status };
                }
            }
            catch
            {
                // Stop reading at once: a refused or broken answer is not read to its end (nor drained by the handler).
                response.Dispose();
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private delegate void SpanAction(ReadOnlySpan<byte> data);

        private async Task<ApiException> ErrorAsync(HttpResponseMessage response, string? requestId, CancellationToken attemptToken, CancellationToken userToken)
        {
            var body = new MemoryStream();
            try
            {
                await ReadBodyAsync(response, data =>
                {
                    int room = (int)Math.Min(data.Length, MaxErrorBodyBytes - body.Length);
                    if (room > 0) body.Write(data.Slice(0, room).ToArray(), 0, room);
                    else throw new ApiException(FailureKind.InvalidResponse, "The error body is longer than 64 KiB; the rest is not read.");
                }, long.MaxValue, "error body", null, attemptToken, userToken).ConfigureAwait(false);
            }
            catch (ApiException)
            {
                // The status line is what matters; a broken error body still gives a clear error.
            }
            var now = DateTimeOffset.UtcNow;
            var shouldRetryHeader = Header(response, "x-should-retry");
            bool? shouldRetry = shouldRetryHeader == "true" ? true : shouldRetryHeader == "false" ? false : (bool?)null;
            var error = ResponseParser.ErrorFromBody((int)response.StatusCode, response.ReasonPhrase, body.ToArray(), requestId, RetryPolicy.RetryAfter(response, now), shouldRetry);
            return _settings.ApiKey.Redact(error.Message) == error.Message ? error : new ApiException(error.Kind, _settings.ApiKey.Redact(error.Message))
            {
                StatusCode = error.StatusCode, ApiMessage = _settings.ApiKey.Redact(error.ApiMessage), ErrorCode = error.ErrorCode,
                ErrorType = error.ErrorType, RequestId = error.RequestId, RetryAfter = error.RetryAfter, ShouldRetry = error.ShouldRetry,
            };
        }

        /// <summary>
        /// Downloads a url answer, retrying the download alone: the image is already generated (and paid
        /// for), so a failure here must not send the generation again. Each download attempt has its own
        /// -TimeoutSec budget, counted from its own start, not the generation's.
        /// </summary>
        private async Task<ArraySegment<byte>> DownloadWithRetriesAsync(string url, string? generationId, CancellationToken userToken)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    using var budget = CancellationTokenSource.CreateLinkedTokenSource(userToken);
                    budget.CancelAfter(_settings.Timeout);
                    try
                    {
                        var data = await DownloadAsync(url, budget.Token, userToken).ConfigureAwait(false);
                        CheckIsImage(data, "The image URL answered", 200, generationId);
                        return data;
                    }
                    catch (OperationCanceledException ex) when (!userToken.IsCancellationRequested)
                    {
                        throw TimedOut(ex);
                    }
                }
                catch (ApiException failure) when (_retry.ShouldRetry(failure, attempt))
                {
                    var delay = _retry.DelayFor(failure, attempt);
                    _log.Retrying(string.Format(CultureInfo.InvariantCulture,
                        "Download retry {0} of {1} in {2:0.0} s: {3}", attempt + 1, _settings.MaximumRetryCount, delay.TotalSeconds, failure.Message), delay);
                    await Task.Delay(delay, userToken).ConfigureAwait(false);
                }
                catch (ApiException failure)
                {
                    string id = generationId is null ? string.Empty : " [generation request id " + generationId + "]";
                    throw new ApiException(failure.Kind, "The image was generated, but downloading it failed: " + failure.Message + id)
                    {
                        StatusCode = failure.StatusCode, ApiMessage = failure.ApiMessage, ErrorCode = failure.ErrorCode, ErrorType = failure.ErrorType,
                        RequestId = failure.RequestId ?? generationId, ShouldRetry = false, Attempts = attempt + 1,
                    };
                }
                catch (Exception unexpected) when (!(unexpected is OperationCanceledException))
                {
                    throw Unexpected(unexpected, attempt + 1);
                }
            }
        }

        /// <summary>
        /// Fetches an image the API answered with as a URL (or a data: URI). The key goes only to the API's
        /// own origin; redirects are followed without it.
        /// </summary>
        private async Task<ArraySegment<byte>> DownloadAsync(string url, CancellationToken attemptToken, CancellationToken userToken)
        {
            if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                using var scanner = new ImageJsonScanner(maxImageBytes: _settings.MaximumImageBytes);
                scanner.Feed(System.Text.Encoding.UTF8.GetBytes("{\"b64_json\":\"" + url + "\"}"));
                scanner.Complete();
                return scanner.Images[0].Detach();
            }
            if (!Uri.TryCreate(_settings.BaseWithSlash, url, out var target) || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
                throw new ApiException(FailureKind.InvalidResponse, $"The API answered with an image URL that cannot be fetched: '{url}'.");
            for (int hop = 0; ; hop++)
            {
                var request = new RestRequest(target, Method.Get) { CompletionOption = HttpCompletionOption.ResponseHeadersRead };
                if (SameOrigin(target, _settings.BaseUri)) request.AddHeader("Authorization", _settings.ApiKey.AuthorizationHeader);
                string what = "GET " + target.GetLeftPart(UriPartial.Path);
                var next = await ExecuteAsync(request, what, async response =>
                {
                    int status = (int)response.StatusCode;
                    if (status / 100 == 3 && response.Headers.Location != null && hop < MaxRedirects)
                        return (Redirect: new Uri(target, response.Headers.Location), Bytes: (ArraySegment<byte>?)null);
                    if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, Header(response, "x-request-id"), attemptToken, userToken).ConfigureAwait(false);
                    using var buffer = new SegmentedBuffer();
                    await ReadBodyAsync(response, buffer.Write, _settings.MaximumDownloadBytes, what, null, attemptToken, userToken).ConfigureAwait(false);
                    return (Redirect: (Uri?)null, Bytes: (ArraySegment<byte>?)buffer.Detach());
                }, null, attemptToken, userToken).ConfigureAwait(false);
                if (next.Bytes.HasValue) return next.Bytes.Value;
                target = next.Redirect!;
            }
        }

        private static bool SameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        public void Dispose() => _rest.Dispose();
    }
}
