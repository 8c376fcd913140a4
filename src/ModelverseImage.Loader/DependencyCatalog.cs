using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace ModelverseImage
{
    /// <summary>
    /// The assemblies in the module's dependencies/ folder, by name and version, and the one rule both
    /// resolvers use to decide whether a load request is for one of them: same name, same public key token,
    /// and the version shipped. A lower version is accepted only for the framework polyfills
    /// (System.*, Microsoft.Bcl.*), which is what a binding redirect would do on .NET Framework (System.Text.Json
    /// 8 asks for older System.Memory and Unsafe versions than it ships with); RestSharp and the core must
    /// match exactly. A higher version, another token, a name without a version or a name not shipped is
    /// someone else's request and is left alone.
    /// </summary>
    internal sealed class DependencyCatalog
    {
        internal const string FolderName = "dependencies";
        internal const string CoreName = "ModelverseImage.Core";

        /// <summary>
        /// The types scripts name (the exception they catch, TokenUsage): shipped beside the manifest, not in
        /// dependencies/, and loaded by PowerShell (RequiredAssemblies) into the default load context. The core
        /// must use that one copy: the private context defers to it, and the 5.1 resolver answers with it.
        /// </summary>
        internal const string ContractsName = "ModelverseImage.Contracts";

        // Read one file at a time, when its name is first asked for: an import reads none, a request only what it needs.
        private readonly Dictionary<string, (AssemblyName? Name, string Path)> _read =
            new Dictionary<string, (AssemblyName?, string)>(StringComparer.OrdinalIgnoreCase);

        internal DependencyCatalog(string folder)
        {
            Folder = folder;
        }

        /// <summary>The folder of the module assembly's dependencies/: where the module ships them.</summary>
        internal static string DefaultFolder =>
            Path.Combine(Path.GetDirectoryName(typeof(DependencyCatalog).Assembly.Location) ?? ".", FolderName);

        internal string Folder { get; }

        /// <summary>The shipped contracts assembly, beside the manifest (the parent of dependencies/).</summary>
        internal string ContractsPath => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Folder)) ?? ".", ContractsName + ".dll");

        /// <summary>Whether <paramref name="requested"/> asks for the contracts assembly (by name; the version is checked by the caller's load).</summary>
        internal static bool IsContracts(AssemblyName requested) =>
            string.Equals(requested.Name, ContractsName, StringComparison.OrdinalIgnoreCase);

        private (AssemblyName? Name, string Path) Read(string simpleName)
        {
            lock (_read)
            {
                if (_read.TryGetValue(simpleName, out var known)) return known;
                var path = Path.Combine(Folder, simpleName + ".dll");
                AssemblyName? name = null;
                if (File.Exists(path))
                {
                    try
                    {
                        name = AssemblyName.GetAssemblyName(path);
                    }
                    catch (Exception ex) when (ex is BadImageFormatException || ex is FileLoadException || ex is IOException)
                    {
                    }
                }
                // A file whose assembly name differs from its file name is not what it claims to be: not answered.
                if (name != null && !string.Equals(name.Name, simpleName, StringComparison.OrdinalIgnoreCase)) name = null;
                return _read[simpleName] = (name, path);
            }
        }

        /// <summary>The shipped file that answers <paramref name="requested"/>, or null when it is not ours to answer.</summary>
        internal string? Find(AssemblyName requested)
        {
            // Only plain names: no path separators, no "..", nothing that could leave the folder.
            if (string.IsNullOrEmpty(requested.Name) || requested.Name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
                || requested.Name.IndexOfAny(new[] { '/', '\\' }) >= 0 || requested.Name.StartsWith(".", StringComparison.Ordinal)) return null;
            var shipped = Read(requested.Name);
            return shipped.Name != null && Answers(requested, shipped.Name) ? shipped.Path : null;
        }

        /// <summary>
        /// For the 5.1 resolver, a display name as AssemblyResolve gives it: the file in dependencies/ that answers
        /// it (<see cref="Find(AssemblyName)"/>), or the contracts assembly beside the manifest, at the version
        /// shipped; null for a malformed name or one that is not ours.
        /// </summary>
        internal string? Find(string? requestedDisplayName)
        {
            if (string.IsNullOrEmpty(requestedDisplayName)) return null;
            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedDisplayName!);
            }
            catch (Exception ex) when (ex is FileLoadException || ex is ArgumentException)
            {
                return null;
            }
            if (!IsContracts(requested)) return Find(requested);
            if (!File.Exists(ContractsPath)) return null;
            AssemblyName shipped;
            try
            {
                shipped = AssemblyName.GetAssemblyName(ContractsPath);
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is FileLoadException || ex is IOException)
            {
                return null;
            }
            return Answers(requested, shipped) ? ContractsPath : null;
        }

        internal static bool Answers(AssemblyName requested, AssemblyName shipped)
        {
            if (!string.Equals(requested.Name, shipped.Name, StringComparison.OrdinalIgnoreCase)) return false;
            if (requested.Version == null || shipped.Version == null) return false;
            if (!SameToken(requested.GetPublicKeyToken(), shipped.GetPublicKeyToken())) return false;
            if (requested.Version == shipped.Version) return true;
            return requested.Version < shipped.Version && IsFrameworkPolyfill(shipped.Name!);
        }

        internal static bool IsFrameworkPolyfill(string name) =>
            name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Bcl.", StringComparison.Ordinal);

        private static bool SameToken(byte[]? a, byte[]? b)
        {
            a ??= Array.Empty<byte>();
            b ??= Array.Empty<byte>();
            if (a.Length != b.Length) return false;
            for (var i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return false;
            return true;
        }
    }
}
