using System;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelverseImage
{
    /// <summary>
    /// Makes the module's own dependencies (dependencies/: ModelverseImage.Core, RestSharp and, for Windows
    /// PowerShell 5.1, System.Text.Json 8 and its polyfills) loadable without colliding with anyone else's:
    /// on PowerShell 7 the core and RestSharp live in one private AssemblyLoadContext
    /// (<see cref="CoreIsolation"/>); on Windows PowerShell 5.1 an AppDomain.AssemblyResolve handler answers
    /// for the shipped files at the versions shipped (<see cref="FrameworkResolver"/>). The handler is set up
    /// by the first import in the process and removed when the last importer removes the module. Nothing here
    /// touches an core type: the core is only loaded when a cmdlet first needs it, after the handler is set.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static int s_imports;

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>Runspaces that imported the module and have not removed it (the handler is set while above 0).</summary>
        internal static int Imports
        {
            get { lock (Gate) return s_imports; }
        }

        public void OnImport()
        {
            lock (Gate)
            {
                if (s_imports++ > 0) return;
                if (IsNetFramework) RegisterFramework();
                else RegisterCore();
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            lock (Gate)
            {
                if (s_imports == 0 || --s_imports > 0) return;
                if (IsNetFramework) FrameworkResolver.Unregister();
                else UnregisterCore();
            }
        }

        private static void RegisterFramework()
        {
            FrameworkResolver.Register();
            // Windows PowerShell on machines without the strong-crypto registry setting offers only SSL3/TLS 1.0;
            // the API needs TLS 1.2. Added to what the process allows, never removing anything.
            System.Net.ServicePointManager.SecurityProtocol |= System.Net.SecurityProtocolType.Tls12;
        }

        // Kept out of line so that .NET Framework never compiles a method naming AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterCore() => CoreIsolation.Register();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UnregisterCore() => CoreIsolation.Unregister();
    }
}
