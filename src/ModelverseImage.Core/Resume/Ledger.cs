using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using ModelverseImage.Imaging;
using ModelverseImage.Saving;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// The folder's ledger, ".modelverseimage-journal": the one home of "what is done here". Save-MvImage appends an
    /// entry for every image of a request it saves (marked or not): request key, occurrence and index, the file's
    /// name, length, modification time and SHA-256, and the run that made it. An entry is one line that checks
    /// itself: "mv2", nine tab-separated fields, and the CRC-32 of everything before it. A line that does not check
    /// out (cut short by a full disk or a kill, or changed) is ignored, and an append never continues one: it
    /// starts a fresh line after a cut one. The ledger is opened only as a regular file of the folder, never through
    /// a link, a pipe or a device, and not read at all past <see cref="MaxBytes"/>.
    /// </summary>
    public static class Ledger
    {
        public const string FileName = ".modelverseimage-journal";

        /// <summary>A ledger longer than this (over a million entries) is not read: a rerun counts marked images by their own records.</summary>
        public const long MaxBytes = 256L << 20;

        private const string Version = "mv2";
        private const int MaxLineBytes = 4096;
        private const int FieldCount = 10;

        /// <summary>
        /// Appends <paramref name="entry"/> and flushes it to disk, the ledger held by this writer alone meanwhile.
        /// Throws <see cref="LedgerException"/> when the ledger is not a regular file of the folder (a link, a
        /// folder, a pipe, a device), too large or the name cannot be recorded; IOException and
        /// UnauthorizedAccessException when it cannot be written.
        /// </summary>
        public static void Append(string folder, LedgerEntry entry)
        {
            if (entry.FileName.IndexOfAny(new[] { '\t', '\r', '\n' }) >= 0 || entry.Key.IndexOfAny(new[] { '\t', '\r', '\n' }) >= 0)
                throw new LedgerException(LedgerProblem.NameNotRecordable, folder);
            byte[] line = Encoding.UTF8.GetBytes(Format(entry));
            string path = Path.Combine(folder, FileName);
            bool isNew;
            using (var stream = OpenChecked(path, folder, write: true))
            {
                long length = stream.Length;
                isNew = length == 0;
                if (length >= MaxBytes) throw new LedgerException(LedgerProblem.TooLarge, folder);
                bool cut = false;
                if (length > 0)
                {
                    stream.Seek(length - 1, SeekOrigin.Begin);
                    cut = stream.ReadByte() != '\n';
                }
                stream.Seek(length, SeekOrigin.Begin);
                if (cut) stream.WriteByte((byte)'\n'); // the cut line stays cut: never continued
                stream.Write(line, 0, line.Length);
                stream.Flush(flushToDisk: true);
            }
            // Hidden on Windows too, as its leading dot hides it elsewhere.
            if (isNew && Path.DirectorySeparatorChar == '\\') File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.Hidden);
        }

        /// <summary>
        /// Reads the entries from byte <paramref name="from"/> on, handing each that checks out to <paramref name="take"/>,
        /// in order. Lines that do not check out are counted, not handed on. Returns where the next read starts.
        /// </summary>
        public static LedgerReading Read(string folder, long from, Action<LedgerEntry> take)
        {
            string path = Path.Combine(folder, FileName);
            switch (FileKind.Of(path, followLinks: false))
            {
                case FileKindValue.Missing: return new LedgerReading(from, 0, false, LedgerProblem.None);
                case FileKindValue.Link: return new LedgerReading(from, 0, false, LedgerProblem.Link);
                case FileKindValue.Regular: break;
                default: return new LedgerReading(from, 0, false, LedgerProblem.NotAFile);
            }
            FileStream stream;
            try
            {
                stream = OpenChecked(path, folder, write: false);
            }
            catch (LedgerException ex)
            {
                return new LedgerReading(from, 0, false, ex.Problem);
            }
            using (stream)
            {
                long length = stream.Length;
                if (length > MaxBytes) return new LedgerReading(from, 0, false, LedgerProblem.TooLarge);
                if (from > length) from = 0; // shorter than when last read: it was replaced; read it again
                stream.Seek(from, SeekOrigin.Begin);
                return ReadLines(stream, from, length, take);
            }
        }

        /// <summary>The entry's line: "mv2", the fields, then the CRC-32 (hex) of all before its tab, and a line feed.</summary>
        internal static string Format(LedgerEntry e)
        {
            string body = string.Join("\t", Version, e.Key, Number(e.Occurrence), Number(e.Index), Number(e.Length), Number(e.WrittenUtcTicks), e.Sha256, e.RunId, e.FileName);
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            return body + "\t" + Crc32.Compute(bytes, 0, bytes.Length).ToString("x8", CultureInfo.InvariantCulture) + "\n";
        }

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        private static LedgerReading ReadLines(Stream stream, long start, long end, Action<LedgerEntry> take)
        {
            var buffer = new byte[64 * 1024];
            var line = new byte[MaxLineBytes];
            int lineLength = 0, damaged = 0;
            bool tooLong = false;
            long position = start, lineStart = start, lastEnd = start;
            while (position < end)
            {
                int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, end - position));
                if (read <= 0) break;
                for (int i = 0; i < read; i++)
                {
                    byte b = buffer[i];
                    position++;
                    if (b != '\n')
                    {
                        if (lineLength < line.Length) line[lineLength++] = b;
                        else tooLong = true;
                        continue;
                    }
                    int from = ContentStart(line, ref lineLength, first: lineStart == 0);
                    var entry = tooLong ? null : Parse(line, from, lineLength - from);
                    if (entry != null) take(entry);
                    else if (tooLong || lineLength > from) damaged++;
                    lineLength = 0;
                    tooLong = false;
                    lineStart = lastEnd = position;
                }
            }
            // A last line without its line feed is being written, or was cut: not read, and read again next time.
            bool tornTail = position > lineStart;
            return new LedgerReading(lastEnd, damaged, tornTail, LedgerProblem.None);
        }

        /// <summary>
        /// Where a line's content starts, and (through <paramref name="length"/>) ends: a line an editor saved with CR LF,
        /// or the first line with a UTF-8 byte order mark before it, is read as written. A blank line has none.
        /// </summary>
        private static int ContentStart(byte[] line, ref int length, bool first)
        {
            if (length > 0 && line[length - 1] == '\r') length--;
            return first && length >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF ? 3 : 0;
        }

        /// <summary>The <paramref name="length"/> bytes of a line from <paramref name="start"/> as an entry, or null.</summary>
        private static LedgerEntry? Parse(byte[] line, int start, int length)
        {
            if (length == 0) return null;
            int end = start + length;
            int lastTab = Array.LastIndexOf(line, (byte)'\t', end - 1, length);
            if (lastTab <= start || end - lastTab - 1 != 8) return null;
            string crcText = Encoding.ASCII.GetString(line, lastTab + 1, 8);
            if (!uint.TryParse(crcText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint crc) || crc != Crc32.Compute(line, start, lastTab - start))
                return null;
            string[] f;
            try
            {
                f = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(line, start, lastTab - start).Split('\t');
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
            if (f.Length != FieldCount - 1 || f[0] != Version || f[8].Length == 0) return null;
            if (!int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out int occurrence)
                || !int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || !long.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out long fileLength)
                || !long.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks))
                return null;
            return new LedgerEntry(f[1], occurrence, index, f[8], fileLength, ticks, f[6], f[7]);
        }

        /// <summary>
        /// Opens the ledger as the regular file of the folder that it is, never following a link: it is looked at
        /// first (a link, a pipe, a device or a folder is refused before opening, as opening a pipe blocks), then
        /// checked after opening to be the same file. Waits up to about two seconds while another writer holds it.
        /// </summary>
        private static FileStream OpenChecked(string path, string folder, bool write)
        {
            for (int attempt = 1; ; attempt++)
            {
                var kind = FileKind.Of(path, followLinks: false);
                if (kind == FileKindValue.Link) throw new LedgerException(LedgerProblem.Link, folder);
                if (kind != FileKindValue.Regular && !(write && kind == FileKindValue.Missing)) throw new LedgerException(LedgerProblem.NotAFile, folder);
                FileStream stream;
                try
                {
                    stream = write
                        ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None)
                        : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
                }
                catch (IOException ex) when (attempt < 100 && !(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException) && !(ex is PathTooLongException))
                {
                    Thread.Sleep(20); // another writer holds it
                    continue;
                }
                if (FileKind.IsSameFile(path, stream.SafeFileHandle)) return stream;
                stream.Dispose();
                throw new LedgerException(LedgerProblem.Link, folder);
            }
        }
    }

    /// <summary>One entry of the ledger: an image of a request saved as a file, with what identifies its content.</summary>
    public sealed class LedgerEntry
    {
        public LedgerEntry(string key, int occurrence, int index, string fileName, long length, long writtenUtcTicks, string sha256, string runId)
        {
            Key = key;
            Occurrence = occurrence;
            Index = index;
            FileName = fileName;
            Length = length;
            WrittenUtcTicks = writtenUtcTicks;
            Sha256 = sha256;
            RunId = runId;
        }

        public string Key { get; }
        public int Occurrence { get; }
        public int Index { get; }

        /// <summary>The file's name in the folder (never a path).</summary>
        public string FileName { get; }

        public long Length { get; }

        /// <summary>The file's modification time (UTC ticks) as written: with the length, the quick check that it is unchanged.</summary>
        public long WrittenUtcTicks { get; }

        /// <summary>SHA-256 of the file's bytes, lower-case hex: the check when the quick one fails.</summary>
        public string Sha256 { get; }

        /// <summary>The run (one invocation of New-MvImage or Edit-MvImage) that made the image.</summary>
        public string RunId { get; }
    }

    /// <summary>Why the ledger was not read or written.</summary>
    public enum LedgerProblem
    {
        None,

        /// <summary>It is a symbolic link (or was swapped for one while being opened).</summary>
        Link,

        /// <summary>It is a folder, a named pipe, a device or a socket.</summary>
        NotAFile,

        /// <summary>It is longer than <see cref="Ledger.MaxBytes"/>.</summary>
        TooLarge,

        /// <summary>The image's file name holds a tab or a line break, which an entry cannot hold.</summary>
        NameNotRecordable,
    }

    /// <summary>What one read of the ledger found besides its entries.</summary>
    public sealed class LedgerReading
    {
        public LedgerReading(long next, int damaged, bool tornTail, LedgerProblem problem)
        {
            Next = next;
            Damaged = damaged;
            TornTail = tornTail;
            Problem = problem;
        }

        /// <summary>Where the next read starts: after the last whole line read.</summary>
        public long Next { get; }

        /// <summary>Lines that did not check out (cut short, changed, or of another format), ignored.</summary>
        public int Damaged { get; }

        /// <summary>The ledger ends in a line without its line feed (cut short, or being written).</summary>
        public bool TornTail { get; }

        public LedgerProblem Problem { get; }
    }

    /// <summary>The ledger could not be used, for <see cref="Problem"/>.</summary>
    public sealed class LedgerException : IOException
    {
        public LedgerException(LedgerProblem problem, string folder)
            : base("The ledger of '" + folder + "' cannot be used: " + problem + ".")
        {
            Problem = problem;
            Folder = folder;
        }

        public LedgerProblem Problem { get; }
        public string Folder { get; }
    }
}
