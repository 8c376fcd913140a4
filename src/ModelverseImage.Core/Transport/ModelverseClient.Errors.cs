using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>Failure statuses: the error body read (bounded) into the failure the API meant.</summary>
    public sealed partial class ModelverseClient
    {
        /// <param name="downloadHost">The host of a url answer's download, which its failure names; null for the API.</param>
        private async Task<ApiException> ErrorAsync(HttpResponseMessage response, Exchange exchange, string? requestId, CancellationToken attemptToken, CancellationToken userToken, string? downloadHost = null)
        {
            var body = new MemoryStream();
            try
            {
                // A failure status is no billed answer (the exchange's status says so); its body is read for the API's words.
                await ReadBodyAsync(response, exchange, data =>
                {
                    int room = (int)Math.Min(data.Length, MaxErrorBodyBytes - body.Length);
                    if (room > 0) body.Write(data.Slice(0, room).ToArray(), 0, room);
                    else throw new ApiException(FailureKind.InvalidResponse, ApiProblem.ErrorBodyTooLong);
                }, long.MaxValue, attemptToken, userToken).ConfigureAwait(false);
            }
            catch (ApiException)
            {
                // The status line is what matters; a broken error body still gives a clear error.
            }
            var shouldRetryHeader = Header(response, "x-should-retry");
            bool? shouldRetry = shouldRetryHeader == "true" ? true : shouldRetryHeader == "false" ? false : (bool?)null;
            return ResponseParser.ErrorFromBody((int)response.StatusCode, response.ReasonPhrase, body.ToArray(), requestId, RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow), shouldRetry, downloadHost);
        }
    }
}
