using System;
using System.IO;
using ModelverseImage.Output;
using ModelverseImage.Resume;

namespace ModelverseImage.Metadata
{
    /// <summary>
    /// What Save-MvImage writes for an image: the bytes with the XMP record inserted (or the API's bytes unchanged,
    /// for content credentials and -NoMetadata), and the journal line written just before the file is moved into place.
    /// </summary>
    internal sealed class SaveMarking
    {
        private readonly MvImage _image;

        private SaveMarking(MvImage image, ArraySegment<byte>[] parts, MarkOutcome? outcome)
        {
            _image = image;
            Parts = parts;
            Outcome = outcome;
        }

        public ArraySegment<byte>[] Parts { get; }

        /// <summary>Marked, or why the bytes are written unchanged; null with -NoMetadata.</summary>
        public MarkOutcome? Outcome { get; }

        public static SaveMarking For(MvImage image, bool noMetadata)
        {
            if (noMetadata) return new SaveMarking(image, new[] { image.Data }, outcome: null);
            var outcome = XmpEmbedder.Plan(image.Data, image.ToRecord(), out var parts);
            return new SaveMarking(image, parts, outcome);
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
                if (_image.RequestKey == null || _image.IsPartial || Outcome == MarkOutcome.Marked) return null;
                return path => SaveJournal.Append(Path.GetDirectoryName(path)!, _image.RequestKey, _image.Occurrence, _image.Index, Path.GetFileName(path));
            }
        }
    }
}
