using System;
using System.Security;

namespace ModelverseImage.Api
{
    /// <summary>Why the settings could not be resolved.</summary>
    public enum SettingsProblem
    {
        None,

        /// <summary>The address (given, or read from $env:MODELVERSE_BASE_URL) is not an absolute http(s) address.</summary>
        InvalidBaseUri,

        /// <summary>Plain http to a host that is not this machine, not allowed by the caller.</summary>
        UnencryptedBaseUri,

        /// <summary>The key given or read from $env:MODELVERSE_API_KEY cannot be sent (control or non-ASCII characters).</summary>
        InvalidApiKey,

        /// <summary>No key given and none in $env:MODELVERSE_API_KEY.</summary>
        MissingApiKey,
    }

    /// <summary>
    /// What <see cref="ClientSettings.Resolve"/> found: the settings, or the problem that stops them, with the
    /// base URI wherever it was valid (a request without a key can still be described).
    /// </summary>
    public sealed class SettingsResolution
    {
        internal SettingsResolution(SettingsProblem problem, string? message, object? target, Exception? exception, Uri? baseUri, ClientSettings? settings)
        {
            Problem = problem;
            Message = message;
            Target = target;
            Exception = exception;
            BaseUri = baseUri;
            Settings = settings;
        }

        public SettingsProblem Problem { get; }

        /// <summary>The problem in words that name no cmdlet parameter; null for <see cref="SettingsProblem.MissingApiKey"/> and None.</summary>
        public string? Message { get; }

        /// <summary>The value that was refused (the address or the variable's text).</summary>
        public object? Target { get; }

        /// <summary>For <see cref="SettingsProblem.InvalidApiKey"/>: the exception that says what is wrong with the key.</summary>
        public Exception? Exception { get; }

        public Uri? BaseUri { get; }
        public ClientSettings? Settings { get; }
    }

    public sealed partial class ClientSettings
    {
        /// <summary>
        /// Resolves address and key: the ones given, else $env:MODELVERSE_BASE_URL and $env:MODELVERSE_API_KEY, else
        /// the default address. Checked in this order: the variable's address, the address, the key. Timeouts and
        /// retries are the caller's to set on the settings returned.
        /// </summary>
        public static SettingsResolution Resolve(Uri? baseUri, SecureString? apiKey, bool allowUnencrypted)
        {
            if (baseUri == null)
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(BaseUriVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment) && !Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out baseUri))
                    return Refused(SettingsProblem.InvalidBaseUri, $"$env:{BaseUriVariable} is '{fromEnvironment}', which is not an absolute http(s) address.", fromEnvironment);
                baseUri ??= new Uri(DefaultBaseUri);
            }
            var (problem, message) = CheckBaseUri(baseUri, allowUnencrypted);
            if (problem != SettingsProblem.None) return Refused(problem, message, baseUri);

            ApiKey? key;
            try
            {
                key = apiKey != null ? ApiKey.FromSecureString(apiKey) : ApiKey.FromString(Environment.GetEnvironmentVariable(ApiKeyVariable));
            }
            catch (ArgumentException ex)
            {
                return new SettingsResolution(SettingsProblem.InvalidApiKey, ex.Message, null, ex, baseUri, null);
            }
            return key == null
                ? new SettingsResolution(SettingsProblem.MissingApiKey, null, null, null, baseUri, null)
                : new SettingsResolution(SettingsProblem.None, null, null, null, baseUri, new ClientSettings(baseUri, key));
        }

        private static SettingsResolution Refused(SettingsProblem problem, string? message, object? target) =>
            new SettingsResolution(problem, message, target, null, null, null);
    }
}
