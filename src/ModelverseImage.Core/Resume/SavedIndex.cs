using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using ModelverseImage.Imaging;
using ModelverseImage.Saving;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// Which images of which requests a folder already holds. A file counts only if it is a regular image file of
    /// the folder and either its ledger entry names its content (the same length and modification time, or else
    /// the same SHA-256) or its own embedded record says so (read as Import-MvImage reads it: a bounded walk over
    /// chunk headers, never a decode, never opening a pipe or a device). A ledger entry whose file is gone, or
    /// holds other bytes now, counts for nothing. The ledger is read once, in bounded memory (only entries naming
    /// a file of the folder are looked at, a few per name), and read on from where it stopped by
    /// <see cref="Refresh"/>.
    /// </summary>
    public sealed class SavedIndex
    {
        /// <summary>Entries looked at per file name at most: a name is rarely reused, and an entry flood must not fill memory.</summary>
        private const int EntriesPerName = 16;

        private static readonly StringComparer NameComparer =
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        private readonly Dictionary<(string Key, int Occurrence), HashSet<int>> _saved = new Dictionary<(string, int), HashSet<int>>();
        private readonly string _folder;
        private long _ledgerNext;

        private SavedIndex(string folder) => _folder = folder;

        /// <summary>Images counted.</summary>
        public int ImageCount { get; private set; }

        /// <summary>What the first read of the ledger found: lines that did not check out, a cut last line, or why it was not read.</summary>
        public LedgerReading? LedgerFirstRead { get; private set; }

        /// <summary>Reads <paramref name="folder"/>; a folder that does not exist yet holds nothing.</summary>
        public static SavedIndex Load(string folder)
        {
            var index = new SavedIndex(folder);
            if (!Directory.Exists(folder)) return index;
            var files = new Dictionary<string, FolderFile>(NameComparer);
            foreach (var info in new DirectoryInfo(folder).EnumerateFiles())
            {
                string name = info.Name;
                if (name.StartsWith(".", StringComparison.Ordinal) || !FileNamer.HasImageExtension(name)) continue;
                if ((info.Attributes & FileAttributes.ReparsePoint) != 0) continue; // a link: not a file of the folder
                files[name] = new FolderFile(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
            }
            index.LedgerFirstRead = Ledger.Read(folder, 0, entry =>
            {
                if (files.TryGetValue(entry.FileName, out var file) && file.Entries.Count < EntriesPerName) file.Entries.Add(entry);
            });
            index._ledgerNext = index.LedgerFirstRead.Next;
            foreach (var file in files.Values) index.Count(file);
            return index;
        }

        /// <summary>
        /// Reads the entries other runs appended to the ledger since the last read, counting those whose files check
        /// out: what a run sees after it wins a claim, as the folder may have changed since it was first read.
        /// </summary>
        public void Refresh()
        {
            var files = new Dictionary<string, FolderFile>(NameComparer);
            var reading = Ledger.Read(_folder, _ledgerNext, entry =>
            {
                if (!files.TryGetValue(entry.FileName, out var file))
                {
                    var info = new FileInfo(Path.Combine(_folder, entry.FileName));
                    if (!info.Exists || (info.Attributes & FileAttributes.ReparsePoint) != 0) return;
                    files[entry.FileName] = file = new FolderFile(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
                }
                if (file.Entries.Count < EntriesPerName) file.Entries.Add(entry);
            });
            _ledgerNext = reading.Next;
            foreach (var file in files.Values)
                foreach (var entry in file.Entries)
                    if (Matches(file, entry)) Add(entry.Key, entry.Occurrence, entry.Index);
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

        public bool IsSaved(string key, int occurrence, int index) =>
            _saved.TryGetValue((key, occurrence), out var indices) && indices.Contains(index);

        /// <summary>The indices 1..<paramref name="count"/> of this request not saved yet, in order.</summary>
        public List<int> Missing(string key, int occurrence, int count)
        {
            _saved.TryGetValue((key, occurrence), out var indices);
            var missing = new List<int>();
            for (int i = 1; i <= count; i++)
                if (indices == null || !indices.Contains(i)) missing.Add(i);
            return missing;
        }

        /// <summary>
        /// Counts one file: by its entries when one names it as it is now (length and time), else by its own record,
        /// and else, for a file without one (saved unchanged), by the entries whose SHA-256 is its content's.
        /// </summary>
        private void Count(FolderFile file)
        {
            bool quick = false;
            foreach (var entry in file.Entries)
            {
                if (entry.Length != file.Length || entry.WrittenUtcTicks != file.WrittenUtcTicks) continue;
                if (!quick && FileKind.Of(file.Path, followLinks: false) != FileKindValue.Regular) return;
                quick = true;
                Add(entry.Key, entry.Occurrence, entry.Index);
            }
            if (quick) return;
            var record = ReadRecord(file.Path);
            if (record?.RequestKey != null)
            {
                Add(record.RequestKey, record.Occurrence ?? 1, record.Index ?? 1);
                return;
            }
            foreach (var entry in file.Entries)
                if (Matches(file, entry)) Add(entry.Key, entry.Occurrence, entry.Index);
        }

        /// <summary>Whether <paramref name="file"/> holds what <paramref name="entry"/> saved: a regular file of its length and, unless its time is unchanged, its SHA-256.</summary>
        private static bool Matches(FolderFile file, LedgerEntry entry)
        {
            if (entry.Length != file.Length || FileKind.Of(file.Path, followLinks: false) != FileKindValue.Regular) return false;
            if (entry.WrittenUtcTicks == file.WrittenUtcTicks) return true;
            return string.Equals(file.Sha256(), entry.Sha256, StringComparison.Ordinal);
        }

        /// <summary>An image file of the folder, as listed, with the ledger entries naming it.</summary>
        private sealed class FolderFile
        {
            private string? _sha256;

            public FolderFile(string path, long length, long writtenUtcTicks)
            {
                Path = path;
                Length = length;
                WrittenUtcTicks = writtenUtcTicks;
            }

            public string Path { get; }
            public long Length { get; }
            public long WrittenUtcTicks { get; }
            public List<LedgerEntry> Entries { get; } = new List<LedgerEntry>();

            /// <summary>SHA-256 of the file's bytes (read once; a file that cannot be read has none).</summary>
            public string Sha256()
            {
                if (_sha256 != null) return _sha256;
                try
                {
                    using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
                    _sha256 = Sha256Text.Of(stream);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    _sha256 = string.Empty;
                }
                return _sha256;
            }
        }
    }
}
