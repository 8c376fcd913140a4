using System.Globalization;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// What the core's sniffer learned from the start of an image: its format, pixel size and whether it
    /// can carry transparency. Width and Height are 0 when the header was cut short or could not be read.
    /// </summary>
    public readonly struct ImageHeader
    {
        public ImageHeader(ImageFormat format, int width, int height, bool hasAlpha)
        {
            Format = format;
            Width = width;
            Height = height;
            HasAlpha = hasAlpha;
        }

        public ImageFormat Format { get; }
        public int Width { get; }
        public int Height { get; }
        public bool HasAlpha { get; }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1}x{2}{3}",
                Format.ToString().ToLowerInvariant(), Width, Height, HasAlpha ? " alpha" : string.Empty);
    }
}
