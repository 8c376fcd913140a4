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
                try
                {
                    var data = await DownloadAsync(url, budget.Token, userToken).ConfigureAwait(false);
                    return (data, CheckIsImage(data, "The image URL answered", 200, generationId));
                }
                catch (OperationCanceledException ex) when (!userToken.IsCancellationRequested)
                {
                    throw TimedOut(ex);
                }
            }, "Download retry", sharedBackoff: false, (failure, attempts) =>
            {
                string id = generationId is null ? string.Empty : " [generation request id " + generationId + "]";
                var failed = Reworded(failure, "The image was generated, but downloading it failed: " + failure.Message + id,
                    failure.ApiMessage, failure.RequestId ?? generationId, retryAfter: null, shouldRetry: false);
                failed.Attempts = attempts;
                return failed;
            }, userToken);

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
    }
}
