using System;

namespace ModelverseImage.Api
{
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
}
