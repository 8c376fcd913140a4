using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ModelverseImage.Saving
{
    /// <summary>
    /// Carries a file's Unix permission bits over to its replacement, so `-Force` over a 0600 file leaves a
    /// 0600 file. Uses File.GetUnixFileMode/SetUnixFileMode (.NET 7+, so PowerShell 7.4 and later) through
    /// reflection, as this netstandard2.0 assembly cannot name them. On Windows, File.Replace itself keeps the
    /// replaced file's attributes and ACL, so there is nothing to do.
    /// </summary>
    internal static class UnixPermissions
    {
        private static readonly MethodInfo? GetMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

        private static readonly MethodInfo? SetMode = typeof(File).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == "SetUnixFileMode" && m.GetParameters().Length == 2 && m.GetParameters()[0].ParameterType == typeof(string));

        /// <summary>True where permission bits can be read and set (Linux and macOS on .NET 7+).</summary>
        public static bool Supported => GetMode != null && SetMode != null && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Gives <paramref name="to"/> the permission bits of <paramref name="from"/>, where supported.</summary>
        public static void Copy(string from, string to)
        {
            if (!Supported)
            {
                return;
            }
            try
            {
                object mode = GetMode!.Invoke(null, new object[] { from })!;
                SetMode!.Invoke(null, new[] { to, mode });
            }
            catch (TargetInvocationException ex) when (ex.InnerException is IOException || ex.InnerException is UnauthorizedAccessException)
            {
                throw ex.InnerException;
            }
        }
    }
}
