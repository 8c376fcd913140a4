using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ModelverseImage
{
    /// <summary>
    /// On Windows PowerShell 5.1 (.NET Framework) there are no binding redirects for a module's
    /// dependencies: System.Text.Json 8 asks for one version of System.Memory or
    /// System.Runtime.CompilerServices.Unsafe while another is shipped. While the module is imported, a
    /// request for an assembly the module ships, at any version, is answered with the shipped file.
    /// PowerShell 7 resolves these itself (in-box framework copies first), so nothing is registered there.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public void OnImport()
        {
            if (!IsNetFramework) return;
            AppDomain.CurrentDomain.AssemblyResolve += ResolveShipped;
            // Windows PowerShell on machines without the strong-crypto registry setting offers only SSL3/TLS 1.0;
            // the API needs TLS 1.2. Added to what the process allows, never removing anything.
            System.Net.ServicePointManager.SecurityProtocol |= System.Net.SecurityProtocolType.Tls12;
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveShipped;
        }

        internal static Assembly? ResolveShipped(object? sender, ResolveEventArgs args)
        {
            string? name;
            try
            {
                name = new AssemblyName(args.Name).Name;
            }
            catch (Exception ex) when (ex is FileLoadException || ex is ArgumentException)
            {
                return null;
            }
            if (string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            string path = Path.Combine(ModuleDirectory, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
