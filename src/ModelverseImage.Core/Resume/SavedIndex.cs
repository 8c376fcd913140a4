using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelverseImage.Imaging;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// Which images of which requests a folder already holds: the records embedded in its *.png, *.jpg, *.jpeg and
    /// *.webp regular files (read as Import-MvImage reads them: a bounded walk over chunk headers, never a decode, and
    /// never opening a pipe or a device), and the journal's lines whose file exists (for images saved unchanged). A
    /// journal line for a file whose embedded record says otherwise is ignored.
    /// </summary>
    public sealed class SavedIndex
    {
        private readonly Dictionary<(string Key, int Occurrence), HashSet<int>> _saved = new Dictionary<(string, int), HashSet<int>>();

        /// <summary>Images counted (files with a record, plus journalled files without one).</summary>
        public int ImageCount { get; private set; }

        /// <summary>Reads <paramref name="folder"/>; a folder that does not exist yet holds nothing.</summary>
        public static SavedIndex Load(string folder)
        {
            var index = new SavedIndex();
            if (!Directory.Exists(folder)) return index;
            var recorded = new Dictionary<string, ImageRecord?>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                string name = Path.GetFileName(file);
                if (name.StartsWith(".", StringComparison.Ordinal) || !Saving.FileNamer.HasImageExtension(name)) continue;
                var record = ReadRecord(file);
                recorded[name] = record;
                if (record?.RequestKey != null) index.Add(record.RequestKey, record.Occurrence ?? 1, record.Index ?? 1);
            }
            foreach (var entry in SaveJournal.Read(folder))
            {
                if (!recorded.TryGetValue(entry.FileName, out var record)) continue; // the file is not there: not saved
                if (record?.RequestKey != null) continue; // its own record counts, whatever the journal says
                index.Add(entry.Key, entry.Occurrence, entry.Index);
            }
            return index;
        }

        /// <summary>The embedded record of one file, or null (no XMP of ours, unreadable, not a regular file, not an image).</summary>
        public static ImageRecord? ReadRecord(string file)
        {
            try
            {
                return ImageFile.ReadRecord(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        public void Add(string key, int occurrence, int index)
        {
            if (!_saved.TryGetValue((key, occurrence), out var indices)) _saved[(key, occurrence)] = indices = new HashSet<int>();
            if (indices.Add(index)) ImageCount++;
        }

        /// <summary>The indices 1..<paramref name="count"/> of this request not saved yet, in order.</summary>
        public List<int> Missing(string key, int occurrence, int count)
        {
            _saved.TryGetValue((key, occurrence), out var indices);
            var missing = new List<int>();
            for (int i = 1; i <= count; i++)
                if (indices == null || !indices.Contains(i)) missing.Add(i);
            return missing;
        }
    }
}
