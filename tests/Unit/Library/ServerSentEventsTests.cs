using System.Text;
using ModelverseImage.Api;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;

namespace ModelverseImage.Tests.Library;

/// <summary>The server-sent-events splitter: line ends, multi-line data, comments, keep-alives, any chunking, any size.</summary>
public sealed class ServerSentEventsTests
{
    /// <summary>Collects events as "name|data" strings.</summary>
    private sealed class Collect : IServerSentEventSink
    {
        private readonly List<byte> _data = new();
        public List<string> Events { get; } = new();
        public int DataCalls { get; private set; }

        public void Data(ReadOnlySpan<byte> data)
        {
            DataCalls++;
            _data.AddRange(data.ToArray());
        }

        public void EventEnd(string? name)
        {
            Events.Add((name ?? "-") + "|" + Encoding.UTF8.GetString(_data.ToArray()));
            _data.Clear();
        }
    }

    private static List<string> Split(string text, params int[] cuts)
    {
        var sink = new Collect();
        var reader = new ServerSentEventReader(sink);
        var bytes = Encoding.UTF8.GetBytes(text);
        int start = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            reader.Feed(bytes.AsSpan(start, cut - start));
            start = cut;
        }
        return sink.Events;
    }

    private const string Stream =
        ": keep-alive\n\n" +
        "event: image_generation.partial_image\ndata: {\"a\":1}\n\n" +
        ":comment\n" +
        "id: 7\nretry: 1000\nunknown: x\n" +
        "data: line one\ndata:line two\ndata\ndata:  two spaces\n\n" +
        "\n\n" +
        "event: error\ndata: {\"type\":\"error\"}\n\n";

    private static readonly string[] Expected =
    {
        "image_generation.partial_image|{\"a\":1}",
        "-|line one\nline two\n\n two spaces",
        "error|{\"type\":\"error\"}",
    };

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void SplitsEventsWithAnyLineEnd(string lineEnd)
    {
        Assert.Equal(Expected, Split(Stream.Replace("\n", lineEnd)));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void GivesTheSameEventsWhereverTheBytesAreCut(string lineEnd)
    {
        string text = Stream.Replace("\n", lineEnd);
        int length = Encoding.UTF8.GetByteCount(text);
        for (int cut = 0; cut <= length; cut++)
            Assert.Equal(Expected, Split(text, cut));
        Assert.Equal(Expected, Split(text, Enumerable.Range(1, length - 1).ToArray()));
    }

    [Fact]
    public void AByteOrderMarkAtTheStartIsSkipped()
    {
        Assert.Equal(new[] { "x|1" }, Split("\uFEFFevent: x\ndata: 1\n\n"));
    }

    [Fact]
    public void AnEventNotEndedByABlankLineIsNotDispatched()
    {
        var sink = new Collect();
        var reader = new ServerSentEventReader(sink);
        reader.Feed(Encoding.UTF8.GetBytes("data: a\n\ndata: half of the next"));
        Assert.Equal(new[] { "-|a" }, sink.Events);
    }

    [Fact]
    public void ALargeEventIsStreamedThroughInPiecesWithoutBeingBuffered()
    {
        // 48 MiB of data on one line, fed in 64 KiB reads: the reader hands each piece on and keeps none of it.
        var sink = new CountingSink();
        var reader = new ServerSentEventReader(sink);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'A');
        reader.Feed(Encoding.ASCII.GetBytes("event: big\ndata: "));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 768; i++) reader.Feed(chunk);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        reader.Feed(Encoding.ASCII.GetBytes("\n\n"));
        Assert.Equal(768L * chunk.Length, sink.Bytes);
        Assert.Equal("big", sink.Name);
        Assert.True(allocated < 64 * 1024, $"the reader allocated {allocated:N0} bytes while 48 MiB of data went through");
    }

    private sealed class CountingSink : IServerSentEventSink
    {
        public long Bytes { get; private set; }
        public string? Name { get; private set; }
        public void Data(ReadOnlySpan<byte> data) => Bytes += data.Length;
        public void EventEnd(string? name) => Name = name;
    }
}

/// <summary>Streamed image events: partial images handed on as their events end, the final image kept, error events thrown.</summary>
public sealed class ImageEventStreamTests
{
    private static readonly byte[] Png = TestImages.Png(32, 16, 2);

    private static string ImageEvent(string type, string extra) =>
        $"event: {type}\ndata: {{\"type\":\"{type}\",\"b64_json\":\"{Convert.ToBase64String(Png)}\"{extra}}}\n\n";

    private static (ImageEventStream Events, List<StreamedImage> Partials, Exchange Exchange) Read(string text, int chunk)
    {
        var streamed = new List<StreamedImage>();
        var exchange = new Exchange(billable: true);
        var events = new ImageEventStream(1 << 20, 200, "req_9", data => ImageSniffer.Read(data), exchange, streamed.Add);
        var reader = new ServerSentEventReader(events);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < bytes.Length; i += chunk) reader.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        Assert.Equal(events.Completed.Count, streamed.Count(s => !s.IsPartial)); // each final image is handed on as it completes, too
        return (events, streamed.Where(s => s.IsPartial).ToList(), exchange);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public void PartialImagesArriveAsTheirEventsEndAndTheFinalImageIsKept(int chunk)
    {
        string text = ": keep-alive\n\n"
            + ImageEvent("image_edit.partial_image", ",\"partial_image_index\":0,\"size\":\"32x16\",\"created_at\":1700000000")
            + "event: image_edit.something_new\ndata: {\"type\":\"image_edit.something_new\"}\n\n"
            + ImageEvent("image_edit.partial_image", ",\"partial_image_index\":1")
            + ImageEvent("image_edit.completed", ",\"quality\":\"high\",\"usage\":{\"total_tokens\":9,\"input_tokens\":4,\"output_tokens\":5}");
        var (events, partials, exchange) = Read(text, chunk);
        Assert.Equal(new int?[] { 0, 1 }, partials.Select(p => p.PartialIndex));
        Assert.All(partials, p => Assert.Equal(Png, p.Data.ToArray()));
        Assert.Equal("32x16", partials[0].Settings.Size);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), partials[0].Created);
        Assert.Equal("req_9", partials[0].RequestId);
        Assert.Equal(2, exchange.Record().PartialImages);
        Assert.All(partials, p => Assert.Equal(new ImageHeader(ImageFormat.Png, 32, 16, false), p.Header));
        var final = Assert.Single(events.Completed);
        Assert.Equal(Png, final.Data.ToArray());
        Assert.Equal(new ImageHeader(ImageFormat.Png, 32, 16, false), final.Header);
        Assert.Equal(9, events.Usage?.TotalTokens);
        Assert.Equal("high", events.Settings.Quality);
    }

    [Fact]
    public void EachImageCarriesTheHeaderItsCheckRead()
    {
        string text = ImageEvent("image_generation.partial_image", ",\"partial_image_index\":0")
            + ImageEvent("image_generation.completed", "");
        var streamed = new List<StreamedImage>();
        var checkedImages = new List<byte[]>();
        var told = new ImageHeader(ImageFormat.Webp, 7, 9, hasAlpha: true); // not what the bytes say: only the check's answer can give it
        var events = new ImageEventStream(1 << 20, 200, "req_9", data =>
        {
            checkedImages.Add(data.ToArray());
            return told;
        }, new Exchange(billable: true), streamed.Add);
        new ServerSentEventReader(events).Feed(Encoding.UTF8.GetBytes(text));

        Assert.Equal(new[] { Png, Png }, checkedImages);
        Assert.Equal(told, Assert.Single(streamed, s => s.IsPartial).Header);
        Assert.Equal(told, Assert.Single(events.Completed).Header);
    }

    [Fact]
    public void AnErrorEventIsThrownWithTheApisMessageAndCode()
    {
        string text = ImageEvent("image_generation.partial_image", ",\"partial_image_index\":0")
            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"Rejected by the safety system.\",\"type\":\"image_generation_user_error\",\"code\":\"moderation_blocked\",\"param\":null}}\n\n";
        var partials = new List<StreamedImage>();
        var reader = new ServerSentEventReader(new ImageEventStream(1 << 20, 200, "req_9", data => ImageSniffer.Read(data), new Exchange(billable: true), partials.Add));
        var error = Assert.Throws<ApiException>(() => reader.Feed(Encoding.UTF8.GetBytes(text)));
        Assert.Single(partials);
        Assert.Equal(FailureKind.ContentPolicy, error.Kind);
        Assert.Equal("moderation_blocked", error.ErrorCode);
        Assert.Equal("Rejected by the safety system.", error.ApiMessage);
        Assert.Equal("req_9", error.RequestId);
        Assert.False(error.Retried());
        Assert.Contains("Rejected by the safety system.", ApiWords.Message(error));
    }

    [Fact]
    public void ACompletedEventWithoutAnImageIsAnInvalidResponse()
    {
        var error = Assert.Throws<ApiException>(() => Read("data: {\"type\":\"image_generation.completed\"}\n\n", 100));
        Assert.Equal(FailureKind.InvalidResponse, error.Kind);
    }
}
