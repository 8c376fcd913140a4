using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelverseImage.Api
{
    /// <summary>
    /// The one redaction step: every text that came from the server or from configuration passes through it before
    /// it reaches a message, an error property, -WhatIf, -Verbose, -Debug, progress or a transcript. It removes the
    /// key (as it is, URL-escaped and in base64), the user info of the base address, and the values of query
    /// parameters that look like secrets (key, token, sig, secret, password, ...).
    /// </summary>
    public sealed class Redactor
    {
        public const string Mask = "***";
        private const int MinSecretLength = 4;
        private static readonly string[] SecretNames = { "key", "token", "secret", "sig", "password", "pwd", "auth", "credential", "code" };

        private readonly string[] _secrets;

        private Redactor(IEnumerable<string> secrets) =>
            _secrets = secrets.Where(s => s.Length >= MinSecretLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();

        /// <summary>A redactor that removes nothing (no key, no address yet).</summary>
        public static Redactor None { get; } = new Redactor(Array.Empty<string>());

        /// <summary>The secrets of <paramref name="baseUri"/> and, when known, of <paramref name="key"/>.</summary>
        public static Redactor For(Uri? baseUri, ApiKey? key = null)
        {
            var secrets = new List<string>();
            if (key != null) AddForms(secrets, key.Value);
            if (baseUri != null && baseUri.IsAbsoluteUri)
            {
                string userInfo = baseUri.UserInfo;
                if (userInfo.Length > 0)
                {
                    AddForms(secrets, userInfo);
                    int colon = userInfo.IndexOf(':');
                    if (colon >= 0) AddForms(secrets, userInfo.Substring(colon + 1));
                }
                foreach (var (name, value) in QueryPairs(baseUri.Query))
                    if (LooksSecret(name)) AddForms(secrets, value);
            }
            return new Redactor(secrets);
        }

        /// <summary>The text with every secret replaced by ***; null stays null.</summary>
        public string? Redact(string? text)
        {
            if (string.IsNullOrEmpty(text) || _secrets.Length == 0) return text;
            var result = text!;
            foreach (var secret in _secrets)
                if (result.IndexOf(secret, StringComparison.Ordinal) >= 0) result = result.Replace(secret, Mask);
            return result;
        }

        /// <summary>An address as it may be shown: no user info, secret-looking query values masked, the key nowhere.</summary>
        public string Show(Uri? uri)
        {
            if (uri is null) return string.Empty;
            if (!uri.IsAbsoluteUri) return Redact(uri.OriginalString) ?? string.Empty;
            var builder = new StringBuilder(uri.Scheme).Append("://");
            if (uri.UserInfo.Length > 0) builder.Append(Mask).Append('@');
            builder.Append(uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.Append(uri.AbsolutePath);
            var pairs = QueryPairs(uri.Query).ToList();
            if (pairs.Count > 0)
                builder.Append('?').Append(string.Join("&", pairs.Select(p => p.Name + (LooksSecret(p.Name) ? "=" + Mask : p.Value.Length > 0 ? "=" + Uri.EscapeDataString(p.Value) : string.Empty))));
            return Redact(builder.ToString()) ?? string.Empty;
        }

        private static void AddForms(List<string> secrets, string secret)
        {
            if (secret.Length < MinSecretLength) return;
            secrets.Add(secret);
            secrets.Add(Uri.EscapeDataString(secret));
            string unescaped = Uri.UnescapeDataString(secret);
            secrets.Add(unescaped);
            secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(unescaped)));
            secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(unescaped)).TrimEnd('='));
        }

        private static bool LooksSecret(string name)
        {
            string lower = name.ToLowerInvariant();
            return SecretNames.Any(s => lower.Contains(s));
        }

        private static IEnumerable<(string Name, string Value)> QueryPairs(string query)
        {
            if (string.IsNullOrEmpty(query)) yield break;
            foreach (var part in query.TrimStart('?').Split('&'))
            {
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                string name = Uri.UnescapeDataString(eq < 0 ? part : part.Substring(0, eq));
                string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
                yield return (name, value);
            }
        }
    }
}
