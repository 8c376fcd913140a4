using System;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// What a saved image says about itself in its XMP: how it was made, what it cost, and the rerun record
    /// (request key, occurrence, index). Plain values only, so it reads and writes without the core.
    /// </summary>
    public sealed class ImageRecord
    {
        public string Prompt { get; set; } = string.Empty;
        public string? RevisedPrompt { get; set; }
        public string? Model { get; set; }
        public string? Size { get; set; }
        public string? Quality { get; set; }
        public string? Background { get; set; }
        public string? OutputFormat { get; set; }
        public DateTimeOffset? Created { get; set; }
        public string? RequestId { get; set; }

        /// <summary>The answer the image came in (MvImage.AnswerId): the request id, else the module's own id.</summary>
        public string? AnswerId { get; set; }
        public long? TotalTokens { get; set; }
        public long? InputTokens { get; set; }
        public long? OutputTokens { get; set; }
        public int? Index { get; set; }

        /// <summary>For an edit, the source file's name (never its folder); written as mvimage:SourceImage (mvimage:SourceFile, as it was, clashed with exiftool's own SourceFile).</summary>
        public string? SourceFile { get; set; }

        /// <summary>For an edit of a saved image, the prompt that image was made with.</summary>
        public string? SourcePrompt { get; set; }

        public string? RequestKey { get; set; }
        public int? Occurrence { get; set; }

        /// <summary>The run (one invocation of New-MvImage or Edit-MvImage) that made the image: a run never edits its own output.</summary>
        public string? RunId { get; set; }

        /// <summary>xmp:CreatorTool, e.g. "ModelverseImage 0.1.0".</summary>
        public string? CreatorTool { get; set; }
    }
}
