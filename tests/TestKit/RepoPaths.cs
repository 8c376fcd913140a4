namespace ModelverseImage.TestKit;

/// <summary>Where the repository and the built module folder are: tests, bench and tools import what users get.</summary>
public static class RepoPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModuleFolder => Path.Combine(RepoRoot, "out", "ModelverseImage");

    public static string ModuleManifest => Path.Combine(ModuleFolder, "ModelverseImage.psd1");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelverseImage.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory + ": run this from inside the ModelverseImage repository.");
    }
}
