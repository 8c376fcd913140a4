using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using ModelverseImage.Api;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Parameters;
using ModelverseImage.Resume;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Reruns and parallel runs that never pay twice: every request gets a key and an occurrence (always, so that a
    /// first run without -Resume can be resumed) and the run's id. With -Resume a request whose images the folder
    /// already holds is not sent, one whose images are partly saved is sent for the missing ones only, and a request
    /// is claimed in the folder before it is sent, so that runs sharing the folder send it once. -Shard takes only
    /// the requests whose key falls in its shard.
    /// </summary>
    public abstract partial class MvImageRequestCommand
    {
        private readonly OccurrenceCounter _occurrences = new OccurrenceCounter();
        // Content hashes of uploads, by upload: the mask and reference images are the same objects in every request,
        // so they are read once. Weak: the uploads of images piped in memory are not kept alive by it.
        private readonly ConditionalWeakTable<object, string> _contentHashes = new ConditionalWeakTable<object, string>();
        private SavedIndex? _savedIndex;
        private ClaimBook? _claims;
        private string? _resumeFolder;
        private Shard? _shard;
        private int _skippedRequests, _sentRequests, _partlySent, _claimedElsewhere, _otherShards;

        /// <summary>This invocation's id, recorded in its images: Edit-MvImage never edits an image its own run made.</summary>
        private protected string RunId { get; } = Guid.NewGuid().ToString("N");

        /// <summary>
        /// The folder Save-MvImage -Directory saves this run's images into. Requests whose images it already holds
        /// (by the record embedded in each image, or the folder's journal) are not sent again.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Resume { get; set; }

        /// <summary>
        /// "index/count", the index from 0: only the requests whose key falls in this shard are sent, so machines
        /// given 0/N ... N-1/N split one input with no coordination. Every shard reads the whole input.
        /// </summary>
        [Parameter]
        [ValidateShard]
        public string? Shard { get; set; }

        /// <summary>
        /// Gives the request its ticket: key and occurrence (always, so that a first run without -Resume can be
        /// resumed), and the file and prompt of the image an edit started from. With -Resume, null when its images
        /// are all saved already (the request is counted and skipped), and a request with some saved is cut to the
        /// missing images.
        /// </summary>
        private RequestTicket? PlanRerun(ImageRequest request, string label, object target, string sourcePath)
        {
            string? key;
            try
            {
                key = RequestKey.Of(request, ContentHash);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // The upload cannot be read: sending it fails the same way, with the usual error.
                CmdletTrace.Verbose(this, $"No rerun record for {label}: {ex.Message}");
                key = null;
            }
            var ticket = new RequestTicket(key, key == null ? 1 : _occurrences.Next(key), sourcePath) { RunId = RunId };
            if (target is MvImage source && source.Prompt.Length > 0) ticket.SourcePrompt = source.Prompt;
            if (Shard != null)
            {
                if (_shard == null) global::ModelverseImage.Resume.Shard.TryParse(Shard, out _shard, out _);
                if (_shard != null && !_shard.Takes(key))
                {
                    _otherShards++;
                    _pump.NoteSkipped();
                    CmdletTrace.Verbose(this, $"Skipped {label}: it is in another shard than {Shard} (request {key}).");
                    return null;
                }
            }
            if (Resume == null || key == null) return ticket;

            var index = SavedIndexOnce();
            ticket.ResumeFolder = _resumeFolder;
            int expected = request.ExpectedCount;
            var missing = index.Missing(key, ticket.Occurrence, expected);
            if (missing.Count == 0)
            {
                NoteAlreadySaved(label, key, ticket.Occurrence);
                return null;
            }
            if (missing.Count < expected) CutToMissing(request, ticket, label, expected, missing);
            return ticket;
        }

        /// <summary>
        /// A request planned by <see cref="PlanRerun"/> is about to be sent (ShouldProcess said yes). With -Resume it is
        /// claimed first: a request another live run holds is skipped, and one whose claim this run won is looked up
        /// again in the folder's ledger, where another run may have saved it meanwhile. True when it is to be sent.
        /// </summary>
        private bool ClaimToSend(ImageRequest request, RequestTicket ticket, string label)
        {
            if (ticket.Key == null || _claims == null)
            {
                _sentRequests++;
                return true;
            }
            ClaimOutcome outcome;
            try
            {
                outcome = _claims.TryClaim(ticket.Key, ticket.Occurrence);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteWarning(Words.ClaimFailed(label, _resumeFolder!, ex.Message));
                _sentRequests++;
                return true;
            }
            if (outcome.Result == ClaimResult.HeldElsewhere)
            {
                _claimedElsewhere++;
                _pump.NoteSkipped();
                var holder = outcome.Holder;
                CmdletTrace.Verbose(this, $"Skipped {label}: another run claimed it in {_resumeFolder} (process {holder?.ProcessId} on {holder?.Host}, run {holder?.RunId}).");
                return false;
            }
            if (outcome.Result == ClaimResult.TakenOver) WriteWarning(Words.ClaimTakenOver(label, outcome.Holder));
            _savedIndex!.Refresh();
            var asked = ticket.Indices ?? Enumerable.Range(1, request.ExpectedCount).ToList();
            var missing = asked.Where(i => !_savedIndex.IsSaved(ticket.Key, ticket.Occurrence, i)).ToList();
            if (missing.Count == 0)
            {
                _claims.Release(ticket.Key, ticket.Occurrence);
                NoteAlreadySaved(label, ticket.Key, ticket.Occurrence);
                return false;
            }
            if (missing.Count < asked.Count) CutToMissing(request, ticket, label, asked.Count, missing);
            _sentRequests++;
            return true;
        }

        private void NoteAlreadySaved(string label, string key, int occurrence)
        {
            _skippedRequests++;
            _pump.NoteSkipped();
            CmdletTrace.Verbose(this, $"Skipped {label}: already saved in {_resumeFolder} (request {key}, occurrence {occurrence}).");
        }

        private void CutToMissing(ImageRequest request, RequestTicket ticket, string label, int expected, List<int> missing)
        {
            request.Count = missing.Count;
            ticket.Indices = missing;
            _partlySent++;
            CmdletTrace.Verbose(this, string.Format(CultureInfo.InvariantCulture, "{0}: {1} of {2} images already saved; asking for the missing {3} ({4}).",
                label, expected - missing.Count, expected, missing.Count, string.Join(", ", missing)));
        }

        private string ContentHash(ImageUpload upload)
        {
            if (_contentHashes.TryGetValue(upload, out var known)) return known;
            string hash = RequestKey.ContentHash(upload);
            _contentHashes.Add(upload, hash);
            return hash;
        }

        /// <summary>
        /// Reads the -Resume folder once, at the first request, and readies it for this run: makes it if it does not
        /// exist and checks that it takes files (its claims folder is made), ending the command before anything is
        /// sent when it cannot. Under -WhatIf nothing is made. The ledger's troubles are said once, here.
        /// </summary>
        private SavedIndex SavedIndexOnce()
        {
            if (_savedIndex != null) return _savedIndex;
            var resolution = InputPaths.Resolve(this, Resume!, wildcards: false);
            if (resolution.OtherProvider != null)
                ThrowTerminatingError(ErrorCatalog.ResumeNotAFileSystemPath.Create(Resume, Resume, resolution.OtherProvider));
            if (resolution.Failure != null)
                ThrowTerminatingError(ErrorCatalog.InvalidResumeFolder.Wrap(resolution.Failure, Resume, Resume, resolution.Failure.Message));
            string folder = resolution.Files[0];
            if (File.Exists(folder))
                ThrowTerminatingError(ErrorCatalog.ResumeIsAFile.Create(folder, folder));
            try
            {
                _resumeFolder = folder;
                _savedIndex = SavedIndex.Load(folder);
                CmdletTrace.Verbose(this, $"-Resume: {_savedIndex.ImageCount} saved image(s) with a rerun record in {folder}.");
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException)
            {
                // A folder name the file system cannot take (a NUL character that resolution let through).
                ThrowTerminatingError(ErrorCatalog.InvalidResumeFolder.Wrap(ex, Resume, Resume, ex.Message));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorCatalog.ResumeFolderNotReadable.Wrap(ex, Resume, Resume, ex.Message));
            }
            var reading = _savedIndex!.LedgerFirstRead;
            if (reading != null && reading.Problem != LedgerProblem.None) WriteWarning(Words.LedgerNotRead(folder, reading.Problem));
            if (reading != null && reading.TornTail) WriteWarning(Words.LedgerTornTail(folder));
            if (reading != null && reading.Damaged > 0) CmdletTrace.Verbose(this, $"-Resume: {reading.Damaged} entries of the ledger in {folder} do not check out and were ignored.");
            if (!ShouldProcessPreferences.WhatIf(this))
            {
                try
                {
                    Directory.CreateDirectory(folder);
                    _claims = new ClaimBook(folder, RunId);
                }
                catch (ClaimsFolderException ex)
                {
                    ThrowTerminatingError(ErrorCatalog.ClaimsFolderInTheWay.Wrap(ex, folder, folder, ex.Kind, ex.Path));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(ErrorCatalog.ResumeFolderNotWritable.Wrap(ex, folder, folder, ex.Message));
                }
            }
            return _savedIndex!;
        }

        /// <summary>Gives this run's claims back: at the end, once every image it wrote has been saved downstream, or when it is stopped.</summary>
        private void ReleaseClaims()
        {
            _claims?.Dispose();
            _claims = null;
        }

        /// <summary>
        /// With -Resume or -Shard, one line at the end: "180 already saved, 120 sent." It is an information record shown as
        /// Write-Host shows its text (tag PSHOST): seen without -Verbose, in the console and a job's output, but
        /// never in the object pipeline; -InformationAction Ignore hides it and 6> or -InformationVariable capture it.
        /// </summary>
        private void WriteRerunSummary()
        {
            if (Shard == null && (Resume == null || _savedIndex == null)) return;
            string text = Words.RerunSummary(MyInvocation.MyCommand.Name, Resume != null, _skippedRequests, _sentRequests, _partlySent, _claimedElsewhere, _otherShards);
            WriteInformation(new HostInformationMessage { Message = text, NoNewLine = false }, new[] { "PSHOST", "ModelverseImage.Resume" });
        }
    }
}
