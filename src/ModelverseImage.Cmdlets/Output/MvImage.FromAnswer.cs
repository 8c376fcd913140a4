using System;
using System.Collections.Generic;
using ModelverseImage.Api;
using ModelverseImage.Imaging;

namespace ModelverseImage.Output
{
    /// <summary>MvImage made from the API's answers, with the header the client read from the bytes when it checked them.</summary>
    public sealed partial class MvImage
    {
        // The format the client read from the bytes (ResultImage.Header, PartialImage.Header) when this object was
        // made from an answer, as the engine's ImageFormat cast to int; 0 (Unknown) when it was not made from one
        // (made by a user or deserialized). An int, not the engine's enum: a field of an engine type would make
        // PowerShell load the engine when it lists the cmdlets at import, instead of at the first request.
        private int _sniffedFormat;

        /// <summary>
        /// The images of an answer. Size, quality and background are what the answer says was used, where it
        /// says so; otherwise what was asked.
        /// </summary>
        internal static IEnumerable<MvImage> FromResult(ImageResult result, ImageRequest request)
        {
            var ticket = Resume.RerunTicket.Of(request);
            for (int i = 0; i < result.Images.Count; i++)
            {
                var image = result.Images[i];
                var header = image.Header;
                yield return new MvImage(image.Data, ImageSniffer.Name(header.Format), header.Width, header.Height)
                {
                    _sniffedFormat = (int)header.Format,
                    Index = ticket?.IndexFor(i) ?? i + 1,
                    RequestKey = ticket?.Key,
                    Occurrence = ticket?.Occurrence ?? 1,
                    SourcePrompt = ticket?.SourcePrompt,
                    Prompt = request.Prompt,
                    RevisedPrompt = image.RevisedPrompt,
                    Model = request.Model,
                    Size = result.Settings.Size ?? request.Size.ToString(),
                    Quality = result.Settings.Quality ?? request.Quality,
                    Background = result.Settings.Background ?? AskedBackground(request),
                    Created = result.Created,
                    Usage = result.Usage,
                    RequestId = result.RequestId,
                    SourcePath = request.SourcePath,
                };
            }
        }

        /// <summary>A partial image of a streamed answer (-PartialImages).</summary>
        internal static MvImage FromPartial(PartialImage partial, ImageRequest request)
        {
            var used = partial.Settings;
            var header = partial.Header;
            return new MvImage(partial.Data, ImageSniffer.Name(header.Format), header.Width, header.Height)
            {
                _sniffedFormat = (int)header.Format,
                Index = partial.ImageIndex + 1,
                IsPartial = true,
                PartialIndex = partial.PartialIndex,
                Prompt = request.Prompt,
                Model = request.Model,
                Size = used.Size ?? request.Size.ToString(),
                Quality = used.Quality ?? request.Quality,
                Background = used.Background ?? AskedBackground(request),
                Created = partial.Created,
                RequestId = partial.RequestId,
                SourcePath = request.SourcePath,
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
            if (_sniffedFormat != (int)ImageFormat.Unknown) return ((ImageFormat)_sniffedFormat, Width, Height);
            var header = ImageSniffer.Read(Data);
            return (header.Format, header.Width, header.Height);
        }
    }
}
