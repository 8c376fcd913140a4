using System.Text;
using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

/// <summary>
/// The XMP record read back from hostile packets (issue #24 item 2): nesting is refused past a small depth, so the
/// work is linear and bounded; the source's name is written under a key exiftool does not also use.
/// </summary>
public sealed class XmpRecordTests
{
    private const string Head = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        + "<rdf:Description rdf:about=\"\" xmlns:mvimage=\"" + XmpPacket.Namespace + "\">"
        + "<mvimage:RequestKey>0123456789abcdef0123456789abcdef</mvimage:RequestKey>";

    private const string Tail = "</rdf:Description></rdf:RDF></x:xmpmeta>";

    /// <summary>A record of ours whose mvimage:Model holds <paramref name="depth"/> nested elements.</summary>
    internal static byte[] NestedModel(int depth)
    {
        var text = new StringBuilder(Head.Length + Tail.Length + depth * 7 + 64);
        text.Append(Head).Append("<mvimage:Model>");
        for (int i = 0; i < depth; i++) text.Append("<a>");
        for (int i = 0; i < depth; i++) text.Append("</a>");
        return Encoding.UTF8.GetBytes(text.Append("</mvimage:Model>").Append(Tail).ToString());
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(200_000)] // 1.4 MB: took over 60 s to parse before
    public void APacketNestedDeeperThanAnyRecordIsRefused(int depth)
    {
        Assert.Null(XmpPacket.Parse(NestedModel(depth)));
    }

    [Fact]
    public void ARecordOfOrdinaryDepthStillReads()
    {
        var back = XmpPacket.Parse(Encoding.UTF8.GetBytes(Head + "<mvimage:Model>gpt-image-2</mvimage:Model>" + Tail));
        Assert.Equal("gpt-image-2", back?.Model);
        Assert.Equal("0123456789abcdef0123456789abcdef", back?.RequestKey);
    }

    [Fact]
    public void TheSourceNameIsWrittenUnderAKeyExiftoolDoesNotAlsoUse()
    {
        string packet = Encoding.UTF8.GetString(XmpPacket.Build(new ImageRecord { Prompt = "add snow", SourceFile = "cat.png" }));

        Assert.DoesNotContain("SourceFile", packet);
        Assert.Contains("<mvimage:SourceImage>cat.png</mvimage:SourceImage>", packet);
        Assert.Equal("cat.png", XmpPacket.Parse(Encoding.UTF8.GetBytes(packet))?.SourceFile);
    }

    [Fact]
    public void AnOlderRecordsSourceFileIsStillRead()
    {
        var old = Encoding.UTF8.GetBytes(Head + "<mvimage:SourceFile>cat.png</mvimage:SourceFile>" + Tail);
        Assert.Equal("cat.png", XmpPacket.Parse(old)?.SourceFile);
    }

    [Fact]
    public void PropertiesWrittenAsAttributesAreRead()
    {
        var packet = Encoding.UTF8.GetBytes("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
            + "<rdf:Description rdf:about=\"\" xmlns:mvimage=\"" + XmpPacket.Namespace + "\" mvimage:Model=\"m1\" mvimage:Index=\"3\"/>" + Tail.Substring("</rdf:Description>".Length));
        var back = XmpPacket.Parse(packet);
        Assert.Equal(("m1", 3), (back?.Model, back?.Index));
    }
}
