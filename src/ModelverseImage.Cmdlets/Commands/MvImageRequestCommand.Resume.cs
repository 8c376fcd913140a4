using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using ModelverseImage.Api;
using ModelverseImage.Errors;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Resume;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Reruns that never pay twice: every request gets a key and an occurrence (always, so that a first run
    /// without -Resume can be resumed), and with -Resume a request whose images the folder already holds is not
    /// sent; one whose images are partly saved is sent for the missing ones only.
    /// </summary>
    public abstract partial class MvImageRequestCommand
    {
        private readonly OccurrenceCounter _occurrences = new OccurrenceCounter();
        // Content hashes of uploads, by upload: the mask and reference images are the same objects in every request,
        // so they are read once. Weak: the uploads of images piped in memory are not kept alive by it.
        private readonly ConditionalWeakTable<object, string> _contentHashes = new ConditionalWeakTable<object, string>();
        private SavedIndex? _savedIndex;
        private string? _resumeFolder;
        private int _skippedRequests, _sentRequests, _partlySent;

        /// <summary>
        /// The folder Save-MvImage -Directory saves this run's images into. Requests whose images it already holds
        /// (by the record embedded in each image, or the folder's journal) are not sent again.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Resume { get; set; }

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
            var ticket = new RequestTicket(key, key == null ? 1 : _occurrences.Next(key), sourcePath);
            if (target is MvImage source && source.Prompt.Length > 0) ticket.SourcePrompt = source.Prompt;
            if (Resume == null || key == null) return ticket;

            var index = SavedIndexOnce();
            ticket.ResumeFolder = _resumeFolder;
            int expected = request.ExpectedCount;
            var missing = index.Missing(key, ticket.Occurrence, expected);
            if (missing.Count == 0)
            {
                _skippedRequests++;
                _pump.NoteSkipped();
                CmdletTrace.Verbose(this, $"Skipped {label}: already saved in {_resumeFolder} (request {key}, occurrence {ticket.Occurrence}).");
                return null;
            }
            if (missing.Count < expected)
            {
                request.Count = missing.Count;
                ticket.Indices = missing;
                _partlySent++;
                CmdletTrace.Verbose(this, string.Format(CultureInfo.InvariantCulture, "{0}: {1} of {2} images already saved; asking for the missing {3} ({4}).",
                    label, expected - missing.Count, expected, missing.Count, string.Join(", ", missing)));
            }
            return ticket;
        }

        /// <summary>A request planned by <see cref="PlanRerun"/> is being sent (ShouldProcess said yes): it counts as sent.</summary>
        private void NoteSent()
        {
            if (Resume != null) _sentRequests++;
        }

        private string ContentHash(ImageUpload upload)
        {
            if (_contentHashes.TryGetValue(upload, out var known)) return known;
            string hash = RequestKey.ContentHash(upload);
            _contentHashes.Add(upload, hash);
            return hash;
        }

        /// <summary>Reads the -Resume folder once, at the first request; a folder that does not exist yet holds nothing.</summary>
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
            return _savedIndex!;
        }

        /// <summary>
        /// With -Resume, one line at the end: "180 already saved, 120 sent." It is an information record shown as
        /// Write-Host shows its text (tag PSHOST): seen without -Verbose, in the console and a job's output, but
        /// never in the object pipeline; -InformationAction Ignore hides it and 6> or -InformationVariable capture it.
        /// </summary>
        private void WriteRerunSummary()
        {
            if (Resume == null || _savedIndex == null) return;
            string text = Words.RerunSummary(MyInvocation.MyCommand.Name, _skippedRequests, _sentRequests, _partlySent);
            WriteInformation(new HostInformationMessage { Message = text, NoNewLine = false }, new[] { "PSHOST", "ModelverseImage.Resume" });
        }
    }
}
