using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace ModelverseImage.Saving
{
    /// <summary>
    /// Writes files so that readers only ever see nothing or the whole file: the bytes go to a temporary file in
    /// the same folder (".{name}.{guid}.tmp"), are flushed to disk and the file is then moved into place. The
    /// temporary file never outlives the call, whether it succeeds, fails or is cancelled.
    /// </summary>
    public static class AtomicFile
    {
        private const int WriteChunkSize = 1 << 20;   // cancellation is checked between chunks
        private const int MaxTempStemBytes = 100;      // "." + 100 + "." + 32 + ".tmp": 138 bytes, within 255
        private const int MaxUniqueAttempts = 10_000;

        /// <summary>
        /// Writes <paramref name="parts"/>, one after the other (an image with a chunk inserted, without a second
        /// copy of it), to <paramref name="path"/>. Without <paramref name="overwrite"/> an existing file (even one
        /// that appeared while writing) is left alone and a FileExistsException is thrown. With it, the replacement
        /// keeps the replaced file's permissions. A symbolic link is never replaced (LinkNotReplacedException), with
        /// or without <paramref name="overwrite"/>. <paramref name="beforeMove"/> runs with the target and the temporary file once
        /// that is on disk, just before the move (the ledger's entry); if it throws, nothing is moved.
        /// </summary>
        public static void Write(string path, IReadOnlyList<ArraySegment<byte>> parts, bool overwrite, CancellationToken cancellationToken, Action<string, string>? beforeMove = null)
        {
            string target = TargetPath(path, nameof(path));
            string directory = Path.GetDirectoryName(target)!;
            RequireDirectory(directory);
            CheckTarget(target, overwrite);

            string temp = WriteTemp(directory, Path.GetFileName(target), parts, cancellationToken);
            try
            {
                beforeMove?.Invoke(target, temp);
                cancellationToken.ThrowIfCancellationRequested();
                if (overwrite)
                {
                    MoveReplacing(temp, target);
                }
                else
                {
                    MoveNew(temp, target);
                }
            }
            finally
            {
                TryDelete(temp); // a no-op once the move has taken it
            }
        }

        /// <summary>
        /// Writes <paramref name="parts"/> under the first free name in <paramref name="directory"/>: fileName, then
        /// "stem (2).ext", "stem (3).ext" and so on. A name taken by another writer between the check and the move is
        /// skipped. <paramref name="beforeMove"/> runs before each move attempt with the candidate path and the temporary file. Returns the
        /// full path written.
        /// </summary>
        public static string WriteUnique(string directory, string fileName, IReadOnlyList<ArraySegment<byte>> parts, CancellationToken cancellationToken, Action<string, string>? beforeMove = null)
        {
            if (directory is null)
            {
                throw new ArgumentNullException(nameof(directory));
            }
            if (fileName is null)
            {
                throw new ArgumentNullException(nameof(fileName));
            }
            if (fileName.Length == 0 || fileName == "." || fileName == ".." || fileName.IndexOfAny(new[] { '/', '\\' }) >= 0)
            {
                throw new ArgumentException($"'{fileName}' is not a plain file name.", nameof(fileName));
            }
            string folder = Path.GetFullPath(directory);
            RequireDirectory(folder);

            string temp = WriteTemp(folder, fileName, parts, cancellationToken);
            try
            {
                foreach (string candidate in Candidates(folder, fileName))
                {
                    if (Exists(candidate))
                    {
                        continue;
                    }
                    beforeMove?.Invoke(candidate, temp);
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        File.Move(temp, candidate);
                        return candidate;
                    }
                    catch (IOException) when (Exists(candidate) && File.Exists(temp))
                    {
                        // Taken since the check: try the next name.
                    }
                }
                throw new IOException($"Could not find a free name for '{fileName}' in '{folder}' after {MaxUniqueAttempts} attempts.");
            }
            finally
            {
                TryDelete(temp);
            }
        }

        /// <summary>
        /// Throws what <see cref="Write"/> throws for its target
        /// before it writes anything: LinkNotReplacedException for a link (with or without
        /// <paramref name="overwrite"/>), NotARegularFileException for a named pipe, a device or a socket (with or
        /// without it), FileExistsException for an existing file without it. Callers that ask
        /// first (-WhatIf, -Confirm) call it before asking; Write checks again, as the file may appear meanwhile.
        /// </summary>
        public static void CheckTarget(string path, bool overwrite)
        {
            if (IsLink(path))
            {
                throw new LinkNotReplacedException(path);
            }
            if (FileKind.Of(path, followLinks: false) == FileKindValue.Special)
            {
                throw new NotARegularFileException(path, FileKind.Special(path));
            }
            if (!overwrite && Exists(path))
            {
                throw new FileExistsException(path);
            }
        }

        /// <summary>
        /// The path <see cref="WriteUnique"/> would write to
        /// now, for -WhatIf: the first of its names that is free and not in <paramref name="alsoTaken"/> (names a
        /// -WhatIf run has already shown). The folder need not exist yet.
        /// </summary>
        public static string FirstFreeName(string directory, string fileName, ICollection<string> alsoTaken)
        {
            foreach (string candidate in Candidates(Path.GetFullPath(directory), fileName))
            {
                if (!Exists(candidate) && !alsoTaken.Contains(candidate))
                {
                    return candidate;
                }
            }
            return Path.Combine(directory, fileName);
        }

        /// <summary>The paths tried for <paramref name="fileName"/> in <paramref name="folder"/>, in the order <see cref="FileNamer.FreeNameCandidates"/> gives.</summary>
        private static IEnumerable<string> Candidates(string folder, string fileName) =>
            FileNamer.FreeNameCandidates(fileName, MaxUniqueAttempts).Select(name => Path.Combine(folder, name));

        private static string TargetPath(string path, string parameterName)
        {
            if (path is null)
            {
                throw new ArgumentNullException(parameterName);
            }
            string full = Path.GetFullPath(path);
            if (Path.GetFileName(full).Length == 0)
            {
                throw new ArgumentException($"'{path}' names a folder, not a file.", parameterName);
            }
            return full;
        }

        private static void RequireDirectory(string directory)
        {
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"The folder '{directory}' does not exist.");
            }
        }

        private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

        private static bool IsLink(string path)
        {
            try
            {
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return false;
            }
        }

        /// <summary>Creates the temporary file next to the target, writes and flushes it; deletes it on failure.</summary>
        private static string WriteTemp(string directory, string fileName, IReadOnlyList<ArraySegment<byte>> parts, CancellationToken cancellationToken)
        {
            string temp = Path.Combine(directory, FileNamer.ForTemporary(fileName, MaxTempStemBytes));
            bool written = false;
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.None))
                {
                    foreach (var bytes in parts)
                    {
                        for (int offset = 0; offset < bytes.Count; offset += WriteChunkSize)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            stream.Write(bytes.Array!, bytes.Offset + offset, Math.Min(WriteChunkSize, bytes.Count - offset));
                        }
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    stream.Flush(flushToDisk: true);
                }
                written = true;
                return temp;
            }
            finally
            {
                if (!written)
                {
                    TryDelete(temp);
                }
            }
        }

        /// <summary>Moves without replacing: fails if the target exists, however recently it appeared.</summary>
        private static void MoveNew(string temp, string target)
        {
            try
            {
                File.Move(temp, target);
            }
            catch (IOException ex) when (Exists(target))
            {
                throw new FileExistsException(target, ex);
            }
        }

        private static void MoveReplacing(string temp, string target)
        {
            if (File.Exists(target))
            {
                UnixPermissions.Copy(target, temp); // the replacement keeps the replaced file's permissions
                try
                {
                    File.Replace(temp, target, destinationBackupFileName: null);
                    return;
                }
                catch (PlatformNotSupportedException)
                {
                }
                catch (IOException) when (File.Exists(temp))
                {
                    // Some file systems (FAT, some network shares) cannot replace; fall back below.
                }
                File.Delete(target);
                File.Move(temp, target);
                return;
            }
            try
            {
                File.Move(temp, target);
            }
            catch (IOException) when (File.Exists(target) && File.Exists(temp))
            {
                // Another writer created it meanwhile: replace theirs, as asked.
                File.Replace(temp, target, destinationBackupFileName: null);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path); // no error when it is already gone
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
