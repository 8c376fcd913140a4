using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using ModelverseImage.Saving;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// Claims of one run in a -Resume folder: before a request is sent, the run makes the file
    /// ".modelverseimage-claims/KEY-OCCURRENCE.claim" with create-new (O_CREAT|O_EXCL; atomic on local disks, NFS v3+
    /// and SMB), so of runs sharing the folder one sends it and the others skip it. The file says which run, host,
    /// process and process start time hold it; the run touches its claims every minute while it lives, and deletes
    /// them when it ends. A claim is taken over when its holder has ended (same host, process gone) or has not
    /// touched it for <see cref="StaleAfter"/> (another host, or a hung run): then its request may have been
    /// paid for already, and the caller says so.
    /// </summary>
    public sealed class ClaimBook : IDisposable
    {
        public const string FolderName = ".modelverseimage-claims";

        /// <summary>A claim not touched for this long is taken to be left by a run that is gone.</summary>
        public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

        /// <summary>
        /// An empty claim not written for this long was left by a run killed between making it and writing it (a
        /// matter of microseconds): taken to be left behind.
        /// </summary>
        public static readonly TimeSpan EmptyStaleAfter = TimeSpan.FromSeconds(30);

        private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);
        private const int MaxClaimBytes = 4096;
        private const int MaxSweep = 10_000;

        private readonly string _folder;
        private readonly string _runId;
        private readonly Dictionary<string, string> _held = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Timer _heartbeat;

        /// <summary>Makes the claims folder in <paramref name="resumeFolder"/> (which must exist): the check that the folder takes files.</summary>
        public ClaimBook(string resumeFolder, string runId)
        {
            _folder = Path.Combine(resumeFolder, FolderName);
            _runId = runId;
            var kind = FileKind.Of(_folder, followLinks: false);
            if (kind != FileKindValue.Missing && kind != FileKindValue.Directory) throw new ClaimsFolderException(_folder, kind);
            Directory.CreateDirectory(_folder);
            string probe = Path.Combine(_folder, runId + ".probe");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            File.Delete(probe);
            _heartbeat = new Timer(_ => Touch(), null, Heartbeat, Heartbeat);
        }

        /// <summary>Claims (key, occurrence) for this run, or says who holds it.</summary>
        public ClaimOutcome TryClaim(string key, int occurrence)
        {
            string path = ClaimPath(key, occurrence);
            ClaimHolder? takenFrom = null;
            for (int attempt = 1; attempt <= 5; attempt++)
            {
                if (TryCreate(path))
                {
                    lock (_held) _held[path] = _runId;
                    return new ClaimOutcome(takenFrom == null ? ClaimResult.Won : ClaimResult.TakenOver, takenFrom);
                }
                var holder = ReadHolder(path);
                if (holder == null) continue; // released meanwhile: try again
                if (holder.RunId == _runId) return new ClaimOutcome(ClaimResult.Won, null);
                if (!holder.HasEnded && DateTime.UtcNow - holder.LastSeenUtc < (holder.IsEmpty ? EmptyStaleAfter : StaleAfter)) return new ClaimOutcome(ClaimResult.HeldElsewhere, holder);
                if (TakeAway(path, holder)) takenFrom = holder;
            }
            return new ClaimOutcome(ClaimResult.HeldElsewhere, ReadHolder(path));
        }

        private string ClaimPath(string key, int occurrence) =>
            Path.Combine(_folder, key + "-" + occurrence.ToString(CultureInfo.InvariantCulture) + ".claim");

        /// <summary>Gives a claim back (its request turned out to be saved already).</summary>
        public void Release(string key, int occurrence) =>
            Release(ClaimPath(key, occurrence));

        /// <summary>
        /// Gives every claim of this run back, and clears claims left by runs of this host that have ended (a killed
        /// run's claims of requests it had saved, which no rerun needs to take over). Other hosts' claims are left to
        /// their runs and the bound.
        /// </summary>
        public void Dispose()
        {
            _heartbeat.Dispose();
            string[] held;
            lock (_held) held = new List<string>(_held.Keys).ToArray();
            foreach (var path in held) Release(path);
            SweepEnded();
        }

        private void SweepEnded()
        {
            try
            {
                int looked = 0;
                foreach (var path in Directory.EnumerateFiles(_folder, "*.claim"))
                {
                    if (++looked > MaxSweep) break;
                    var holder = ReadHolder(path);
                    if (holder != null && holder.HasEnded && holder.RunId.Length > 0) TakeAway(path, holder);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Left for the next run.
            }
        }

        private bool TryCreate(string path)
        {
            var process = Process.GetCurrentProcess();
            string text = string.Format(CultureInfo.InvariantCulture, "run={0}\nhost={1}\npid={2}\nstarted={3:o}\nclaimed={4:o}\n",
                _runId, Environment.MachineName, process.Id, process.StartTime.ToUniversalTime(), DateTime.UtcNow);
            FileStream stream;
            try
            {
                // Shared for reading: on Unix, FileShare.None takes an exclusive lock that makes a reader fail meanwhile.
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
            }
            catch (IOException) when (FileKind.Of(path, followLinks: false) != FileKindValue.Missing)
            {
                return false;
            }
            using (stream)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }
            return true;
        }

        /// <summary>
        /// Moves a claim judged left behind out of the way (a rename: of two runs taking it over, one succeeds), then
        /// checks that what it moved is that claim and not one made since; if not, puts it back.
        /// </summary>
        private bool TakeAway(string path, ClaimHolder holder)
        {
            string aside = path + "." + _runId + ".taken";
            try
            {
                File.Move(path, aside);
            }
            catch (IOException)
            {
                return false; // another run took it first
            }
            var moved = ReadHolder(aside);
            if (moved != null && moved.RunId != holder.RunId)
            {
                try
                {
                    File.Move(aside, path);
                }
                catch (IOException)
                {
                    // Its place is taken again: the run that holds it now sends the request.
                }
                return false;
            }
            TryDelete(aside);
            return true;
        }

        private void Release(string path)
        {
            lock (_held)
            {
                if (!_held.Remove(path)) return;
            }
            var holder = ReadHolder(path);
            if (holder != null && holder.RunId == _runId) TryDelete(path); // not a claim another run took over meanwhile
        }

        private void Touch()
        {
            string[] held;
            lock (_held) held = new List<string>(_held.Keys).ToArray();
            foreach (var path in held)
            {
                try
                {
                    File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Gone or unreachable for now: the next beat tries again.
                }
            }
        }

        /// <summary>
        /// Who holds the claim at <paramref name="path"/>; null when there is none. A claim that is not a regular file
        /// is one left behind; one not (yet) understood is held until it is older than the bound.
        /// </summary>
        private static ClaimHolder? ReadHolder(string path)
        {
            var kind = FileKind.Of(path, followLinks: false);
            if (kind == FileKindValue.Missing) return null;
            if (kind != FileKindValue.Regular) return ClaimHolder.LeftBehind;
            try
            {
                DateTime lastSeen = File.GetLastWriteTimeUtc(path);
                var buffer = new byte[MaxClaimBytes];
                int length;
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                    length = stream.Read(buffer, 0, buffer.Length);
                return ClaimHolder.Parse(Encoding.UTF8.GetString(buffer, 0, length), lastSeen);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return ClaimHolder.Unread(DateTime.UtcNow); // held (locked, being written): held until the bound says otherwise
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Left for the bound to clear.
            }
        }
    }

    public enum ClaimResult
    {
        /// <summary>This run holds the claim now.</summary>
        Won,

        /// <summary>Another run holds it, alive as far as can be told: the request is skipped.</summary>
        HeldElsewhere,

        /// <summary>Taken over from a run that has ended or not been seen for the bound: it may have paid for the request already.</summary>
        TakenOver,
    }

    public sealed class ClaimOutcome
    {
        public ClaimOutcome(ClaimResult result, ClaimHolder? holder)
        {
            Result = result;
            Holder = holder;
        }

        public ClaimResult Result { get; }

        /// <summary>Who holds it (HeldElsewhere) or held it (TakenOver); null when that could not be read.</summary>
        public ClaimHolder? Holder { get; }
    }

    /// <summary>What a claim file says of the run that made it.</summary>
    public sealed class ClaimHolder
    {
        internal static readonly ClaimHolder LeftBehind = new ClaimHolder(string.Empty, string.Empty, 0, DateTime.MinValue, DateTime.MinValue, hasEnded: true);

        private ClaimHolder(string runId, string host, int processId, DateTime claimedUtc, DateTime lastSeenUtc, bool hasEnded)
        {
            RunId = runId;
            Host = host;
            ProcessId = processId;
            ClaimedUtc = claimedUtc;
            LastSeenUtc = lastSeenUtc;
            HasEnded = hasEnded;
        }

        public string RunId { get; }
        public string Host { get; }
        public int ProcessId { get; }
        public DateTime ClaimedUtc { get; }

        /// <summary>When its run last touched it.</summary>
        public DateTime LastSeenUtc { get; }

        /// <summary>Its run is known to have ended: this host, and its process is gone (or another process has its id).</summary>
        public bool HasEnded { get; }

        /// <summary>The claim file is empty: made, and not (yet) written.</summary>
        public bool IsEmpty { get; private set; }

        /// <summary>A claim whose maker is not known (not yet written, or not readable now): held, until it is older than the bound.</summary>
        internal static ClaimHolder Unread(DateTime lastSeenUtc) => new ClaimHolder(string.Empty, string.Empty, 0, lastSeenUtc, lastSeenUtc, hasEnded: false);

        internal static ClaimHolder Parse(string text, DateTime lastSeenUtc)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                int equals = line.IndexOf('=');
                if (equals > 0) fields[line.Substring(0, equals)] = line.Substring(equals + 1).Trim();
            }
            fields.TryGetValue("run", out var run);
            fields.TryGetValue("host", out var host);
            fields.TryGetValue("pid", out var pidText);
            fields.TryGetValue("started", out var startedText);
            fields.TryGetValue("claimed", out var claimedText);
            // A claim just made is empty until its maker has written it: held, until the bound says otherwise.
            if (string.IsNullOrEmpty(run) || string.IsNullOrEmpty(host) || !int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                return new ClaimHolder(string.Empty, string.Empty, 0, lastSeenUtc, lastSeenUtc, hasEnded: false) { IsEmpty = text.Trim().Length == 0 };
            DateTime.TryParse(startedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var started);
            DateTime.TryParse(claimedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var claimed);
            bool ended = string.Equals(host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) && !IsRunning(pid, started);
            return new ClaimHolder(run!, host!, pid, claimed, lastSeenUtc, ended);
        }

        /// <summary>Whether process <paramref name="pid"/> of this host runs, and is the one started at <paramref name="startedUtc"/> (not a later one given its id).</summary>
        private static bool IsRunning(int pid, DateTime startedUtc)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                if (process.HasExited) return false;
                return startedUtc == default || Math.Abs((process.StartTime.ToUniversalTime() - startedUtc.ToUniversalTime()).TotalSeconds) < 2;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception || ex is NotSupportedException)
            {
                return false;
            }
        }
    }

    /// <summary>Something other than a folder (a file, a link, a pipe) is where the claims folder goes.</summary>
    public sealed class ClaimsFolderException : IOException
    {
        public ClaimsFolderException(string path, FileKindValue kind)
            : base(path)
        {
            Path = path;
            Kind = kind;
        }

        public string Path { get; }
        public FileKindValue Kind { get; }
    }
}
