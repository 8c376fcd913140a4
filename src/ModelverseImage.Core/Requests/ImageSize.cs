using System;
using System.Globalization;

namespace ModelverseImage.Api
{
    /// <summary>The size asked for: "auto" (the default value) or WIDTHxHEIGHT in pixels, as the API spells it.</summary>
    public readonly struct ImageSize : IEquatable<ImageSize>
    {
        public const string AutoText = "auto";

        public ImageSize(int width, int height)
        {
            Width = width;
            Height = height;
        }

        /// <summary>The model chooses the size; not sent.</summary>
        public static ImageSize Auto => default;

        public int Width { get; }
        public int Height { get; }
        public bool IsAuto => Width == 0 && Height == 0;

        public override string ToString() => IsAuto
            ? AutoText
            : Width.ToString(CultureInfo.InvariantCulture) + "x" + Height.ToString(CultureInfo.InvariantCulture);

        public bool Equals(ImageSize other) => Width == other.Width && Height == other.Height;
        public override bool Equals(object? obj) => obj is ImageSize other && Equals(other);
        public override int GetHashCode() => (Width * 397) ^ Height;
    }
}
