using System;
using System.Reflection;

namespace ModelverseImage
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework): no AssemblyLoadContext and no binding redirects for modules. An
    /// AppDomain.AssemblyResolve handler answers only for the files in dependencies/, at the versions shipped
    /// (<see cref="DependencyCatalog.Answers"/>), with Assembly.LoadFrom: the first request is the cmdlets'
    /// for ModelverseImage.Core; the LoadFrom context then finds RestSharp beside it, and the handler bridges
    /// the version gaps among System.Text.Json 8's polyfills. .NET Framework binds strong-named assemblies by
    /// version, so another RestSharp loaded first (say 108) stays in place and ours loads beside it. The core's
    /// request for ModelverseImage.Contracts (not found beside it in dependencies/) is answered with the file beside
    /// the manifest, which PowerShell already loaded from RequiredAssemblies: LoadFrom of the same path returns
    /// that same assembly, so the core throws the very types scripts catch.
    /// </summary>
    internal static class FrameworkResolver
    {
        private static readonly object Gate = new object();
        private static DependencyCatalog? s_catalog;

        internal static void Register() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        internal static void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        internal static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            string? path = Catalog.Find(args.Name);
            return path == null ? null : Assembly.LoadFrom(path);
        }

        /// <summary>Read on the first request, not at import: importing stays as cheap as it was.</summary>
        private static DependencyCatalog Catalog
        {
            get
            {
                lock (Gate) return s_catalog ??= new DependencyCatalog(DependencyCatalog.DefaultFolder);
            }
        }
    }
}
