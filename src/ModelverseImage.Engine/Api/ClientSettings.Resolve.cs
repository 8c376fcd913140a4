using System;
using System.Security;

namespace ModelverseImage.Api
{
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
