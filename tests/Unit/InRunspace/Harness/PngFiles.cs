using System.Buffers.Binary;

namespace ModelverseImage.Tests.Harness;

/// <summary>Reads what a saved PNG says of its size, as a test checks a file a cmdlet wrote.</summary>
public static class PngFiles
{
    public static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(TestPng.Signature), "not a PNG signature");
        var (type, ihdr, _) = TestPng.Chunks(png).First();
        Assert.Equal("IHDR", type);
        return (BinaryPrimitives.ReadInt32BigEndian(ihdr), BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
    }
}
