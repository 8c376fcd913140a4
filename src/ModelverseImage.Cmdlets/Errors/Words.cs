using System;
using System.Collections.Generic;
using System.Globalization;
using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Resume;
using ModelverseImage.Saving;
using ModelverseImage.Sizes;

namespace ModelverseImage.Errors
{
    /// <summary>
    /// The module's words other than error records: the words for kinds the core reports (what a path is, an image
    /// format), the warnings, the parameter validation messages and the rerun summary. With <see cref="ErrorCatalog"/>
    /// (the error records) and <see cref="ApiWords"/> (the API's failures) it is the one home of what a user reads, as
    /// WebCmdlets keeps its WebCmdletStrings: no other file of the module writes a sentence for the user (a test holds
    /// it so). Verbose and debug lines, traces for support, are written where they happen.
    /// </summary>
    internal static partial class Words
    {
        /// <summary>A fact as a message argument: the kinds the core reports become words; anything else stays as it is.</summary>
        public static object? Of(object? fact) => fact switch
        {
            FileKindValue kind => Kind(kind),
            SpecialFileKind special => Kind(special),
            ImageFormat format => ImageSniffer.Name(format).ToUpperInvariant(),
            _ => fact,
        };

        private static string Kind(FileKindValue kind) => kind switch
        {
            FileKindValue.Directory => "a folder",
            FileKindValue.Link => "a symbolic link",
            FileKindValue.Missing => "missing",
            FileKindValue.Regular => "a file",
            _ => "a special file",
        };

        private static string Kind(SpecialFileKind kind) => kind switch
        {
            SpecialFileKind.NamedPipe => "a named pipe (fifo)",
            SpecialFileKind.Device => "a device",
            SpecialFileKind.Socket => "a socket",
            _ => "a special file",
        };

        // ---- Warnings ---------------------------------------------------------------------------------------

        /// <summary>Save-MvImage -Path names a file whose extension is not the image's format.</summary>
        public static string ExtensionMismatch(ImageFormat format, string fileName, string extension) => extension.Length == 0
            ? Format("The image is {0} but '{1}' has no extension: other programs may not know how to open it.", ImageSniffer.Name(format), fileName)
            : Format("The image is {0} but '{1}' has the extension '{2}'.", ImageSniffer.Name(format), fileName, extension);

        /// <summary>The one warning for an image saved byte for byte because its file could not be walked to its end: why, and what it lacks.</summary>
        public static string Unmarked(string path, ImageFormat format, ImageFault fault)
        {
            string parts = format == ImageFormat.Jpeg ? "segment" : "chunk";
            string why = fault switch
            {
                ImageFault.NotAnImage => "it is not a PNG, JPEG or WebP image",
                ImageFault.EndsEarly => format == ImageFormat.Jpeg ? "it ends before its image data (the SOS segment): the file is cut short" : "it ends before its IEND chunk: the file is cut short",
                ImageFault.LengthPastEnd => format == ImageFormat.Webp ? "a chunk's size or its RIFF size runs past the end of the file" : Format("a {0}'s length runs past the end of the file", parts),
                ImageFault.TooLong => Format("it has more than {0:N0} {1}s{2} to walk", ImageLayout.MaxSteps, parts, format == ImageFormat.Jpeg ? " and fill bytes" : string.Empty),
                _ => Format("its {0}s are damaged", parts),
            };
            return Format("Saved {0} unmarked, byte for byte as it came: {1}. It carries no XMP record: neither the mark that it is AI-generated nor the description Import-MvImage reads back.", path, why);
        }

        /// <summary>Images planned with -Resume against one folder are saved into another.</summary>
        public static string NotTheResumeFolder(string resume, string here) =>
            Format("These images were planned with -Resume '{0}' but are saved into '{1}': a rerun with -Resume '{0}' will not find them and will send (and pay for) them again. Save them into the -Resume folder: give -Directory the same folder, or a -Path directly in it.", resume, here);

        /// <summary>The API returned fewer images than asked for.</summary>
        public static string FewerImages(string label, int asked, int returned) =>
            Format("{0}: asked for {1} images, the API returned {2}.", label, asked, returned);

        /// <summary>The API returned more images than asked for; those beyond were refused.</summary>
        public static string ImagesRefused(string label, int asked, int returned, int refused) =>
            Format("{0}: asked for {1} images, the API returned {2}; the {3} beyond {1} were refused (not decoded, not downloaded).", label, asked, returned, refused);

        /// <summary>The API streamed more partial images than asked for; those beyond were refused.</summary>
        public static string PartialImagesRefused(string label, int refused, int asked) =>
            Format("{0}: the API streamed {1} partial images beyond the {2} asked for per image; they were refused.", label, refused, asked);

        // ---- Parameter validation ------------------------------------------------------------------------

        public const string PromptEmpty = "The prompt is empty. Describe the image you want, for example -Prompt 'a lighthouse at dawn'.";

        public const string PromptInvisible = "The prompt has no visible characters (only spaces, zero-width, format or control characters). Describe the image you want, for example -Prompt 'a lighthouse at dawn'.";

        public static string PromptTooLong(int length, int most) => Format("The prompt has {0:N0} characters; gpt-image-2 accepts at most {1:N0}.", length, most);

        public static string UnknownQuality(string quality, IEnumerable<string> values) =>
            Format("'{0}' is not a quality gpt-image-2 knows: use {1}.", quality, string.Join(", ", values));

        public static string NotAWholeNumber(string text, object? byDefault) =>
            Format("'{0}' is not a whole number (such as 1 or 4); leave the cell blank for the default, {1}.", text, byDefault);

        /// <summary>A -Size the rules refuse: the size as given, and the check (its broken rules, the nearest valid size).</summary>
        public static string SizeRefused(string size, SizeCheck check) =>
            Format("'{0}' is not a size gpt-image-2 accepts. {1}{2} Test-MvImageSize -Detailed explains the rules.", size, string.Join(" ", SizeProblems(check)),
                check.Suggested is null ? string.Empty : Format(" The nearest valid size is {0}.", check.Suggested));

        /// <summary>A size check as Test-MvImageSize -Detailed shows it: its problems worded.</summary>
        public static SizeCheck Worded(SizeCheck check) => check.WithProblems(SizeProblems(check));

        /// <summary>Why a size is refused, one sentence a broken rule.</summary>
        private static string[] SizeProblems(SizeCheck check)
        {
            int longer = Math.Max(check.Width, check.Height), shorter = Math.Min(check.Width, check.Height);
            var problems = new string[check.Broken.Count];
            for (int i = 0; i < problems.Length; i++)
            {
                problems[i] = check.Broken[i] switch
                {
                    SizeRule.Missing => "No size was given: use 'auto' or WIDTHxHEIGHT, for example 1024x1536.",
                    SizeRule.NotASize => Format("'{0}' is not 'auto' or WIDTHxHEIGHT in plain digits, for example 1024x1536.", check.Size),
                    SizeRule.TooManyDigits => Format("'{0}' has an edge of more than six digits; the longer edge can be at most {1} pixels.", check.Size, ImageSizeRules.MaxEdge),
                    SizeRule.NotPositive => Format("Width and height must both be positive; {0} is not a size.", check.Size),
                    SizeRule.WidthNotMultiple => Format("The width {0} is not a multiple of {1}.", check.Width, ImageSizeRules.Multiple),
                    SizeRule.HeightNotMultiple => Format("The height {0} is not a multiple of {1}.", check.Height, ImageSizeRules.Multiple),
                    SizeRule.EdgeTooLong => Format("The longer edge is {0} pixels; it can be at most {1}.", longer, ImageSizeRules.MaxEdge),
                    SizeRule.TooWide => Format("The aspect ratio is {0:0.##}:1; it can be at most {1}:1.", (double)longer / shorter, ImageSizeRules.MaxAspectRatio),
                    SizeRule.TooFewPixels => Format("The image has {0:N0} pixels; it needs at least {1:N0}.", check.Pixels, ImageSizeRules.MinPixels),
                    _ => Format("The image has {0:N0} pixels; it can have at most {1:N0}.", check.Pixels, ImageSizeRules.MaxPixels),
                };
            }
            return problems;
        }

        /// <summary>{0}: the file's name. A file piped to New-MvImage, where a prompt is expected.</summary>
        public const string FileHasNoPrompt = "New-MvImage got the file '{0}', and a file has no prompt. To edit an image file, use Edit-MvImage: Get-Item ./{0} | Edit-MvImage 'add snow'. To generate from prompts kept in a file, use Get-Content or Import-Csv.";

        // ---- Reruns -----------------------------------------------------------------------------------------

        /// <summary>The line at the end of a run with -Resume: "New-MvImage: 180 already saved, 120 sent."</summary>
        /// <summary>The line at the end of a run with -Resume or -Shard; without -Resume it says nothing of what was saved.</summary>
        public static string RerunSummary(string command, bool resume, int skipped, int sent, int partlySent, int claimedElsewhere, int otherShards) =>
            Format("{0}: {1}{2} sent{3}{4}{5}.", command, resume ? Format("{0} already saved, ", skipped) : string.Empty, sent,
                partlySent > 0 ? Format(" ({0} of them for their missing images only)", partlySent) : string.Empty,
                claimedElsewhere > 0 ? Format(", {0} claimed by another run", claimedElsewhere) : string.Empty,
                otherShards > 0 ? Format(", {0} in other shards", otherShards) : string.Empty);

        // ---- The ledger, claims and shards (-Resume, -Shard) -------------------------------------------------

        private static string Problem(LedgerProblem problem) => problem switch
        {
            LedgerProblem.Link => "it is a symbolic link, which is never followed",
            LedgerProblem.NotAFile => "it is not a regular file (a folder, a named pipe or a device)",
            LedgerProblem.TooLarge => Format("it is larger than {0:N0} MB, more than a million entries", Ledger.MaxBytes >> 20),
            LedgerProblem.NameNotRecordable => "the file name holds a tab or a line break",
            _ => "it could not be used",
        };

        /// <summary>The ledger entry of an image saved without its record could not be written.</summary>
        public static string LedgerNotWritten(string path, string folder, Exception failure) =>
            Format("Saved {0}, but the ledger of '{1}' ({2}) could not be written: {3}. The image carries no record of its own (-NoMetadata or content credentials), so a rerun with -Resume will send (and pay for) it again; so will the other images saved there in this run without their record (said once). {4}",
                path, folder, Ledger.FileName, failure is LedgerException ledger ? Problem(ledger.Problem) : failure.Message,
                failure is LedgerException placed && (placed.Problem == LedgerProblem.Link || placed.Problem == LedgerProblem.NotAFile)
                    ? "Move or delete what is in the ledger's place, or save with the record."
                    : "Free some room or fix the folder's permissions, or save with the record.");

        /// <summary>The ledger entry of an image saved with its record could not be written (a verbose line).</summary>
        public static string LedgerNotWrittenMarked(string path, Exception failure) =>
            Format("Saved {0}; its ledger entry could not be written ({1}), but its embedded record tells a rerun that it is saved.", path,
                failure is LedgerException ledger ? Problem(ledger.Problem) : failure.Message);

        /// <summary>The ledger of the -Resume folder was not read.</summary>
        public static string LedgerNotRead(string folder, LedgerProblem problem) =>
            Format("The ledger of '{0}' ({1}) was not read: {2}. Images saved with their record still count; images saved without it (-NoMetadata, content credentials) will be sent (and paid for) again.",
                folder, Ledger.FileName, Problem(problem));

        /// <summary>The ledger ends in an entry cut short (a full disk, a kill while writing).</summary>
        public static string LedgerTornTail(string folder) =>
            Format("The ledger of '{0}' ({1}) ends in an entry cut short (a full disk, or a run killed while writing it). It is ignored, and the next entry starts on a line of its own; if the image it named was saved without its record, it is sent again.",
                folder, Ledger.FileName);

        /// <summary>A request's claim was taken over from a run that ended or went silent.</summary>
        public static string ClaimTakenOver(string label, ClaimHolder? holder) => holder == null || holder.RunId.Length == 0
            ? Format("{0}: took over a claim that was left behind in the -Resume folder. The run that left it may have paid for this request already; it is sent again.", label)
            : holder.HasEnded
                ? Format("{0}: took over the claim of process {1} on {2}, which has ended: it may have sent (and paid for) this request without saving its images; it is sent again.", label, holder.ProcessId, holder.Host)
                : Format("{0}: took over the claim of process {1} on {2}, not seen for {3:N0} minutes (the bound is {4:N0}): if that run is still alive, this request is paid for twice.",
                    label, holder.ProcessId, holder.Host, (DateTime.UtcNow - holder.LastSeenUtc).TotalMinutes, ClaimBook.StaleAfter.TotalMinutes);

        /// <summary>Claims could not be made (the folder took files when checked, then failed).</summary>
        public static string ClaimFailed(string label, string folder, string reason) =>
            Format("{0}: could not claim it in '{1}' ({2}); it is sent without a claim, so another run sharing the folder might send it too.", label, folder, reason);

        /// <summary>-Shard is not "index/count".</summary>
        public static string ShardRefused(string text, ShardProblem problem) => problem switch
        {
            ShardProblem.IndexOutOfRange => Format("-Shard '{0}': the index counts from 0 to count-1, as JOB_COMPLETION_INDEX and GitHub's strategy.job-index do; the last of {1} shards is {2}/{1}.",
                text, text.Split('/')[1].Trim(), SafeLast(text)),
            ShardProblem.CountOutOfRange => Format("-Shard '{0}': the count must be from 1 to {1:N0}.", text, Shard.MaxCount),
            _ => Format("-Shard '{0}' is not index/count: give the shard's index from 0 and the number of shards, for example -Shard 0/4 ... -Shard 3/4.", text),
        };

        private static string SafeLast(string text) =>
            int.TryParse(text.Split('/')[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) ? (count - 1).ToString(CultureInfo.InvariantCulture) : "count-1";

        private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
