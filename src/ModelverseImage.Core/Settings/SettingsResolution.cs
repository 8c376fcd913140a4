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
        internal static SettingsResolution Refused(SettingsProblem problem, string? target, ApiKeyProblem? keyProblem = null, Uri? baseUri = null) =>
            new SettingsResolution(problem) { Target = target, KeyProblem = keyProblem, BaseUri = baseUri };

        public SettingsProblem Problem { get; }

        /// <summary>The value that was refused, as it may be shown (the address, or the variable's text); the cmdlets word the problem.</summary>
        public string? Target { get; private init; }

        /// <summary>For <see cref="SettingsProblem.InvalidApiKey"/>: what is wrong with the key.</summary>
        public ApiKeyProblem? KeyProblem { get; private init; }

        public Uri? BaseUri { get; private init; }
        public ClientSettings? Settings { get; private init; }
    }
}
