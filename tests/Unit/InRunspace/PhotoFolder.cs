
namespace ModelverseImage.Tests.InRunspace;

/// <summary>A photos/ folder in a test session's folder, with image files written on demand (the Edit-MvImage tests' sources).</summary>
internal sealed class PhotoFolder
{
    public PhotoFolder(string root)
    {
        Path = Directory.CreateDirectory(System.IO.Path.Combine(root, "photos")).FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="bytes"/> as photos/<paramref name="name"/> and returns its full path.</summary>
    public string Add(string name, byte[] bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A valid PNG of that size: RGB, or RGBA with <paramref name="alpha"/>.</summary>
    public static byte[] Png(int w = 64, int h = 48, bool alpha = false) => TestImages.Png(w, h, alpha ? (byte)6 : (byte)2);
}
