using System.Collections.Generic;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Paints a <see cref="MaskDesign"/> at one size, row by row into <see cref="PngWriter"/>: for each row, the spans
    /// its regions cover (clipped, sorted and merged; their complement with <see cref="MaskDesign.Invert"/>) become
    /// runs of fully transparent black, where the edit may change the image, between runs of opaque black.
    /// </summary>
    internal static class MaskPainter
    {
        /// <summary>Opaque black: the image is kept here.</summary>
        public const uint Keep = 0x000000FF;

        /// <summary>Fully transparent (alpha 0): the image may change here.</summary>
        public const uint Change = 0x00000000;

        public static byte[] Paint(MaskDesign design, int width, int height)
        {
            var regions = new PixelRegion[design.Regions.Count];
            var rows = new (int First, int End)[regions.Length];
            for (int i = 0; i < regions.Length; i++)
            {
                regions[i] = design.Resolve(design.Regions[i], width, height);
                rows[i] = regions[i].Rows(height);
            }
            var spans = new List<(int Start, int End)>();
            uint inside = design.Invert ? Keep : Change, outside = design.Invert ? Change : Keep;
            return PngWriter.WriteRgbaRuns(width, height, (y, runs) =>
            {
                spans.Clear();
                for (int i = 0; i < regions.Length; i++)
                {
                    if (y >= rows[i].First && y < rows[i].End && regions[i].Span(y, width, out int start, out int end)) spans.Add((start, end));
                }
                if (spans.Count > 1) spans.Sort((a, b) => a.Start.CompareTo(b.Start));
                int at = 0;
                foreach (var (start, end) in spans)
                {
                    if (end <= at) continue; // inside a span already painted
                    if (start > at) runs.Add(new PixelRun(outside, start - at));
                    int from = start > at ? start : at;
                    // A span that touches or overlaps the last one extends its run.
                    if (from == at && runs.Count > 0 && runs[runs.Count - 1].Rgba == inside)
                    {
                        var last = runs[runs.Count - 1];
                        runs[runs.Count - 1] = new PixelRun(inside, last.Count + end - at);
                    }
                    else
                    {
                        runs.Add(new PixelRun(inside, end - from));
                    }
                    at = end;
                }
                if (at < width) runs.Add(new PixelRun(outside, width - at));
            });
        }
    }
}
