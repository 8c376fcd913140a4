using System;
using System.Management.Automation;
using ModelverseImage.Api;

namespace ModelverseImage.Commands
{
    /// <summary>Turns client failures into error records: stable ErrorIds, fitting categories, the API's words in ErrorDetails.</summary>
    internal static class ApiErrors
    {
        public static ErrorRecord ToRecord(Exception exception, object? target)
        {
            if (exception is not ApiException api)
                return new ErrorRecord(exception, "UnexpectedFailure", ErrorCategory.NotSpecified, target);

            var (id, category, action) = Describe(api.Kind);
            // The answer was lost after the server may have accepted (and billed) the request: a timeout says so in its category.
            if (api.Kind == FailureKind.AnswerLost && api.TimedOut) category = ErrorCategory.OperationTimeout;
            // A redirect is refused as an invalid request, but what mends it is the address, not the parameters.
            if (api.StatusCode / 100 == 3) action = "Set -BaseUri to the address the redirect names: the key is never sent on to another address.";
            var record = new ErrorRecord(api, id, category, target)
            {
                ErrorDetails = new ErrorDetails(api.Message) { RecommendedAction = action },
            };
            return record;
        }

        /// <summary>
        /// Settings that cannot be used: the address or the key. The engine says what is wrong; what to do about
        /// it, in the cmdlets' parameters, is said here.
        /// </summary>
        public static ErrorRecord ToRecord(SettingsResolution settings) => settings.Problem switch
        {
            SettingsProblem.InvalidBaseUri => new ErrorRecord(new ArgumentException(settings.Message), "InvalidBaseUri", ErrorCategory.InvalidArgument, settings.Target),
            SettingsProblem.UnencryptedBaseUri => new ErrorRecord(new ArgumentException(settings.Message + " Use https, or pass -AllowUnencryptedAuthentication if you really mean it."),
                "InvalidBaseUri", ErrorCategory.InvalidArgument, settings.Target),
            SettingsProblem.InvalidApiKey => new ErrorRecord(settings.Exception, "InvalidApiKey", ErrorCategory.InvalidArgument, null),
            _ => new ErrorRecord(new InvalidOperationException(
                    $"No API key. Set it for this session with $env:{ClientSettings.ApiKeyVariable} = '<your key>', or pass -ApiKey (a SecureString or a string); in Azure Automation read it from an encrypted variable with Get-AutomationVariable."),
                "MissingApiKey", ErrorCategory.AuthenticationError, null),
        };

        private static (string Id, ErrorCategory Category, string Action) Describe(FailureKind kind) => kind switch
        {
            FailureKind.Authentication => ("AuthenticationFailed", ErrorCategory.AuthenticationError,
                "Check the key in $env:MODELVERSE_API_KEY or -ApiKey."),
            FailureKind.PermissionDenied => ("PermissionDenied", ErrorCategory.PermissionDenied,
                "The key is not allowed to use this model or endpoint; check your Modelverse account."),
            FailureKind.NotFound => ("NotFound", ErrorCategory.ObjectNotFound,
                "Check -BaseUri (it should end in /v1) and -Model."),
            FailureKind.RateLimited => ("RateLimited", ErrorCategory.LimitsExceeded,
                "The API asked to slow down and the retries ran out: lower -ThrottleLimit or raise -MaximumRetryCount."),
            FailureKind.QuotaExceeded => ("QuotaExceeded", ErrorCategory.QuotaExceeded,
                "The account's quota is used up; retrying will not help until it is topped up."),
            FailureKind.Server => ("ServerError", ErrorCategory.ConnectionError,
                "The API failed on its side; try again later or raise -MaximumRetryCount."),
            FailureKind.Connection => ("ConnectionFailed", ErrorCategory.ConnectionError,
                "Check the network and -BaseUri; try again or raise -MaximumRetryCount."),
            FailureKind.AnswerLost => ("AnswerLost", ErrorCategory.ConnectionError,
                "The image may have been generated and billed, so it was not sent again: check your usage (with the request id, when the message gives one) before running it again, raise -TimeoutSec for slow images, or pass -RetryBilledFailure to resend such requests."),
            FailureKind.Timeout => ("Timeout", ErrorCategory.OperationTimeout,
                "Large, high-quality images can take minutes: raise -TimeoutSec."),
            FailureKind.InvalidResponse => ("InvalidResponse", ErrorCategory.InvalidResult,
                "The answer could not be read; check that -BaseUri points at an OpenAI-compatible images API."),
            FailureKind.ContentPolicy => ("ContentPolicyViolation", ErrorCategory.InvalidArgument,
                "Rephrase the prompt or use other images."),
            FailureKind.Unexpected => ("UnexpectedFailure", ErrorCategory.NotSpecified,
                "Run again with -Verbose -Debug; if it persists, report it with the message above."),
            _ => ("InvalidRequest", ErrorCategory.InvalidArgument,
                "Check the parameters against Get-Help and Test-MvImageSize."),
        };
    }
}
