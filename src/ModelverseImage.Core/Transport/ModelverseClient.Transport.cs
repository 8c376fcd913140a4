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
    /// <summary>Sending a request through RestSharp and reading its body as it arrives, recording both in the exchange.</summary>
    public sealed partial class ModelverseClient
    {
        /// <summary>
        /// Runs a request and hands the live response (headers read, body not yet read) to
        /// <paramref name="handle"/> before RestSharp disposes it; RestSharp's default would buffer the whole
        /// body and copy it into a string. The request body is tracked (a billable exchange marks it sent once its
        /// last byte went out) and the status line recorded. Failures are thrown as they are: the caller settles them.
        /// </summary>
        private async Task<T> ExecuteAsync<T>(RestRequest request, Exchange exchange, Func<HttpResponseMessage, Task<T>> handle, CancellationToken attemptToken, CancellationToken userToken)
        {
            var reader = new ResponseInterceptor<T>(handle, exchange);
            request.Interceptors = new List<RestSharp.Interceptors.Interceptor> { reader };
            request.AdvancedResponseWriter = (message, req) => new RestResponse(req) { StatusCode = message.StatusCode, ResponseStatus = ResponseStatus.Completed };
            var response = await _rest.ExecuteAsync(request, attemptToken).ConfigureAwait(false);
            userToken.ThrowIfCancellationRequested();
            var error = response.ErrorException;
            if (error == null && reader.Handled) return reader.Result;
            if (error != null) ExceptionDispatchInfo.Capture(error).Throw();
            throw new HttpRequestException("no answer");
        }

        /// <summary>
        /// Wraps the request body so its sending is recorded (<see cref="Exchange.Track"/>), records the status line, and
        /// reads the response inside RestSharp's pipeline, while the response is still open.
        /// </summary>
        private sealed class ResponseInterceptor<T> : RestSharp.Interceptors.Interceptor
        {
            private readonly Func<HttpResponseMessage, Task<T>> _handle;
            private readonly Exchange _exchange;

            public ResponseInterceptor(Func<HttpResponseMessage, Task<T>> handle, Exchange exchange)
            {
                _handle = handle;
                _exchange = exchange;
            }

            public bool Handled { get; private set; }
            public T Result { get; private set; } = default!;

            public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
            {
                if (requestMessage.Content != null) requestMessage.Content = _exchange.Track(requestMessage.Content);
                return default;
            }

            public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
            {
                Handled = true;
                _exchange.StatusReceived((int)responseMessage.StatusCode, Header(responseMessage, "x-request-id"));
                Result = await _handle(responseMessage).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads a body into <paramref name="consume"/>, recording every byte in <paramref name="exchange"/>. A broken
        /// read throws a Connection failure, a body shorter than its Content-Length one too; a time limit throws as a
        /// cancellation of <paramref name="attemptToken"/>; past <paramref name="limit"/> bytes, InvalidResponse. What
        /// these mean for billing is decided from the exchange by the caller.
        /// </summary>
        private async Task ReadBodyAsync(HttpResponseMessage response, Exchange exchange, SpanAction consume, long limit, CancellationToken attemptToken, CancellationToken userToken)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            long total = 0;
            // .NET Framework's response streams ignore the token once a read is under way: closing the
            // response is what ends a stalled read there.
            using var abort = attemptToken.Register(response.Dispose);
            try
            {
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                long? expected = response.Content.Headers.ContentLength;
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
                        if (attemptToken.IsCancellationRequested) throw new OperationCanceledException(attemptToken);
                        throw new ApiException(FailureKind.Connection, ApiProblem.ConnectionBroke, ex, RetryPolicy.Innermost(ex)?.Message);
                    }
                    if (read == 0) break;
                    total += read;
                    exchange.BodyRead(read);
                    if (total > limit) throw new ApiException(FailureKind.InvalidResponse, ApiProblem.DownloadTooLarge, limit);
                    // Every announced byte is here: what the reader refuses from now on (bad base64, say) came in a whole answer.
                    if (expected.HasValue && total >= expected.Value) exchange.Complete();
                    consume(new ReadOnlySpan<byte>(buffer, 0, read));
                }
                if (expected.HasValue && total < expected.Value)
                    throw new ApiException(FailureKind.Connection, ApiProblem.CutShort, total, expected.Value);
                // The whole body arrived: what fails from here (not JSON, not an image, a refusal) was answered in full, not cut.
                exchange.Complete();
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
