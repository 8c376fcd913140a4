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

        public static ApiKey? FromString(string? value)
        {
            value = value?.Trim();
            return string.IsNullOrEmpty(value) ? null : new ApiKey(value!);
        }

        internal string AuthorizationHeader => "Bearer " + _value;

        /// <summary>Removes the key from a text that is about to be shown (exception messages from lower layers).</summary>
        internal string Redact(string? text) =>
            string.IsNullOrEmpty(text) ? text ?? string.Empty : text!.Replace(_value, "***");

        public override string ToString() => "***";
    }
}
