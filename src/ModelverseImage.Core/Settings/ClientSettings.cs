using System;
using System.Net;

namespace ModelverseImage.Api
{
    /// <summary>How to reach the API: address, key, timeouts and retries.</summary>
    public sealed partial class ClientSettings
    {
        public const string DefaultBaseUri = "https://api.modelverse.cn/v1";
        public const string BaseUriVariable = "MODELVERSE_BASE_URL";
        public const string ApiKeyVariable = "MODELVERSE_API_KEY";

        public ClientSettings(Uri baseUri, ApiKey apiKey)
        {
            BaseUri = baseUri;
            ApiKey = apiKey;
            Redactor = Redactor.For(baseUri, apiKey);
        }

        public Uri BaseUri { get; }
        public ApiKey ApiKey { get; }

        /// <summary>Removes the key and the address's secrets from anything shown (<see cref="Api.Redactor"/>).</summary>
        public Redactor Redactor { get; }

        /// <summary>Time allowed for one attempt, from sending the request to the last byte of the answer.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(600);
        public int MaximumRetryCount { get; set; } = 2;

        /// <summary>The longest server-requested or computed wait before a retry.</summary>
        public TimeSpan MaximumRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
        public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(0.5);

        /// <summary>
        /// Largest image accepted, from every source: decoded from <c>b64_json</c> or a <c>data:</c> URI, or downloaded
        /// from a <c>url</c> (a 3840x2160 PNG of random pixels is ~33 MiB); a larger one is refused as
        /// <see cref="FailureKind.InvalidResponse"/> and the rest is not read. An answer holds at most n of them.
        /// </summary>
        public long MaximumImageBytes { get; set; } = 128L * 1024 * 1024;

        /// <summary>
        /// Send a request again even when its answer was lost after the server may have accepted it
        /// (<see cref="FailureKind.AnswerLost"/>): each such retry may be billed once more. Off by default.
        /// </summary>
        public bool RetryMayBeBilled { get; set; }

        public string UserAgent { get; set; } = "ModelverseImage";

        /// <summary>
        /// Checks an address given by the user: absolute http(s), and plain http only to loopback unless
        /// <paramref name="allowUnencrypted"/>. Returns why it is refused, or None; the cmdlets word it.
        /// </summary>
        public static SettingsProblem CheckBaseUri(Uri? uri, bool allowUnencrypted)
        {
            if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                return SettingsProblem.InvalidBaseUri;
            if (uri.Scheme == Uri.UriSchemeHttp && !allowUnencrypted && !IsLoopback(uri))
                return SettingsProblem.UnencryptedBaseUri;
            return SettingsProblem.None;
        }

        internal static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

        /// <summary>
        /// The base URI's path with exactly one trailing slash and without its query, so relative paths append to
        /// it ('https://host/v1?api-version=x' gives 'https://host/v1/').
        /// </summary>
        internal Uri BaseWithSlash => WithSlash(BaseUri);

        private static Uri WithSlash(Uri baseUri)
        {
            string path = baseUri.GetLeftPart(UriPartial.Path);
            return new Uri(path.EndsWith("/", StringComparison.Ordinal) ? path : path + "/");
        }

        /// <summary>
        /// The absolute address of an API path: the base path, then <paramref name="path"/>, then the base URI's
        /// query ('https://host/v1?api-version=x' and 'images/generations' give
        /// 'https://host/v1/images/generations?api-version=x'). RestSharp would join a relative resource with
        /// new Uri(base, resource), which drops the query, so requests are given this absolute address instead.
        /// </summary>
        internal Uri Endpoint(string path) => EndpointFor(BaseUri, path);

        /// <summary><see cref="Endpoint"/> of any base address (for -WhatIf, which may have no key and so no settings).</summary>
        public static Uri EndpointFor(Uri baseUri, string path) => new Uri(new Uri(WithSlash(baseUri), path).GetLeftPart(UriPartial.Path) + baseUri.Query);
    }
}
