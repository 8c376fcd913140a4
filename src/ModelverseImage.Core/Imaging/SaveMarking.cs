using System;
using System.IO;
using ModelverseImage.Resume;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// What Save-MvImage writes for an image: the bytes with the XMP record inserted (or the API's bytes unchanged,
    /// for content credentials and -NoMetadata), and the ledger entry written just before the file is moved into place.
    /// </summary>
    public sealed class SaveMarking
    {
        private readonly ImageRecord _record;
        private readonly bool _isPartial;
        private readonly bool _enterMarked;
        private string? _sha256;

        private SaveMarking(ImageRecord record, bool isPartial, bool enterMarked, ArraySegment<byte>[] parts, MarkOutcome? outcome, ImageFault fault)
        {
            _record = record;
            _isPartial = isPartial;
            _enterMarked = enterMarked;
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
        /// <param name="enterMarked">
        /// Enter a marked image in the ledger too (it was planned with -Resume: runs sharing the folder read the
        /// ledger on after winning a claim). An image saved without its record is always entered.
        /// </param>
        public static SaveMarking For(ArraySegment<byte> data, ImageRecord record, bool isPartial, bool noMetadata, bool enterMarked)
        {
            if (noMetadata) return new SaveMarking(record, isPartial, enterMarked, new[] { data }, outcome: null, ImageFault.None);
            var outcome = XmpEmbedder.Plan(data, record, out var parts, out var fault);
            return new SaveMarking(record, isPartial, enterMarked, parts, outcome, fault);
        }

        /// <summary>
        /// Why the ledger entry of the last save could not be written (a LedgerException or the I/O failure), or
        /// null. The image is saved all the same: a paid image is never lost to the ledger.
        /// </summary>
        public Exception? LedgerFailure { get; private set; }

        /// <summary>
        /// Runs with the file's final path and the temporary file, once that is written and before it is moved
        /// there: appends the image's ledger entry (request key, occurrence, index, the file's name, length, time
        /// and SHA-256, the run), so a kill between the two leaves an entry whose file is not there, which counts
        /// for nothing. A failure is kept in <see cref="LedgerFailure"/>, not thrown. Partial images, never
        /// results, images that carry no rerun record, and marked images not planned with -Resume (their
        /// embedded record is enough) are not entered.
        /// </summary>
        public Action<string, string>? BeforeMove
        {
            get
            {
                string? key = _record.RequestKey;
                if (key == null || _isPartial || (Outcome == MarkOutcome.Marked && !_enterMarked)) return null;
                return (path, temp) =>
                {
                    string folder = Path.GetDirectoryName(path)!;
                    try
                    {
                        _sha256 ??= Sha256Text.Of(Parts);
                        var entry = new LedgerEntry(key, _record.Occurrence ?? 1, _record.Index ?? 1, Path.GetFileName(path), Length, File.GetLastWriteTimeUtc(temp).Ticks, _sha256, _record.RunId ?? string.Empty);
                        Ledger.Append(folder, entry);
                        LedgerFailure = null;
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
                    {
                        LedgerFailure = ex;
                    }
                };
            }
        }

        private long Length
        {
            get
            {
                long length = 0;
                foreach (var part in Parts) length += part.Count;
                return length;
            }
        }
    }
}
