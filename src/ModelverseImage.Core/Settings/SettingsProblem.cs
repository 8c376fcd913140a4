namespace ModelverseImage.Api
{
    /// <summary>Why the settings could not be resolved.</summary>
    public enum SettingsProblem
    {
        None,

        /// <summary>The address given is not an absolute http(s) address.</summary>
        InvalidBaseUri,

        /// <summary>$env:MODELVERSE_BASE_URL is not an address at all (its text is the target, with anything like credentials masked).</summary>
        InvalidBaseUriVariable,

        /// <summary>Plain http to a host that is not this machine, not allowed by the caller.</summary>
        UnencryptedBaseUri,

        /// <summary>The key given or read from $env:MODELVERSE_API_KEY cannot be sent (control or non-ASCII characters).</summary>
        InvalidApiKey,

        /// <summary>No key given and none in $env:MODELVERSE_API_KEY.</summary>
        MissingApiKey,
    }
}
