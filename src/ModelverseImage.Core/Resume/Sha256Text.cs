using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ModelverseImage.Resume
{
    /// <summary>SHA-256 as lower-case hex: of uploads (the request key), and of saved files (the ledger).</summary>
    internal static class Sha256Text
    {
        /// <summary>SHA-256 of <paramref name="parts"/>, one after the other: the bytes of a file written as parts.</summary>
        public static string Of(IReadOnlyList<ArraySegment<byte>> parts)
        {
            using var sha = SHA256.Create();
            foreach (var part in parts) sha.TransformBlock(part.Array!, part.Offset, part.Count, null, 0);
            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return Hex(sha.Hash!);
        }

        public static string Hex(byte[] bytes)
        {
            var hex = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return hex.ToString();
        }
    }
}
