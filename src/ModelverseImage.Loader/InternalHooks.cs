using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace ModelverseImage
{
    /// <summary>
    /// What only the tests read of the loader, in this one place (as PSResourceGet keeps its InternalHooks): the
    /// product's classes carry no members for tests. The Pester suite reads <see cref="ActiveImports"/> by reflection.
    /// </summary>
    internal static class InternalHooks
    {
        /// <summary>Runspaces that imported the module and have not removed it (the resolver is set while above 0).</summary>
        internal static int ActiveImports => ModuleInitializer.Imports;

        /// <summary>The name of every assembly shipped in <paramref name="catalog"/>'s folder (reads every file).</summary>
        internal static IEnumerable<AssemblyName> ShippedAssemblies(DependencyCatalog catalog)
        {
            if (!Directory.Exists(catalog.Folder)) yield break;
            foreach (var path in Directory.GetFiles(catalog.Folder, "*.dll"))
            {
                AssemblyName? name = null;
                try
                {
                    name = AssemblyName.GetAssemblyName(path);
                }
                catch (Exception ex) when (ex is BadImageFormatException || ex is FileLoadException || ex is IOException)
                {
                    // not an assembly: not shipped as one
                }
                if (name != null) yield return name;
            }
        }
    }
}
