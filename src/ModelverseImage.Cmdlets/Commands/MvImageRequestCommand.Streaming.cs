using System;
using System.Globalization;
using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Output;

namespace ModelverseImage.Commands
{
    /// <summary>Partial images of streamed answers (-PartialImages), written as they arrive.</summary>
    public abstract partial class MvImageRequestCommand
    {
        /// <summary>
        /// The client's callback for one request's partial images. It runs on a worker thread, so it only queues:
        /// the pipeline thread writes each partial MvImage, at once, and notes it in the progress bar.
        /// </summary>
        private Action<PartialImage> PartialWriter(ImageRequest request, string label, string? size, string? quality, string sourcePath)
        {
            int asked = request.Fields.TryGetValue("partial_images", out var n) && n != null ? Convert.ToInt32(n, CultureInfo.InvariantCulture) : 0;
            return partial =>
            {
                var image = ToPartialImage(partial, request, size, quality, sourcePath);
                _outbox.Enqueue(() =>
                {
                    WriteObject(image);
                    _partialNote = string.Format(CultureInfo.InvariantCulture, "{0}: partial {1} of {2} received", label, partial.PartialIndex + 1, Math.Max(asked, partial.PartialIndex + 1));
                    UpdateProgress(force: true);
                });
                _signal.Release();
            };
        }

        private static MvImage ToPartialImage(PartialImage partial, ImageRequest request, string? size, string? quality, string sourcePath)
        {
            var used = partial.Settings;
            string? background = request.Fields.TryGetValue("background", out var asked) ? asked as string : null;
            var header = ImageSniffer.Read(partial.Data);
            return new MvImage(partial.Data, ImageSniffer.Name(header.Format), header.Width, header.Height)
            {
                Index = partial.ImageIndex + 1,
                IsPartial = true,
                PartialIndex = partial.PartialIndex,
                Prompt = request.Prompt,
                Model = request.Model,
                Size = used.Size ?? Sizes.ImageSizeRules.Normalize(size) ?? Sizes.ImageSizeRules.Auto,
                Quality = used.Quality ?? quality,
                Background = used.Background ?? background,
                Created = partial.Created,
                RequestId = partial.RequestId,
                SourcePath = sourcePath,
            };
        }
    }
}
