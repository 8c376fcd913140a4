using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// The small append-only journal Save-MvImage keeps in a folder it saves images into without their record
    /// embedded (".modelverseimage-journal"): one line per such image (saved unchanged for its content credentials,
    /// or with -NoMetadata), "key TAB occurrence TAB index TAB file name". It is what tells a rerun that such an
    /// image is saved; a marked image carries its own record. The line is appended after the temporary file is written and before it is moved into place, so a
    /// kill between the two leaves a line whose file does not exist, which counts as not saved.
    /// </summary>
    internal static class SaveJournal
    {
        public const string FileName = ".modelverseimage-journal";

        internal readonly struct Entry
        {
            public Entry(string key, int occurrence, int index, string fileName)
            {
                Key = key;
                Occurrence = occurrence;
                Index = index;
                FileName = fileName;
            }

            public string Key { get; }
            public int Occurrence { get; }
            public int Index { get; }
            public string FileName { get; }
        }

        /// <summary>Appends one line and flushes it to disk. Names with a line break are not journalled (their XMP still records them).</summary>
        public static void Append(string folder, string key, int occurrence, int index, string fileName)
        {
            if (fileName.IndexOfAny(new[] { '\r', '\n' }) >= 0 || key.IndexOfAny(new[] { '\t', '\r', '\n' }) >= 0) return;
            var line = Encoding.UTF8.GetBytes(string.Format(CultureInfo.InvariantCulture, "{0}\t{1}\t{2}\t{3}\n", key, occurrence, index, fileName));
            string path = Path.Combine(folder, FileName);
            bool isNew = !File.Exists(path);
            // Opened for this writer alone (other runs saving into the same folder wait their turn), so that lines
            // are appended whole, one after the other, and never written over each other.
            using (var stream = OpenShared(() => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.None)))
            {
                stream.Write(line, 0, line.Length);
                stream.Flush(flushToDisk: true);
            }
            // Hidden on Windows too, as its leading dot hides it elsewhere.
            if (isNew && Path.DirectorySeparatorChar == '\\') File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.Hidden);
        }

        /// <summary>Opens the journal, waiting up to about two seconds while another writer holds it.</summary>
        private static FileStream OpenShared(Func<FileStream> open)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return open();
                }
                catch (IOException ex) when (attempt < 100 && !(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException))
                {
                    System.Threading.Thread.Sleep(20);
                }
            }
        }

        /// <summary>The journal's lines; lines cut short by a kill, or otherwise not understood, are skipped.</summary>
        public static List<Entry> Read(string folder)
        {
            var entries = new List<Entry>();
            string path = Path.Combine(folder, FileName);
            if (!File.Exists(path)) return entries;
            string text;
            using (var stream = OpenShared(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read)))
            using (var reader = new StreamReader(stream, new UTF8Encoding(false)))
            {
                text = reader.ReadToEnd();
            }
            int start = 0;
            while (start < text.Length)
            {
                int end = text.IndexOf('\n', start);
                if (end < 0) break; // the last line has no end: it was being written
                var fields = text.Substring(start, end - start).Split(new[] { '\t' }, 4);
                start = end + 1;
                if (fields.Length == 4 && fields[0].Length > 0 && fields[3].Length > 0
                    && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int occurrence)
                    && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    entries.Add(new Entry(fields[0], occurrence, index, fields[3]));
                }
            }
            return entries;
        }
    }
}
