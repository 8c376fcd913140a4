using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace ModelverseImage.Resume
{
    /// <summary>SHA-256 as lower-case hex, the one place it is made: of uploads and the request key, of saved files (the ledger), of a mask's design.</summary>
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

        /// <summary>SHA-256 of everything <paramref name="stream"/> holds from where it stands.</summary>
        public static string Of(Stream stream)
        {
            using var sha = SHA256.Create();
            return Hex(sha.ComputeHash(stream));
        }

        /// <summary>SHA-256 of <paramref name="text"/> as UTF-8.</summary>
        public static string Of(string text)
        {
            using var sha = SHA256.Create();
            return Hex(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }

        public static string Hex(byte[] bytes)
        {
            var hex = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return hex.ToString();
        }
    }
}
