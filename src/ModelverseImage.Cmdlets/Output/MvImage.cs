using System;
using System.Globalization;
using System.Management.Automation;
using ModelverseImage.Api;

namespace ModelverseImage.Output
{
    /// <summary>
    /// One generated or edited image: its decoded bytes, what it is, what was asked for, and what it cost.
    /// Written to the pipeline by New-MvImage and Edit-MvImage; Save-MvImage writes it to disk.
    /// </summary>
    public sealed partial class MvImage
    {
        private byte[]? _bytes;

        public MvImage(byte[] bytes, string format, int width, int height)
            : this(new ArraySegment<byte>(bytes ?? throw new ArgumentNullException(nameof(bytes))), format, width, height)
        {
        }

        internal MvImage(ArraySegment<byte> data, string format, int width, int height)
        {
            Data = data;
            Format = format;
            Width = width;
            Height = height;
        }

        /// <summary>
        /// The image file's bytes, decoded from the API's base64. The decoder writes them into an array sized
        /// from the answer's length, a little larger than the image; this exact-size array is made from it on
        /// first use, so a pipeline that only saves the image never copies it.
        /// </summary>
        /// <remarks>
        /// PowerShell sees it as the hidden property <c>Bytes</c> (ModelverseImage.Types.ps1xml, through
        /// <see cref="BytesOf"/>): <c>$image.Bytes</c> works, while ConvertTo-Json, Format-List * and
        /// Select-Object * leave megabytes of numbers out. A public CLR property would be read by ConvertTo-Json's
        /// reflection whatever the type data said.
        /// </remarks>
        internal byte[] Bytes => _bytes ??= ImageBytes.Exact(Data);

        /// <summary>
        /// False for the placeholder made from a deserialized copy (Import-Clixml, job output), which carries
        /// the description but no image; the cmdlets refuse it with NoImageBytes.
        /// </summary>
        internal bool HasBytes { get; private set; } = true;

        /// <summary>A placeholder for a deserialized MvImage: its description, no bytes.</summary>
        internal static MvImage FromDeserialized(PSObject copy)
        {
            T? Get<T>(string name) => copy.Properties[name]?.Value is object v && LanguagePrimitives.TryConvertTo(v, out T result) ? result : default;
            return new MvImage(new ArraySegment<byte>(Array.Empty<byte>()), Get<string>(nameof(Format)) ?? "unknown", Get<int>(nameof(Width)), Get<int>(nameof(Height)))
            {
                HasBytes = false,
                Index = Get<int>(nameof(Index)),
                IsPartial = Get<bool>(nameof(IsPartial)),
                PartialIndex = copy.Properties[nameof(PartialIndex)]?.Value is object p && LanguagePrimitives.TryConvertTo(p, out int partial) ? partial : (int?)null,
                Prompt = Get<string>(nameof(Prompt)) ?? string.Empty,
                Model = Get<string>(nameof(Model)) ?? string.Empty,
                SourcePath = Get<string>(nameof(SourcePath)) ?? string.Empty,
                Path = Get<string>(nameof(Path)) ?? string.Empty,
            };
        }

        /// <summary>The getter of the hidden <c>Bytes</c> code property (ModelverseImage.Types.ps1xml).</summary>
        public static byte[]? BytesOf(PSObject instance) => (instance?.BaseObject as MvImage)?.Bytes;

        /// <summary>The decoded bytes where they were decoded; what the cmdlets read and write.</summary>
        internal ArraySegment<byte> Data { get; }

        /// <summary>png, jpeg or webp, read from the bytes (not assumed from the request).</summary>
        public string Format { get; }

        /// <summary>Width in pixels, read from the image header.</summary>
        public int Width { get; }

        /// <summary>Height in pixels, read from the image header.</summary>
        public int Height { get; }

        /// <summary>1-based position of this image in its answer (with -Count above 1).</summary>
        public int Index { get; init; } = 1;

        /// <summary>True for a partial image of a streamed answer (-PartialImages): an early rendering, not the result.</summary>
        public bool IsPartial { get; init; }

        /// <summary>For a partial image, the API's partial_image_index (0 for the first); null for the final image.</summary>
        public int? PartialIndex { get; init; }

        public string Prompt { get; init; } = string.Empty;
        public string? RevisedPrompt { get; init; }
        public string Model { get; init; } = string.Empty;

        /// <summary>The size the API says it made; where it does not say, the size asked for ("auto" when none was given).</summary>
        public string Size { get; init; } = "auto";

        /// <summary>The quality the API says it used (with -Quality auto, the one that drives the cost); else the one asked for.</summary>
        public string? Quality { get; init; }

        /// <summary>transparent or opaque as the API reports it; else the -Background asked for, if any.</summary>
        public string? Background { get; init; }
        public DateTimeOffset? Created { get; init; }

        /// <summary>Tokens of the whole request (shared by every image of a -Count request).</summary>
        public TokenUsage? Usage { get; init; }

        /// <summary>The server's request id (x-request-id), when it sent one.</summary>
        public string? RequestId { get; init; }

        /// <summary>
        /// The answer this image came in, never empty: the request id, else an id the module made for the request
        /// (mv-...). Images of one answer share it, so Sort-Object AnswerId -Unique counts each request once.
        /// </summary>
        public string AnswerId { get; init; } = string.Empty;

        /// <summary>For edits, the file the image was made from; empty for new images.</summary>
        public string SourcePath { get; init; } = string.Empty;

        /// <summary>Where Save-MvImage wrote it (with -PassThru); empty until then.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>Size of the image file in bytes.</summary>
        public long Length => Data.Count;

        public override string ToString() => IsMask ? MaskText() : string.Format(CultureInfo.InvariantCulture,
            "{0}{1} {2}x{3}, {4:N0} KB: {5}", IsPartial ? "partial " + PartialIndex?.ToString(CultureInfo.InvariantCulture) + ", " : string.Empty,
            Format, Width, Height, (Length + 1023) / 1024, Summarize(Prompt));

        private static string Summarize(string prompt) => prompt.Length <= 60 ? prompt : prompt.Substring(0, 57) + "...";
    }
}
