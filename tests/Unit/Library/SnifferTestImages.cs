using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

/// <summary>The header check every test image of the sniffer tests goes through (the images come from TestKit's TestImages).</summary>
internal static class SnifferTestImages
{
    /// <summary>Reads the header from the bytes, a seekable and an unseekable slow stream, and a file in <paramref name="dir"/>: all must agree.</summary>
    public static void AssertReadEverywhere(string dir, byte[] bytes, ImageHeader expected)
    {
        Assert.Equal(expected, ImageSniffer.Read(bytes));
        Assert.Equal(expected, ImageSniffer.Read(new CountingStream(bytes, seekable: true)));
        Assert.Equal(expected, ImageSniffer.Read(new CountingStream(bytes, seekable: false)));
        string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".dat");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(expected, ImageSniffer.ReadFile(path));
    }
}
