namespace ModelverseImage.FakeApi;

// Request checks: the key, and whether n, size, output_format and prompt can be answered.
public sealed partial class FakeModelverseApi
{
    private bool IsAuthorized(RecordedRequest request)
    {
        var key = ExpectedApiKey;
        return key is null || string.Equals(request.Authorization, "Bearer " + key, StringComparison.Ordinal);
    }

    private readonly record struct ImageRequest(int Count, int Width, int Height, ImageFormat Format, string Prompt, string Quality, string Background);

    private readonly record struct RequestProblem(string Message, string Code);

    /// <summary>Reads n, size, output_format and prompt; false with the reason when the request cannot be answered.</summary>
    private static bool TryParseImageRequest(RecordedRequest request, bool isEdit, bool malformed,
        out ImageRequest parsed, out RequestProblem problem)
    {
        parsed = default;
        problem = default;

        if (isEdit)
        {
            if (malformed || request.Parts.Count == 0)
            {
                problem = new("The request body must be multipart/form-data with an image and a prompt.", "invalid_request_body");
                return false;
            }

            if (!request.Parts.Any(p => p.Name is "image" or "image[]"))
            {
                problem = new("Missing required parameter: 'image'.", "missing_required_parameter");
                return false;
            }
        }
        else
        {
            if (request.JsonBody is null || !IsJsonObject(request.JsonBody))
            {
                problem = new("We could not parse the JSON body of your request. The request body must be a JSON object.", "invalid_json");
                return false;
            }
        }

        var count = 1;
        if (request.FieldValue("n") is { } nText &&
            (!int.TryParse(nText, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxImagesPerRequest))
        {
            problem = new($"Invalid value for 'n': {nText}. Expected an integer from 1 to {MaxImagesPerRequest}.", "invalid_value");
            return false;
        }

        int width = 1024, height = 1024;
        var size = request.FieldValue("size");
        if (size is not null && !size.Equals("auto", StringComparison.OrdinalIgnoreCase) && !TryParseSize(size, out width, out height))
        {
            problem = new($"Invalid value for 'size': '{size}'. Expected 'auto' or WIDTHxHEIGHT.", "invalid_value");
            return false;
        }

        ImageFormat format;
        switch (request.FieldValue("output_format")?.ToLowerInvariant())
        {
            case null or "png":
                format = ImageFormat.Png;
                break;
            case "jpeg" or "jpg":
                format = ImageFormat.Jpeg;
                break;
            case "webp":
                format = ImageFormat.Webp;
                break;
            default:
                problem = new("Invalid value for 'output_format'. Supported values are: 'png', 'jpeg' and 'webp'.", "invalid_value");
                return false;
        }

        // The answer echoes what was used, as OpenAI's does: "auto" or nothing resolves to one value.
        var quality = request.FieldValue("quality")?.ToLowerInvariant() is "low" or "medium" or "high" ? request.FieldValue("quality")!.ToLowerInvariant() : "medium";
        var background = request.FieldValue("background")?.ToLowerInvariant() == "transparent" ? "transparent" : "opaque";
        parsed = new ImageRequest(count, width, height, format, request.FieldValue("prompt") ?? "", quality, background);
        return true;
    }

    private static string FormatName(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Webp => "webp",
        _ => "png",
    };

    private static bool TryParseSize(string size, out int width, out int height)
    {
        width = height = 0;
        var x = size.IndexOfAny(['x', 'X']);
        return x > 0 &&
               int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out width) &&
               int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out height) &&
               width >= 1 && height >= 1 && (long)width * height <= ImageEncoder.MaxPixels;
    }

    private static bool IsJsonObject(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
