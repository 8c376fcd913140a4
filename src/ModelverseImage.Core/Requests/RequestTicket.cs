using System;
using System.Collections.Generic;

namespace ModelverseImage.Api
{
    /// <summary>
    /// What a request carries beside itself, from the cmdlet that plans it, through the pump, to the images made
    /// from its answer: its rerun key and occurrence (the same key asked for twice in one run is two requests,
    /// numbered 1, 2, ... in the order submitted), the image indices it asks for (1..n, or only the missing ones of
    /// a partly saved request), the file and prompt of the image an edit started from, and the answer's identity
    /// when the server sends no request id. Nothing of it is sent.
    /// </summary>
    public sealed class RequestTicket
    {
        public RequestTicket(string? key, int occurrence, string sourcePath)
        {
            Key = key;
            Occurrence = occurrence;
            SourcePath = sourcePath;
        }

        /// <summary>The rerun key (RequestKey); null when an upload could not be read to make it.</summary>
        public string? Key { get; }

        public int Occurrence { get; }

        /// <summary>For an edit, the file its image came from (the output names it); empty for new images.</summary>
        public string SourcePath { get; }

        /// <summary>For an edit of a saved image, the prompt that image was made with.</summary>
        public string? SourcePrompt { get; set; }

        /// <summary>The id of the run (one invocation of New-MvImage or Edit-MvImage) that sends it.</summary>
        public string? RunId { get; set; }

        /// <summary>The -Resume folder (full path) the request was planned against; null without -Resume.</summary>
        public string? ResumeFolder { get; set; }

        /// <summary>The indices the answer's images get, in order; null for 1, 2, ... n.</summary>
        public IReadOnlyList<int>? Indices { get; set; }

        /// <summary>
        /// An identity the module gives this request's answer: what tells answers apart when the server sends no
        /// request id.
        /// </summary>
        public string LocalAnswerId { get; } = "mv-" + Guid.NewGuid().ToString("N").Substring(0, 16);

        /// <summary>The 1-based index of the answer's image at <paramref name="position"/> (0-based).</summary>
        public int IndexFor(int position) =>
            Indices != null && position < Indices.Count ? Indices[position] : position + 1;
    }
}
