using System;
using System.Collections.Generic;
using ModelverseImage.Api;
using ModelverseImage.Imaging;

namespace ModelverseImage.Output
{
    /// <summary>MvImage made from the API's answers, with the header the client read from the bytes when it checked them.</summary>
    public sealed partial class MvImage
    {
        // The format the client read from the bytes (AnswerImage.Header, PartialImage.Header) when this object was
        // made from an answer; Unknown when it was not made from one (made by a user or deserialized).
        private ImageFormat _sniffedFormat;

        /// <summary>
        /// The images of an answer. Size, quality and background are what the answer says was used, where it
        /// says so; otherwise what was asked.
        /// </summary>
        internal static IEnumerable<MvImage> FromResult(ImageAnswer result, ImageRequest request, RequestTicket ticket)
        {
            for (int i = 0; i < result.Images.Count; i++)
            {
                var image = result.Images[i];
                var header = image.Header;
                yield return new MvImage(image.Data, ImageSniffer.Name(header.Format), header.Width, header.Height)
                {
                    _sniffedFormat = header.Format,
                    Index = ticket.IndexFor(i),
                    RequestKey = ticket.Key,
                    Occurrence = ticket.Occurrence,
                    RunId = ticket.RunId,
                    SourcePrompt = ticket.SourcePrompt,
                    ResumeFolder = ticket.ResumeFolder,
                    Prompt = request.Prompt,
                    RevisedPrompt = image.RevisedPrompt,
                    Model = request.Model,
                    Size = result.Settings.Size ?? request.Size.ToString(),
                    Quality = result.Settings.Quality ?? request.Quality,
                    Background = result.Settings.Background ?? AskedBackground(request),
                    Created = result.Created,
                    Usage = result.Usage,
                    RequestId = result.RequestId,
                    AnswerId = result.RequestId ?? ticket.LocalAnswerId,
                    SourcePath = ticket.SourcePath,
                };
            }
        }

        /// <summary>An image of a streamed answer (-PartialImages): a partial image, or a final one as soon as it completed.</summary>
        internal static MvImage FromStreamed(StreamedImage streamed, ImageRequest request, RequestTicket ticket)
        {
            var rerun = streamed.IsPartial ? null : ticket; // partial images never count as saved images of a request
            var used = streamed.Settings;
            var header = streamed.Header;
            return new MvImage(streamed.Data, ImageSniffer.Name(header.Format), header.Width, header.Height)
            {
                _sniffedFormat = header.Format,
                Index = ticket.IndexFor(streamed.ImageIndex),
                RequestKey = rerun?.Key,
                Occurrence = rerun?.Occurrence ?? 1,
                RunId = ticket.RunId,
                SourcePrompt = rerun?.SourcePrompt,
                ResumeFolder = rerun?.ResumeFolder,
                IsPartial = streamed.IsPartial,
                PartialIndex = streamed.PartialIndex,
                Prompt = request.Prompt,
                RevisedPrompt = streamed.RevisedPrompt,
                Model = request.Model,
                Size = used.Size ?? request.Size.ToString(),
                Quality = used.Quality ?? request.Quality,
                Background = used.Background ?? AskedBackground(request),
                Created = streamed.Created,
                Usage = streamed.Usage,
                RequestId = streamed.RequestId,
                AnswerId = streamed.RequestId ?? ticket.LocalAnswerId,
                SourcePath = ticket.SourcePath,
            };
        }

        // The background field as sent: -Background, or what -AdditionalParameter put there.
        private static string? AskedBackground(ImageRequest request) =>
            request.Fields.TryGetValue(ApiRules.BackgroundField, out var asked) ? asked as string : null;

        /// <summary>
        /// Format, width and height of the bytes: as read when the answer was decoded, read again only for an
        /// MvImage made otherwise (its format and size are the maker's word, not the bytes').
        /// </summary>
        internal (ImageFormat Format, int Width, int Height) Described()
        {
            if (_sniffedFormat != ImageFormat.Unknown) return (_sniffedFormat, Width, Height);
            var header = ImageSniffer.Read(Data);
            return (header.Format, header.Width, header.Height);
        }
    }
}
