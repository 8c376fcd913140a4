using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ModelverseImage
{
    /// <summary>
    /// PowerShell 7 (.NET 8 and later): the core and RestSharp load into one private AssemblyLoadContext,
    /// created once per process and kept (the cmdlet assembly, which PowerShell loads into the default context
    /// for good, is bound to the core in it). A handler on the cmdlet assembly's own load context answers
    /// only for ModelverseImage.Core, at the version shipped; everything the core then needs is resolved by
    /// <see cref="DependencyLoadContext"/>. Another RestSharp in the default context (Add-Type, another module)
    /// is never seen by the core, and ours is never seen by anyone else: nothing of dependencies/ is found by
    /// the default context's probing.
    /// Only ever called on .NET (Core): every AssemblyLoadContext use is in this file. The type comes from the
    /// System.Runtime.Loader reference package at compile time, in-box at run time.
    /// </summary>
    internal static class CoreIsolation
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? s_context;
        private static Assembly? s_core;

        private static AssemblyLoadContext Host =>
            AssemblyLoadContext.GetLoadContext(typeof(CoreIsolation).Assembly) ?? AssemblyLoadContext.Default;

        internal static void Register() => Host.Resolving += ResolveCore;

        internal static void Unregister() => Host.Resolving -= ResolveCore;

        private static Assembly? ResolveCore(AssemblyLoadContext requester, AssemblyName name)
        {
            if (DependencyCatalog.IsContracts(name)) return SharedContracts(new DependencyCatalog(DependencyCatalog.DefaultFolder));
            if (!string.Equals(name.Name, DependencyCatalog.CoreName, StringComparison.OrdinalIgnoreCase)) return null;
            lock (Gate)
            {
                s_context ??= new DependencyLoadContext(new DependencyCatalog(DependencyCatalog.DefaultFolder));
                if (s_core != null) return DependencyCatalog.Answers(name, s_core.GetName()) ? s_core : null;
                string? path = s_context.Catalog.Find(name);
                if (path == null) return null;
                return s_core = s_context.LoadFromAssemblyPath(path);
            }
        }

        /// <summary>
        /// The contracts assembly in the default load context: the copy PowerShell loaded from the manifest's
        /// RequiredAssemblies, else the shipped file, loaded there. Never a second copy: its types are the ones
        /// scripts name, so the core must throw and return exactly those.
        /// </summary>
        internal static Assembly? SharedContracts(DependencyCatalog catalog)
        {
            foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (DependencyCatalog.IsContracts(loaded.GetName()) && AssemblyLoadContext.GetLoadContext(loaded) == AssemblyLoadContext.Default)
                    return loaded;
            }
            return File.Exists(catalog.ContractsPath) ? AssemblyLoadContext.Default.LoadFromAssemblyPath(catalog.ContractsPath) : null;
        }
    }

    /// <summary>
    /// The module's private load context. The contracts assembly is the default context's (the types scripts
    /// name must be one copy). A name the platform ships (.NET's and PowerShell's own assemblies:
    /// System.Text.Json, System.Memory, Microsoft.Bcl.AsyncInterfaces ...) is left to the default context, so the
    /// core shares those types with PowerShell; a name shipped in dependencies/ (RestSharp) loads from there;
    /// anything else is not ours (null: the default context's rules apply).
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly Dictionary<string, string> _platform;
        private readonly Dictionary<string, Version?> _platformVersions = new Dictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Assembly> _loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        internal DependencyLoadContext(DependencyCatalog catalog)
        {
            Catalog = catalog;
            _platform = PlatformAssemblies();
        }

        internal DependencyCatalog Catalog { get; }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (string.IsNullOrEmpty(assemblyName.Name)) return null;
            // The types scripts name live in the default context: this context defers to that one copy.
            if (DependencyCatalog.IsContracts(assemblyName)) return CoreIsolation.SharedContracts(Catalog);
            lock (_loaded)
            {
                if (_platform.TryGetValue(assemblyName.Name!, out var platformPath) && PlatformServes(assemblyName.Version, PlatformVersion(assemblyName.Name!, platformPath)))
                    return null;
                if (_loaded.TryGetValue(assemblyName.Name!, out var done))
                    return DependencyCatalog.Answers(assemblyName, done.GetName()) ? done : null;
                string? path = Catalog.Find(assemblyName);
                if (path == null) return null;
                var assembly = LoadFromAssemblyPath(path);
                _loaded[assemblyName.Name!] = assembly;
                return assembly;
            }
        }

        /// <summary>
        /// Whether the platform's copy can serve a request: it is at least the version asked for. PowerShell 7.4+
        /// ships System.Text.Json 8 and the rest at or above what the core needs, so they are shared; the 7.2
        /// runtime (.NET 6) has System.Text.Json 6.0, older than RestSharp's 8.0, so there the shipped copy in
        /// dependencies/ loads into this context instead of failing.
        /// </summary>
        internal static bool PlatformServes(Version? requested, Version? platform) =>
            requested == null || platform == null || platform >= requested;

        private Version? PlatformVersion(string name, string path)
        {
            if (!_platformVersions.TryGetValue(name, out var version))
            {
                try
                {
                    version = AssemblyName.GetAssemblyName(path).Version;
                }
                catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is UnauthorizedAccessException)
                {
                    version = null; // unreadable: leave it to the default context, as before
                }
                _platformVersions[name] = version;
            }
            return version;
        }

        /// <summary>The assemblies the host lists as its platform (the runtime's and PowerShell's), by simple name, with their paths.</summary>
        internal static Dictionary<string, string> PlatformAssemblies()
        {
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            {
                foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                    names[Path.GetFileNameWithoutExtension(path)] = path;
            }
            return names;
        }
    }
}
