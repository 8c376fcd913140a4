using System;
using System.Net;

namespace ModelverseImage.Api
{
    /// <summary>How to reach the API: address, key, timeouts and retries.</summary>
    public sealed class ClientSettings
    {
        public const string DefaultBaseUri = "https://api.modelverse.cn/v1";
        public const string BaseUriVariable = "MODELVERSE_BASE_URL";
        public const string ApiKeyVariable = "MODELVERSE_API_KEY";

        public ClientSettings(Uri baseUri, ApiKey apiKey)
        {
            BaseUri = baseUri;
            ApiKey = apiKey;
        }

        public Uri BaseUri { get; }
        public ApiKey ApiKey { get; }

        /// <summary>Time allowed for one attempt, from sending the request to the last byte of the answer.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(600);
        public int MaximumRetryCount { get; set; } = 2;

        /// <summary>The longest server-requested or computed wait before a retry.</summary>
        public TimeSpan MaximumRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
        public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(0.5);

        /// <summary>Largest image download accepted from a <c>url</c> answer.</summary>
        public long MaximumDownloadBytes { get; set; } = 256L * 1024 * 1024;

        public string UserAgent { get; set; } = "ModelverseImage";

        /// <summary>
        /// Checks an address given by the user: absolute http(s), and plain http only to loopback unless
        /// <paramref name="allowUnencrypted"/>. Returns the reason it is refused, or null.
        /// </summary>
        public static string? CheckBaseUri(Uri? uri, bool allowUnencrypted)
        {
            if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                return $"The base URI '{uri}' is not an absolute http:// or https:// address, such as {DefaultBaseUri}.";
            if (uri.Scheme == Uri.UriSchemeHttp && !allowUnencrypted && !IsLoopback(uri))
                return $"The base URI '{uri}' is plain http to a host that is not this machine: the API key would travel unencrypted. Use https, or pass -AllowUnencryptedAuthentication if you really mean it.";
            return null;
        }

        internal static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

        /// <summary>The base URI with exactly one trailing slash, so relative paths append to it.</summary>
        internal Uri BaseWithSlash => BaseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? BaseUri : new Uri(BaseUri.AbsoluteUri + "/");
    }
}
