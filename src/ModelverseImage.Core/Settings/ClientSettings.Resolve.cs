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
                {
                    // Not an address, so its parts cannot be told apart: anything between "//" and "@" may be credentials.
                    string shown = System.Text.RegularExpressions.Regex.Replace(fromEnvironment, "//[^/@]*@", "//" + Redactor.Mask + "@");
                    return SettingsResolution.Refused(SettingsProblem.InvalidBaseUriVariable, shown);
                }
                baseUri ??= new Uri(DefaultBaseUri);
            }
            var problem = CheckBaseUri(baseUri, allowUnencrypted);
            if (problem != SettingsProblem.None) return SettingsResolution.Refused(problem, Redactor.For(baseUri).Show(baseUri));

            ApiKey? key;
            try
            {
                key = apiKey != null ? ApiKey.FromSecureString(apiKey) : ApiKey.FromString(Environment.GetEnvironmentVariable(ApiKeyVariable));
            }
            catch (InvalidApiKeyException ex)
            {
                return SettingsResolution.Refused(SettingsProblem.InvalidApiKey, null, ex.Problem, baseUri);
            }
            return key == null
                ? SettingsResolution.Refused(SettingsProblem.MissingApiKey, null, baseUri: baseUri)
                : SettingsResolution.Resolved(new ClientSettings(baseUri, key));
        }
    }
}
