using System;
using System.IO;
using ModelverseImage.Api;
using ModelverseImage.Imaging;

namespace ModelverseImage.Output
{
    /// <summary>The rerun record an MvImage carries, and the XMP record made from it and read back into it (Import-MvImage).</summary>
    public sealed partial class MvImage
    {
        /// <summary>The key of the request that made this image (set by New-MvImage and Edit-MvImage); null otherwise.</summary>
        internal string? RequestKey { get; set; }

        /// <summary>Which occurrence of its key in the run the request was (1 unless the same request was asked twice).</summary>
        internal int Occurrence { get; set; } = 1;

        /// <summary>The run that made it (RequestTicket.RunId); recorded, so a run never edits its own output.</summary>
        internal string? RunId { get; set; }

        /// <summary>The -Resume folder the request was planned against (full path); Save-MvImage warns when it saves elsewhere.</summary>
        internal string? ResumeFolder { get; set; }

        /// <summary>For an edit of a saved image, the prompt that image was made with.</summary>
        internal string? SourcePrompt { get; set; }

        /// <summary>The record Save-MvImage embeds: the description, what made it, and the rerun record.</summary>
        internal ImageRecord ToRecord()
        {
            var usage = Usage;
            return new ImageRecord
            {
                Prompt = Prompt,
                RevisedPrompt = RevisedPrompt,
                Model = Model.Length == 0 ? null : Model,
                Size = Size,
                Quality = Quality,
                Background = Background,
                OutputFormat = Format,
                Created = Created,
                RequestId = RequestId,
                AnswerId = AnswerId.Length == 0 ? null : AnswerId,
                TotalTokens = usage?.TotalTokens,
                InputTokens = usage?.InputTokens,
                OutputTokens = usage?.OutputTokens,
                Index = Index,
                SourceFile = SourcePath.Length == 0 ? null : System.IO.Path.GetFileName(SourcePath),
                SourcePrompt = SourcePrompt,
                RequestKey = RequestKey,
                Occurrence = RequestKey == null ? (int?)null : Occurrence,
                RunId = RunId,
                CreatorTool = "ModelverseImage " + typeof(MvImage).Assembly.GetName().Version?.ToString(3),
            };
        }

        /// <summary>
        /// A saved file read back: its bytes, format and size from the header, and the description from its
        /// embedded record when it has one (else the description stays empty). SourcePath is the source's name as
        /// recorded (the folder is never recorded); Path is <paramref name="path"/>.
        /// </summary>
        internal static MvImage FromFile(string path, byte[] bytes, ImageHeader header, ImageRecord? record)
        {
            bool hasUsage = record != null && (record.TotalTokens.HasValue || record.InputTokens.HasValue || record.OutputTokens.HasValue);
            return new MvImage(new ArraySegment<byte>(bytes), ImageSniffer.Name(header.Format), header.Width, header.Height)
            {
                _sniffedFormat = header.Format,
                Index = record?.Index ?? 1,
                Prompt = record?.Prompt ?? string.Empty,
                RevisedPrompt = record?.RevisedPrompt,
                Model = record?.Model ?? string.Empty,
                Size = record?.Size ?? (header.Width > 0 ? header.Width + "x" + header.Height : "auto"),
                Quality = record?.Quality,
                Background = record?.Background,
                Created = record?.Created,
                RequestId = record?.RequestId,
                // The answer it came in, as recorded; a file without a record is an answer of its own.
                AnswerId = record?.AnswerId ?? record?.RequestId ?? "file:" + System.IO.Path.GetFileName(path),
                Usage = hasUsage ? new TokenUsage { TotalTokens = record!.TotalTokens, InputTokens = record.InputTokens, OutputTokens = record.OutputTokens } : null,
                SourcePath = record?.SourceFile ?? string.Empty,
                Path = path,
                RequestKey = record?.RequestKey,
                Occurrence = record?.Occurrence ?? 1,
                RunId = record?.RunId,
                SourcePrompt = record?.SourcePrompt,
            };
        }
    }
}
