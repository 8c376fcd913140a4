using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Sizes;
using OpenAI;
using OpenAI.Images;

namespace ModelverseImage.Bench;

/// <summary>
/// One way of getting one generated image from the API. <see cref="FetchAsync"/> returns the length of the
/// decoded image (the floor, which decodes nothing, returns the length of the HTTP body it read).
/// </summary>
internal abstract class ImageFetcher : IAsyncDisposable
{
    public abstract string Id { get; }
    public abstract string Label { get; }

    /// <summary>True for the floor: its length is the body read, not an image.</summary>
    public virtual bool DecodesImage => true;

    /// <summary>When set, the next fetch keeps its image in <see cref="Kept"/> for checking (never while measured).</summary>
    public bool Keep { get; set; }
    public ReadOnlyMemory<byte> Kept { get; protected set; }

    public abstract Task<long> FetchAsync(string size);

    /// <summary>Tidies up after a run, outside the measured time (the cmdlets delete the saved file).</summary>
    public virtual void AfterRun()
    {
    }

    /// <summary>What the fetcher owns (its HTTP client or runspace), disposed with it.</summary>
    protected virtual IDisposable? Owned => null;

    public ValueTask DisposeAsync()
    {
        Owned?.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal static class ImageFetchers
{
    /// <summary>A size for warming up that costs next to nothing (the cmdlets send it with -AdditionalParameter).</summary>
    public const string TinySize = "64x64";

    /// <summary>In the order they run and are printed: the floor first, then the module, then the others.</summary>
    public static readonly string[] Ids = ["floor", "module", "hand", "sdk", "cmdlets", "bytes"];

    public static ImageFetcher Create(string id, Uri baseUri, string folder) => id switch
    {
        "floor" => new FloorClient(baseUri),
        "module" => new ModuleClient(baseUri),
        "hand" => new HandWrittenClient(baseUri),
        "sdk" => new OpenAiSdkClient(baseUri),
        "cmdlets" => new CmdletsClient(baseUri, folder),
        "bytes" => new BytesClient(baseUri),
        _ => throw new ArgumentException($"unknown client '{id}'"),
    };

    /// <summary>The generation request every client sends: prompt, model and size.</summary>
    public static byte[] RequestJson(string size)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prompt", Bench.Prompt);
            json.WriteString("model", Bench.Model);
            json.WriteString("size", size);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static Uri GenerationsUri(Uri baseUri) => new(baseUri.AbsoluteUri.TrimEnd('/') + "/" + ApiRules.GenerationsPath);

    public static HttpClient PlainHttpClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    });

    public static HttpRequestMessage GenerationRequest(Uri uri, string size)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(RequestJson(size)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bench.ApiKey);
        return request;
    }
}

/// <summary>(a) The floor: HttpClient POST, the response stream read into one reused buffer and thrown away.</summary>
internal sealed class FloorClient(Uri baseUri) : ImageFetcher
{
    private readonly HttpClient _http = ImageFetchers.PlainHttpClient();
    private readonly Uri _uri = ImageFetchers.GenerationsUri(baseUri);
    private readonly byte[] _buffer = new byte[64 * 1024];

    public override string Id => "floor";
    public override string Label => "floor (a) HttpClient, read + discard";
    public override bool DecodesImage => false;

    public override async Task<long> FetchAsync(string size)
    {
        using var request = ImageFetchers.GenerationRequest(_uri, size);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(_buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    protected override IDisposable Owned => _http;
}

/// <summary>The module's own client: ModelverseClient.SendAsync, from request to decoded bytes.</summary>
internal sealed class ModuleClient(Uri baseUri) : ImageFetcher
{
    private readonly ModelverseClient _client = new(new ClientSettings(baseUri, ApiKey.FromString(Bench.ApiKey)!));

    public override string Id => "module";
    public override string Label => "module ModelverseClient.SendAsync";

    public override async Task<long> FetchAsync(string size)
    {
        var request = new ImageRequest(Bench.Prompt, Bench.Model);
        request.Fields[ApiRules.SizeField] = size;
        var result = await _client.SendAsync(request, CancellationToken.None);
        // The decoded bytes as the module hands them on (MvImage.Bytes makes an exact-size copy only if asked for).
        var data = result.Images[0].Data;
        Kept = Keep ? data : default;
        return data.Count;
    }

    protected override IDisposable Owned => _client;
}

/// <summary>(b) Hand-written: HttpClient, ReadAsStringAsync, System.Text.Json, Convert.FromBase64String.</summary>
internal sealed class HandWrittenClient(Uri baseUri) : ImageFetcher
{
    private readonly HttpClient _http = ImageFetchers.PlainHttpClient();
    private readonly Uri _uri = ImageFetchers.GenerationsUri(baseUri);

    public override string Id => "hand";
    public override string Label => "hand-written (b) string + JSON + base64";

    public override async Task<long> FetchAsync(string size)
    {
        using var request = ImageFetchers.GenerationRequest(_uri, size);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(json);
        var base64 = document.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!;
        var bytes = Convert.FromBase64String(base64);
        Kept = Keep ? bytes : default;
        return bytes.Length;
    }

    protected override IDisposable Owned => _http;
}

/// <summary>(c) The official OpenAI .NET SDK: ImageClient.GenerateImageAsync, GeneratedImage.ImageBytes.</summary>
internal sealed class OpenAiSdkClient(Uri baseUri) : ImageFetcher
{
    private readonly ImageClient _client = new(Bench.Model, new ApiKeyCredential(Bench.ApiKey),
        new OpenAIClientOptions { Endpoint = baseUri });

    public override string Id => "sdk";
    public override string Label => "OpenAI SDK (c) GenerateImageAsync";

    public override async Task<long> FetchAsync(string size)
    {
        var (width, height) = Parse(size);
        var result = await _client.GenerateImageAsync(Bench.Prompt, new ImageGenerationOptions { Size = new GeneratedImageSize(width, height) });
        var bytes = result.Value.ImageBytes.ToMemory();
        Kept = Keep ? bytes : default;
        return bytes.Length;
    }

    private static (int Width, int Height) Parse(string size)
    {
        var parts = size.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The cmdlets in a runspace: New-MvImage ... | Save-MvImage -PassThru into a temporary folder. -PassThru hands on
/// the MvImage (its Path set to the file), so a run returns the decoded image's length as the other clients do.
/// </summary>
internal sealed class CmdletsClient : ImageFetcher
{
    private const string Script = "New-MvImage -Prompt $args[0] -Size $args[1] | Save-MvImage -Directory $args[2] -PassThru";
    private const string TinyScript = "New-MvImage -Prompt $args[0] -AdditionalParameter @{ size = $args[1] } | Save-MvImage -Directory $args[2] -PassThru";

    private readonly PsSession _ps;
    private readonly string _folder;

    public CmdletsClient(Uri baseUri, string folder)
    {
        _folder = folder;
        _ps = new PsSession();
        _ps.UseStandIn(baseUri, Bench.ApiKey);
    }

    public override string Id => "cmdlets";
    public override string Label => "cmdlets New-MvImage | Save-MvImage";

    public override Task<long> FetchAsync(string size)
    {
        // Sizes the cmdlet would refuse (the tiny warm-up) go through -AdditionalParameter.
        var output = _ps.Invoke(ImageSizeRules.IsValid(size) ? Script : TinyScript, Bench.Prompt, size, _folder);
        if (output.Count != 1 || output[0].BaseObject is not MvImage image || !File.Exists(image.Path))
        {
            throw new InvalidOperationException($"Save-MvImage -PassThru wrote {output.Count} objects, expected one MvImage saved to a file");
        }

        if (Keep)
        {
            CheckSavedFile(image);
            Kept = image.Data;
        }

        return Task.FromResult(image.Length);
    }

    /// <summary>
    /// The check before measuring (never timed): the file must hold exactly what Save-MvImage writes for the image,
    /// its decoded bytes with the XMP record inserted, as the module plans it (SaveMarking); the decoded bytes
    /// themselves are compared with the other clients' images.
    /// </summary>
    private static void CheckSavedFile(MvImage image)
    {
        var marking = SaveMarking.For(image.Data, image.ToRecord(), image.IsPartial, noMetadata: false, enterMarked: false);
        if (marking.Outcome != MarkOutcome.Marked)
        {
            throw new InvalidOperationException($"Save-MvImage does not mark the image ({marking.Outcome})");
        }

        using var expected = new MemoryStream();
        foreach (var part in marking.Parts)
        {
            expected.Write(part);
        }

        var saved = File.ReadAllBytes(image.Path);
        if (!saved.AsSpan().SequenceEqual(expected.GetBuffer().AsSpan(0, (int)expected.Length)))
        {
            throw new InvalidOperationException($"Save-MvImage wrote {saved.Length} bytes, not the {expected.Length} bytes of the image with its XMP record");
        }
    }

    public override void AfterRun()
    {
        foreach (var file in Directory.EnumerateFiles(_folder))
        {
            File.Delete(file);
        }
    }

    protected override IDisposable Owned => _ps;
}

/// <summary>
/// The cmdlets in a runspace, the image read as a script reads it: New-MvImage ..., then $image.Bytes (the hidden
/// property, an exact-size byte[]). What it allocates, against the decoded size, is what a script holding the bytes
/// of one image costs.
/// </summary>
internal sealed class BytesClient : ImageFetcher
{
    private const string Script = "$image = New-MvImage -Prompt $args[0] -Size $args[1]; $null = $image.Bytes; $image";
    private const string TinyScript = "$image = New-MvImage -Prompt $args[0] -AdditionalParameter @{ size = $args[1] }; $null = $image.Bytes; $image";

    private readonly PsSession _ps;

    public BytesClient(Uri baseUri)
    {
        _ps = new PsSession();
        _ps.UseStandIn(baseUri, Bench.ApiKey);
    }

    public override string Id => "bytes";
    public override string Label => "cmdlets New-MvImage, then $image.Bytes";

    public override Task<long> FetchAsync(string size)
    {
        var output = _ps.Invoke(ImageSizeRules.IsValid(size) ? Script : TinyScript, Bench.Prompt, size);
        if (output.Count != 1 || output[0].BaseObject is not MvImage image)
        {
            throw new InvalidOperationException($"New-MvImage wrote {output.Count} objects, expected one MvImage");
        }

        // The array $image.Bytes gave the script (made once, then kept by the image): reading it again allocates nothing.
        var bytes = image.Bytes;
        Kept = Keep ? bytes : default;
        return Task.FromResult((long)bytes.Length);
    }

    protected override IDisposable Owned => _ps;
}
