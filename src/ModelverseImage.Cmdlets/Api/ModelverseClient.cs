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
    public sealed class ModelverseClient : IDisposable
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

        /// <summary>Sends the request (retrying transient failures) and returns the decoded images.</summary>
        public async Task<ImageResult> SendAsync(ImageRequest request, CancellationToken cancellationToken)
        {
            for (int attempt = 0; ; attempt++)
            {
                await _backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException failure) when (_retry.ShouldRetry(failure, attempt))
                {
                    var delay = _retry.DelayFor(failure, attempt);
                    if (failure.Kind == FailureKind.RateLimited) _backoff.PauseFor(delay);
                    _log.Retrying(string.Format(CultureInfo.InvariantCulture,
                        "Retry {0} of {1} in {2:0.0} s: {3}", attempt + 1, _settings.MaximumRetryCount, delay.TotalSeconds, failure.Message), delay);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException failure)
                {
                    failure.Attempts = attempt + 1;
                    throw;
                }
                catch (Exception unexpected) when (!(unexpected is OperationCanceledException))
                {
                    // Lower layers may quote what they were given (a header value holds the key): redact, and
                    // keep no inner exception whose message could still hold it.
                    throw new ApiException(FailureKind.Unexpected,
                        $"{unexpected.GetType().Name}: {_settings.ApiKey.Redact(unexpected.Message)}") { Attempts = attempt + 1 };
                }
            }
        }

        private async Task<ImageResult> SendOnceAsync(ImageRequest request, CancellationToken cancellationToken)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_settings.Timeout);
            var opened = new List<Stream>();
            try
            {
                var restRequest = Build(request, opened);
                _log.Debug("Sending " + request.Describe());
                return await ExecuteAsync(restRequest, "POST " + request.Path,
                    response => ReadAnswerAsync(response, request.ExpectedCount, attempt.Token, cancellationToken), attempt.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(ex);
            }
            finally
            {
                foreach (var stream in opened) stream.Dispose();
            }
        }

        private async Task<ImageResult> ReadAnswerAsync(HttpResponseMessage response, int expectedImages, CancellationToken attemptToken, CancellationToken userToken)
        {
            string? requestId = Header(response, "x-request-id");
            int status = (int)response.StatusCode;
            if (status / 100 == 3)
                throw new ApiException(FailureKind.InvalidRequest,
                    $"The API answered with a redirect (HTTP {status}) to '{response.Headers.Location}'. The key is not sent on redirects: set -BaseUri to the final address.")
                { StatusCode = status, RequestId = requestId };
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, requestId, attemptToken, userToken).ConfigureAwait(false);

            using var scanner = new ImageJsonScanner(response.Content.Headers.ContentLength, expectedImages);
            await ReadBodyAsync(response, scanner.Feed, long.MaxValue, attemptToken, userToken).ConfigureAwait(false);
            scanner.Complete();
            var answer = ResponseParser.ParseSkeleton(scanner.Skeleton, status, requestId);
            var images = new List<ResultImage>(answer.Data.Count);
            foreach (var entry in answer.Data)
            {
                bool decoded = entry.ImageIndex >= 0 && scanner.Images[entry.ImageIndex].Length > 0;
                if (!decoded && entry.Url is null)
                    throw new ApiException(FailureKind.InvalidResponse, "The API answered with an empty image.") { StatusCode = status, RequestId = requestId };
                var data = decoded
                    ? scanner.Images[entry.ImageIndex].Detach()
                    : await DownloadWithRetriesAsync(entry.Url!, attemptToken, userToken).ConfigureAwait(false);
                images.Add(new ResultImage(data, entry.RevisedPrompt));
            }
            return new ImageResult(images, answer.Created, answer.Usage, requestId);
        }

        private RestRequest Build(ImageRequest request, List<Stream> opened)
        {
            var rest = new RestRequest(request.Path, Method.Post) { CompletionOption = HttpCompletionOption.ResponseHeadersRead };
            rest.AddHeader("Authorization", _settings.ApiKey.AuthorizationHeader);
            if (!request.IsEdit)
            {
                rest.AddStringBody(System.Text.Encoding.UTF8.GetString(request.ToJson()), ContentType.Json);
                return rest;
            }
            rest.AlwaysMultipartFormData = true;
            foreach (var field in request.FormFields()) rest.AddParameter(field.Key, field.Value, ParameterType.GetOrPost);
            foreach (var image in request.Images) AddFile(rest, request.ImagePartName, image, opened);
            if (request.Mask != null) AddFile(rest, "mask", request.Mask, opened);
            return rest;
        }

        private static void AddFile(RestRequest rest, string name, ImageUpload upload, List<Stream> opened)
        {
            rest.AddFile(name, () =>
            {
                var stream = upload.Open();
                lock (opened) opened.Add(stream);
                return stream;
            }, upload.FileName, upload.ContentType);
        }

        /// <summary>
        /// Runs a request and hands the live response (headers read, body not yet read) to
        /// <paramref name="handle"/> before RestSharp disposes it; RestSharp's default would buffer the whole
        /// body and copy it into a string.
        /// </summary>
        private async Task<T> ExecuteAsync<T>(RestRequest request, string what, Func<HttpResponseMessage, Task<T>> handle, CancellationToken attemptToken, CancellationToken userToken)
        {
            var reader = new ResponseInterceptor<T>(handle);
            request.Interceptors = new List<RestSharp.Interceptors.Interceptor> { reader };
            request.AdvancedResponseWriter = (message, req) => new RestResponse(req) { StatusCode = message.StatusCode, ResponseStatus = ResponseStatus.Completed };
            var response = await _rest.ExecuteAsync(request, attemptToken).ConfigureAwait(false);
            var error = response.ErrorException;
            if (error is ApiException failure) throw failure;
            userToken.ThrowIfCancellationRequested();
            if (error is OperationCanceledException && attemptToken.IsCancellationRequested) throw TimedOut(error);
            if (error == null && reader.Handled) return reader.Result;
            if (error == null) throw new ApiException(FailureKind.Connection, $"No answer from {_settings.BaseUri.Host} ({what}).");
            if (reader.Handled) ExceptionDispatchInfo.Capture(error).Throw();
            throw new ApiException(FailureKind.Connection,
                $"Could not reach {_settings.BaseUri.Host} ({what}): {_settings.ApiKey.Redact(Innermost(error)?.Message ?? response.ErrorMessage ?? "no answer")}", error);
        }

        /// <summary>Reads the response inside RestSharp's pipeline, while the response is still open.</summary>
        private sealed class ResponseInterceptor<T> : RestSharp.Interceptors.Interceptor
        {
            private readonly Func<HttpResponseMessage, Task<T>> _handle;

            public ResponseInterceptor(Func<HttpResponseMessage, Task<T>> handle) => _handle = handle;

            public bool Handled { get; private set; }
            public T Result { get; private set; } = default!;

            public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
            {
                Handled = true;
                Result = await _handle(responseMessage).ConfigureAwait(false);
            }
        }

        private ApiException TimedOut(Exception? inner) => new ApiException(FailureKind.Timeout,
            string.Format(CultureInfo.InvariantCulture, "No complete answer from {0} within {1:0.#} s (-TimeoutSec).", _settings.BaseUri.Host, _settings.Timeout.TotalSeconds), inner);

        private static Exception? Innermost(Exception? ex)
        {
            while (ex?.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        private async Task ReadBodyAsync(HttpResponseMessage response, SpanAction consume, long limit, CancellationToken attemptToken, CancellationToken userToken)
        {
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
                    catch (Exception ex) when (ex is IOException || ex is HttpRequestException || (ex is ObjectDisposedException && attemptToken.IsCancellationRequested))
                    {
                        userToken.ThrowIfCancellationRequested();
                        if (attemptToken.IsCancellationRequested) throw TimedOut(ex);
                        throw new ApiException(FailureKind.Connection, $"The connection to {_settings.BaseUri.Host} broke while the answer was arriving: {Innermost(ex)?.Message}", ex)
                        { StatusCode = (int)response.StatusCode };
                    }
                    if (read == 0) break;
                    total += read;
                    if (total > limit) throw new ApiException(FailureKind.InvalidResponse, $"The download is larger than {limit:N0} bytes.");
                    consume(new ReadOnlySpan<byte>(buffer, 0, read));
                }
                long? expected = response.Content.Headers.ContentLength;
                if (expected.HasValue && total < expected.Value)
                    throw new ApiException(FailureKind.Connection, $"The answer was cut short: {total:N0} of {expected.Value:N0} bytes arrived.") { StatusCode = (int)response.StatusCode };
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
                }, long.MaxValue, attemptToken, userToken).ConfigureAwait(false);
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
        /// for), so a failure here must not send the generation again.
        /// </summary>
        private async Task<ArraySegment<byte>> DownloadWithRetriesAsync(string url, CancellationToken attemptToken, CancellationToken userToken)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    return await DownloadAsync(url, attemptToken, userToken).ConfigureAwait(false);
                }
                catch (ApiException failure) when (_retry.ShouldRetry(failure, attempt))
                {
                    var delay = _retry.DelayFor(failure, attempt);
                    _log.Retrying(string.Format(CultureInfo.InvariantCulture,
                        "Download retry {0} of {1} in {2:0.0} s: {3}", attempt + 1, _settings.MaximumRetryCount, delay.TotalSeconds, failure.Message), delay);
                    await Task.Delay(delay, attemptToken).ConfigureAwait(false);
                }
                catch (ApiException failure)
                {
                    throw new ApiException(failure.Kind, "The image was generated, but downloading it failed: " + failure.Message)
                    {
                        StatusCode = failure.StatusCode, ApiMessage = failure.ApiMessage, ErrorCode = failure.ErrorCode, ErrorType = failure.ErrorType,
                        RequestId = failure.RequestId, ShouldRetry = false, Attempts = attempt + 1,
                    };
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
                using var scanner = new ImageJsonScanner();
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
                var next = await ExecuteAsync(request, "GET " + target.GetLeftPart(UriPartial.Path), async response =>
                {
                    int status = (int)response.StatusCode;
                    if (status / 100 == 3 && response.Headers.Location != null && hop < MaxRedirects)
                        return (Redirect: new Uri(target, response.Headers.Location), Bytes: (ArraySegment<byte>?)null);
                    if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, Header(response, "x-request-id"), attemptToken, userToken).ConfigureAwait(false);
                    using var buffer = new SegmentedBuffer();
                    await ReadBodyAsync(response, buffer.Write, _settings.MaximumDownloadBytes, attemptToken, userToken).ConfigureAwait(false);
                    return (Redirect: (Uri?)null, Bytes: (ArraySegment<byte>?)buffer.Detach());
                }, attemptToken, userToken).ConfigureAwait(false);
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
