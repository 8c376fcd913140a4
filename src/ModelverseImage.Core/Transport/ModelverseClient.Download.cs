using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ModelverseImage.Imaging;
using RestSharp;

namespace ModelverseImage.Api
{
    /// <summary>Images answered as URLs: downloaded after the generation, retried alone.</summary>
    public sealed partial class ModelverseClient
    {
        /// <summary>
        /// Downloads a url answer, retrying the download alone: the image is already generated (and paid
        /// for), so a failure here must not send the generation again. Each download attempt has its own
        /// time limit, counted from its own start, not the generation's.
        /// </summary>
        private Task<(ArraySegment<byte> Data, ImageHeader Header)> DownloadWithRetriesAsync(string url, string? generationId, CancellationToken userToken) =>
            WithRetriesAsync(async () =>
            {
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(userToken);
                budget.CancelAfter(_settings.Timeout);
                var data = await DownloadAsync(url, budget, userToken).ConfigureAwait(false);
                return (data, CheckIsImage(data, ApiProblem.DownloadNotAnImage));
            }, download: true, failure =>
            {
                return new ApiException(failure.Kind, ApiProblem.DownloadFailed, failure, _settings.Redactor.Redact(generationId))
                {
                    StatusCode = failure.StatusCode,
                    ApiMessage = failure.ApiMessage,
                    ErrorCode = failure.ErrorCode,
                    ErrorType = failure.ErrorType,
                    RequestId = failure.RequestId ?? _settings.Redactor.Redact(generationId),
                    Exchange = failure.Exchange,
                };
            }, userToken);

        /// <summary>
        /// Fetches an image the API answered with as a URL (or a data: URI). The key goes only to the API's
        /// own origin; redirects are followed without it. One attempt: its failure is settled here, on an exchange
        /// that is never billable (a download sends no request body).
        /// </summary>
        private async Task<ArraySegment<byte>> DownloadAsync(string url, CancellationTokenSource attempt, CancellationToken userToken)
        {
            if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                using var scanner = new ImageJsonScanner(maxImageBytes: _settings.MaximumImageBytes);
                scanner.Feed(System.Text.Encoding.UTF8.GetBytes("{\"b64_json\":\"" + url + "\"}"));
                scanner.Complete();
                return scanner.Images[0].Detach();
            }
            if (!Uri.TryCreate(_settings.BaseWithSlash, url, out var target) || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
                throw new ApiException(FailureKind.InvalidResponse, ApiProblem.UrlNotFetchable, _settings.Redactor.Redact(url));
            for (int hop = 0; ; hop++)
            {
                var request = new RestRequest(target, Method.Get) { CompletionOption = HttpCompletionOption.ResponseHeadersRead };
                if (SameOrigin(target, _settings.BaseUri)) request.AddHeader("Authorization", _settings.ApiKey.AuthorizationHeader);
                var exchange = new Exchange(billable: false);
                string what = "GET " + _settings.Redactor.Show(new Uri(target.GetLeftPart(UriPartial.Path)));
                (Uri? Redirect, ArraySegment<byte>? Bytes) next;
                try
                {
                    next = await ExecuteAsync(request, exchange, async response =>
                    {
                        int status = (int)response.StatusCode;
                        if (status / 100 == 3 && response.Headers.Location != null && hop < MaxRedirects)
                            return (Redirect: new Uri(target, response.Headers.Location), Bytes: (ArraySegment<byte>?)null);
                        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, exchange, Header(response, "x-request-id"), attempt.Token, userToken, target.Host).ConfigureAwait(false);
                        using var buffer = new SegmentedBuffer();
                        await ReadBodyAsync(response, exchange, buffer.Write, _settings.MaximumImageBytes, attempt.Token, userToken).ConfigureAwait(false);
                        return (Redirect: (Uri?)null, Bytes: (ArraySegment<byte>?)buffer.Detach());
                    }, attempt.Token, userToken).ConfigureAwait(false);
                }
                catch (Exception failure) when (!(failure is OperationCanceledException && userToken.IsCancellationRequested))
                {
                    userToken.ThrowIfCancellationRequested();
                    if (attempt.IsCancellationRequested) exchange.TimedOut();
                    throw _retry.Settle(failure, exchange.Record(), exchange.RequestId, what, target.Host);
                }
                if (next.Bytes.HasValue) return next.Bytes.Value;
                target = next.Redirect!;
            }
        }

        private static bool SameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
    }
}
