using System;

namespace ModelverseImage.Api
{
    /// <summary>
    /// What <see cref="ClientSettings.Resolve"/> found: the settings, or the problem that stops them, with the
    /// base URI wherever it was valid (a request without a key can still be described).
    /// </summary>
    public sealed class SettingsResolution
    {
        private SettingsResolution(SettingsProblem problem)
        {
            Problem = problem;
        }

        /// <summary>Settings that can be used: a valid address and a key.</summary>
        internal static SettingsResolution Resolved(ClientSettings settings) =>
            new SettingsResolution(SettingsProblem.None) { BaseUri = settings.BaseUri, Settings = settings };

        /// <summary>A problem that stops the request; <paramref name="baseUri"/> when the address itself was valid.</summary>
        internal static SettingsResolution Refused(SettingsProblem problem, string? message, object? target, Exception? exception = null, Uri? baseUri = null) =>
            new SettingsResolution(problem) { Message = message, Target = target, Exception = exception, BaseUri = baseUri };

        public SettingsProblem Problem { get; }

        /// <summary>The problem in words that name no cmdlet parameter; null for <see cref="SettingsProblem.MissingApiKey"/> and None.</summary>
        public string? Message { get; private init; }

        /// <summary>The value that was refused (the address or the variable's text).</summary>
        public object? Target { get; private init; }

        /// <summary>For <see cref="SettingsProblem.InvalidApiKey"/>: the exception that says what is wrong with the key.</summary>
        public Exception? Exception { get; private init; }

        public Uri? BaseUri { get; private init; }
        public ClientSettings? Settings { get; private init; }
    }
}
