using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using ModelverseImage.Api;
using ModelverseImage.Output;

namespace ModelverseImage.Commands
{
    /// <summary>Images of streamed answers (-PartialImages), partial and final, written as they arrive.</summary>
    public abstract partial class MvImageRequestCommand
    {
        /// <summary>
        /// The client's callback for one request's streamed images. It runs on a worker thread, so it only queues: the
        /// pipeline thread writes each MvImage at once, and notes partials in the progress bar. A final image is
        /// written the moment it completes, so it is kept even when the stream fails afterwards;
        /// <paramref name="finalsWritten"/> counts them, and the answer's own list then skips them.
        /// </summary>
        private Action<StreamedImage> StreamWriter(ImageRequest request, RequestTicket ticket, string label, StrongBox<int> finalsWritten)
        {
            int asked = request.PartialImages ?? 0;
            return streamed =>
            {
                var image = MvImage.FromStreamed(streamed, request, ticket);
                if (!streamed.IsPartial) Interlocked.Increment(ref finalsWritten.Value);
                _pump.Post(() =>
                {
                    WriteObject(image);
                    if (streamed.PartialIndex is int partial)
                        _pump.NotePartial(label, string.Format(CultureInfo.InvariantCulture, "partial {0} of {1} received", partial + 1, Math.Max(asked, partial + 1)));
                });
            };
        }
    }
}
