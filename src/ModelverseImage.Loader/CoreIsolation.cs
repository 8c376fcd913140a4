using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ModelverseImage
{
    /// <summary>
    /// PowerShell 7 (.NET 8 and later): the engine and RestSharp load into one private AssemblyLoadContext,
    /// created once per process and kept (the cmdlet assembly, which PowerShell loads into the default context
    /// for good, is bound to the engine in it). A handler on the cmdlet assembly's own load context answers
    /// only for ModelverseImage.Engine, at the version shipped; everything the engine then needs is resolved by
    /// <see cref="DependencyLoadContext"/>. Another RestSharp in the default context (Add-Type, another module)
    /// is never seen by the engine, and ours is never seen by anyone else: nothing of dependencies/ is found by
    /// the default context's probing.
    /// Only ever called on .NET (Core): every AssemblyLoadContext use is in this file. The type comes from the
    /// System.Runtime.Loader reference package at compile time, in-box at run time.
    /// </summary>
    internal static class CoreIsolation
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? s_context;
        private static Assembly? s_engine;

        private static AssemblyLoadContext Host =>
            AssemblyLoadContext.GetLoadContext(typeof(CoreIsolation).Assembly) ?? AssemblyLoadContext.Default;

        internal static void Register() => Host.Resolving += ResolveEngine;

        internal static void Unregister() => Host.Resolving -= ResolveEngine;

        /// <summary>The private context, once something has needed it; null before.</summary>
        internal static AssemblyLoadContext? Context
        {
            get { lock (Gate) return s_context; }
        }

        private static Assembly? ResolveEngine(AssemblyLoadContext requester, AssemblyName name)
        {
            if (!string.Equals(name.Name, DependencyCatalog.EngineName, StringComparison.OrdinalIgnoreCase)) return null;
            lock (Gate)
            {
                s_context ??= new DependencyLoadContext(new DependencyCatalog(DependencyCatalog.DefaultFolder));
                if (s_engine != null) return DependencyCatalog.Answers(name, s_engine.GetName()) ? s_engine : null;
                string? path = s_context.Catalog.Find(name);
                if (path == null) return null;
                return s_engine = s_context.LoadFromAssemblyPath(path);
            }
        }
    }

    /// <summary>
    /// The module's private load context. A name the platform ships (.NET's and PowerShell's own assemblies:
    /// System.Text.Json, System.Memory, Microsoft.Bcl.AsyncInterfaces ...) is left to the default context, so the
    /// engine shares those types with PowerShell; a name shipped in dependencies/ (RestSharp) loads from there;
    /// anything else is not ours (null: the default context's rules apply).
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly HashSet<string> _platform;
        private readonly Dictionary<string, Assembly> _loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        internal DependencyLoadContext(DependencyCatalog catalog)
        {
            Catalog = catalog;
            _platform = PlatformAssemblyNames();
        }

        internal DependencyCatalog Catalog { get; }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (string.IsNullOrEmpty(assemblyName.Name) || _platform.Contains(assemblyName.Name!)) return null;
            lock (_loaded)
            {
                if (_loaded.TryGetValue(assemblyName.Name!, out var done))
                    return DependencyCatalog.Answers(assemblyName, done.GetName()) ? done : null;
                string? path = Catalog.Find(assemblyName);
                if (path == null) return null;
                var assembly = LoadFromAssemblyPath(path);
                _loaded[assemblyName.Name!] = assembly;
                return assembly;
            }
        }

        /// <summary>The simple names of the assemblies the host lists as its platform (the runtime's and PowerShell's).</summary>
        internal static HashSet<string> PlatformAssemblyNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            {
                foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                    names.Add(Path.GetFileNameWithoutExtension(path));
            }
            return names;
        }
    }
}
