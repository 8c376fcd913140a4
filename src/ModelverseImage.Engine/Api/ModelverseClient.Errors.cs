using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>The failures a request ends in, worded for the user: timeouts, lost answers, error bodies.</summary>
    public sealed partial class ModelverseClient
    {
        private ApiException TimedOut(Exception? inner) => new ApiException(FailureKind.Timeout, TimedOutText(), inner);

        private string TimedOutText() =>
            string.Format(CultureInfo.InvariantCulture, "No complete answer from {0} within the time limit for one attempt ({1:0.#} s).", _settings.BaseUri.Host, _settings.Timeout.TotalSeconds);

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
            return _settings.ApiKey.Redact(error.Message) == error.Message ? error
                : Reworded(error, _settings.ApiKey.Redact(error.Message), _settings.ApiKey.Redact(error.ApiMessage), error.RequestId, error.RetryAfter, error.ShouldRetry);
        }

        /// <summary>
        /// A copy of <paramref name="failure"/> (its kind, status, and the API's error code and type) that says more:
        /// a new message, and the API message, request id and retry advice given.
        /// </summary>
        private static ApiException Reworded(ApiException failure, string message, string? apiMessage, string? requestId, TimeSpan? retryAfter, bool? shouldRetry) =>
            new ApiException(failure.Kind, message)
            {
                StatusCode = failure.StatusCode,
                ApiMessage = apiMessage,
                ErrorCode = failure.ErrorCode,
                ErrorType = failure.ErrorType,
                RequestId = requestId,
                RetryAfter = retryAfter,
                ShouldRetry = shouldRetry,
            };

        /// <summary>A refusal raised while reading an answer (which knew nothing of the request), with the answer's status and request id.</summary>
        private static ApiException WithRequestId(ApiException refused, int status, string requestId) =>
            new ApiException(refused.Kind, refused.Message + " Request id: " + requestId + ".", refused) { StatusCode = status, RequestId = requestId };
    }
}
