using System;
using System.Runtime.InteropServices;
using System.Security;

namespace ModelverseImage.Api
{
    /// <summary>
    /// The bearer key. It prints as "***" everywhere (ToString, debuggers, serializers that use ToString) and
    /// only <see cref="AuthorizationHeader"/> reveals it, at the moment a request is built.
    /// </summary>
    public sealed class ApiKey
    {
        private readonly string _value;

        private ApiKey(string value) => _value = value;

        public static ApiKey? FromSecureString(SecureString? secure)
        {
            if (secure is null || secure.Length == 0) return null;
            IntPtr ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return FromString(Marshal.PtrToStringUni(ptr));
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        /// <summary>
        /// The key, trimmed; null when empty. Throws <see cref="InvalidApiKeyException"/> (which never quotes the key)
        /// when it holds control characters or anything outside printable ASCII: an HTTP header carries ASCII only, and
        /// such a key could never work.
        /// </summary>
        public static ApiKey? FromString(string? value)
        {
            value = value?.Trim();
            if (string.IsNullOrEmpty(value)) return null;
            foreach (char c in value!)
            {
                if (char.IsControl(c)) throw new InvalidApiKeyException(ApiKeyProblem.ControlCharacter);
                if (c > '~') throw new InvalidApiKeyException(ApiKeyProblem.NotAscii);
            }
            return new ApiKey(value);
        }

        internal string AuthorizationHeader => "Bearer " + _value;

        /// <summary>The key itself, for <see cref="Redactor"/> to remove it from what is shown.</summary>
        internal string Value => _value;

        public override string ToString() => "***";
    }

    /// <summary>What is wrong with a key that cannot be sent.</summary>
    public enum ApiKeyProblem
    {
        /// <summary>A line break or another control character inside it.</summary>
        ControlCharacter,

        /// <summary>A character outside printable ASCII (a typographic quote, dash or space).</summary>
        NotAscii,
    }

    /// <summary>A key that cannot be sent; the message names the problem, never the key.</summary>
    internal sealed class InvalidApiKeyException : ArgumentException
    {
        public InvalidApiKeyException(ApiKeyProblem problem) : base("The API key cannot be sent: " + problem + ".")
        {
            Problem = problem;
        }

        public ApiKeyProblem Problem { get; }
    }
}
