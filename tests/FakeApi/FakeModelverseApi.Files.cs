namespace ModelverseImage.FakeApi;

// GET /files/{name}: the downloads behind url answers.
public sealed partial class FakeModelverseApi
{
    private async Task ServeFileAsync(HttpContext context)
    {
        Interlocked.Increment(ref _filesInFlight);
        try
        {
            await ServeFileCoreAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _filesInFlight);
        }
    }

    private async Task ServeFileCoreAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        Interlocked.Increment(ref _fileRequests);
        if (TakeOne(ref _fileFailures))
        {
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "The file store is busy.", "server_error", "file_store_busy", null);
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token, Ending);
        try
        {
            if (TakeOne(ref _fileStalls))
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancel.Token);
            }

            if (FileDelay > TimeSpan.Zero)
            {
                await Task.Delay(FileDelay, cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        if (!_files.TryGetValue(name, out var image))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"No such file: {name}.", "invalid_request_error", "file_not_found", null);
            return;
        }

        if (await ResetFileAsync(context, image))
        {
            return;
        }

        context.Response.ContentType = image.MediaType;
        context.Response.ContentLength = image.Bytes.Length;
        try
        {
            for (var offset = 0; offset < image.Bytes.Length; offset += WriteChunkSize)
            {
                await context.Response.Body.WriteAsync(
                    image.Bytes.AsMemory(offset, Math.Min(WriteChunkSize, image.Bytes.Length - offset)), context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }
}
