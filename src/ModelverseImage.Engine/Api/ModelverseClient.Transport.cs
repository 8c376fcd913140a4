using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using RestSharp;

namespace ModelverseImage.Api
{
    /// <summary>Sending a request through RestSharp and reading its body as it arrives.</summary>
    public sealed partial class ModelverseClient
    {
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
    }
}
