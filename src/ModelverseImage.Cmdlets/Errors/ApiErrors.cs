using System;
using System.Management.Automation;
using ModelverseImage.Api;

namespace ModelverseImage.Errors
{
    /// <summary>Turns client failures and unusable settings into records of the catalogue (<see cref="ErrorCatalog"/>).</summary>
    internal static class ApiErrors
    {
        public static ErrorRecord ToRecord(Exception exception, object? target)
        {
            if (exception is not ApiException api)
                return ErrorCatalog.UnexpectedFailure.Wrap(exception, target, exception.Message);
            var entry = EntryFor(api.Kind);
            // A redirect is refused as an invalid request, but what mends it is the address, not the parameters.
            if (api.StatusCode / 100 == 3) return entry.WrapWithAction(api, target, ErrorCatalog.RedirectAction, api.Message);
            return api.TimedOut ? entry.WrapTimedOut(api, target, api.Message) : entry.Wrap(api, target, api.Message);
        }

        /// <summary>
        /// Settings that cannot be used: the address or the key. The core says what is wrong; what to do about
        /// it, in the cmdlets' parameters, is the catalogue's.
        /// </summary>
        public static ErrorRecord ToRecord(SettingsResolution settings) => settings.Problem switch
        {
            SettingsProblem.InvalidBaseUri => ErrorCatalog.InvalidBaseUri.Create(settings.Target, settings.Message),
            SettingsProblem.UnencryptedBaseUri => ErrorCatalog.InvalidBaseUri.CreateWithAction(settings.Target, ErrorCatalog.UnencryptedBaseUriAction, settings.Message + " " + ErrorCatalog.UnencryptedBaseUriAction),
            SettingsProblem.InvalidApiKey => ErrorCatalog.InvalidApiKey.Wrap(settings.Exception!, KeySource(), settings.Exception!.Message),
            _ => ErrorCatalog.MissingApiKey.Create(KeySource()),
        };

        /// <summary>Where the key is looked for (never the key itself): the target of the key's errors.</summary>
        private static string KeySource() => "-ApiKey or $env:" + ClientSettings.ApiKeyVariable;

        private static ErrorEntry EntryFor(FailureKind kind) => kind switch
        {
            FailureKind.Authentication => ErrorCatalog.AuthenticationFailed,
            FailureKind.PermissionDenied => ErrorCatalog.PermissionDenied,
            FailureKind.NotFound => ErrorCatalog.NotFound,
            FailureKind.RateLimited => ErrorCatalog.RateLimited,
            FailureKind.QuotaExceeded => ErrorCatalog.QuotaExceeded,
            FailureKind.Server => ErrorCatalog.ServerError,
            FailureKind.Connection => ErrorCatalog.ConnectionFailed,
            FailureKind.AnswerLost => ErrorCatalog.AnswerLost,
            FailureKind.Timeout => ErrorCatalog.Timeout,
            FailureKind.InvalidResponse => ErrorCatalog.InvalidResponse,
            FailureKind.ContentPolicy => ErrorCatalog.ContentPolicyViolation,
            FailureKind.Unexpected => ErrorCatalog.UnexpectedFailure,
            _ => ErrorCatalog.InvalidRequest,
        };
    }
}
