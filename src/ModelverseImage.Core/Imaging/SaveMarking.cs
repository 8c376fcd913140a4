using System;
using System.IO;
using ModelverseImage.Resume;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// What Save-MvImage writes for an image: the bytes with the XMP record inserted (or the API's bytes unchanged,
    /// for content credentials and -NoMetadata), and the journal line written just before the file is moved into place.
    /// </summary>
    public sealed class SaveMarking
    {
        private readonly ImageRecord _record;
        private readonly bool _isPartial;

        private SaveMarking(ImageRecord record, bool isPartial, ArraySegment<byte>[] parts, MarkOutcome? outcome, ImageFault fault)
        {
            _record = record;
            _isPartial = isPartial;
            Parts = parts;
            Outcome = outcome;
            Fault = fault;
        }

        public ArraySegment<byte>[] Parts { get; }

        /// <summary>Marked, or why the bytes are written unchanged; null with -NoMetadata.</summary>
        public MarkOutcome? Outcome { get; }

        /// <summary>Why the image is <see cref="MarkOutcome.Unmarked"/> (Save-MvImage warns, saying so); None otherwise.</summary>
        public ImageFault Fault { get; }

        /// <param name="data">The image's bytes as the API sent them.</param>
        /// <param name="record">What the XMP says of the image, its rerun record included.</param>
        /// <param name="isPartial">A partial image of a stream: never recorded as a saved image of its request.</param>
        /// <param name="noMetadata">Write <paramref name="data"/> unchanged.</param>
        public static SaveMarking For(ArraySegment<byte> data, ImageRecord record, bool isPartial, bool noMetadata)
        {
            if (noMetadata) return new SaveMarking(record, isPartial, new[] { data }, outcome: null, ImageFault.None);
            var outcome = XmpEmbedder.Plan(data, record, out var parts, out var fault);
            return new SaveMarking(record, isPartial, parts, outcome, fault);
        }

        /// <summary>
        /// Runs with the file's final path after the temporary file is written and before it is moved there: appends
        /// the journal line of an image that carries a rerun record but is saved without it embedded (content
        /// credentials, -NoMetadata). A marked image needs none: its record moves into place with it. Partial images,
        /// never results, are not recorded.
        /// </summary>
        public Action<string>? BeforeMove
        {
            get
            {
                string? key = _record.RequestKey;
                if (key == null || _isPartial || Outcome == MarkOutcome.Marked) return null;
                return path => SaveJournal.Append(Path.GetDirectoryName(path)!, key, _record.Occurrence ?? 1, _record.Index ?? 1, Path.GetFileName(path));
            }
        }
    }
}
