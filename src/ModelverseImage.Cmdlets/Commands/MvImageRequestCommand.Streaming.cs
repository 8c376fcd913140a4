using System;
using System.Globalization;
using ModelverseImage.Api;
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
        private Action<PartialImage> PartialWriter(ImageRequest request, string label)
        {
            int asked = request.PartialImages ?? 0;
            return partial =>
            {
                var image = MvImage.FromPartial(partial, request);
                _pump.Post(() =>
                {
                    WriteObject(image);
                    _pump.NotePartial(label, string.Format(CultureInfo.InvariantCulture, "partial {0} of {1} received", partial.PartialIndex + 1, Math.Max(asked, partial.PartialIndex + 1)));
                });
            };
        }
    }
}
