namespace ModelverseImage.Imaging
{
    /// <summary>An image container format, as recognised from its leading bytes.</summary>
    public enum ImageFormat
    {
        Unknown,
        Png,
        Jpeg,
        Webp,
    }
}
