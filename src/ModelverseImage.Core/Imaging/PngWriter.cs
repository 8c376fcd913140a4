using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace ModelverseImage.Imaging
{
    /// <summary>Part of a row of pixels: <see cref="Count"/> pixels of one colour (<see cref="Rgba"/>, 0xRRGGBBAA).</summary>
    internal readonly struct PixelRun : IEquatable<PixelRun>
    {
        public PixelRun(uint rgba, int count)
        {
            Rgba = rgba;
            Count = count;
        }

        public uint Rgba { get; }

        public int Count { get; }

        public bool Equals(PixelRun other) => Rgba == other.Rgba && Count == other.Count;

        public override bool Equals(object? obj) => obj is PixelRun other && Equals(other);

        public override int GetHashCode() => unchecked((int)Rgba * 31 + Count);
    }

    /// <summary>
    /// Writes 8-bit RGBA PNGs (colour type 6) whose rows are runs of one colour, such as masks: the module's one PNG
    /// encoder, beside the one reader (<see cref="PngReader"/>; <see cref="XmpEmbedder"/> only inserts a chunk). Rows stream through the deflater one at
    /// a time: two rows are held, never the raw image (a 3840x2160 image is 33 MB raw). A row equal to the one above
    /// is written with filter type 2 (Up), which makes it all zeros; any other with filter type 1 (Sub), which makes
    /// it zeros but for the first pixel of each run. So every row deflates to almost nothing (filter type 0 for the
    /// rows that differ makes an ellipse's mask half as large again).
    /// The zlib stream is put together here, as netstandard2.0 has no ZLibStream: the two-byte header, raw deflate
    /// from System.IO.Compression, and the Adler-32 of the filtered rows, computed from the runs rather than byte by
    /// byte. Its output is cut into IDAT chunks of at most <see cref="MaxIdatLength"/> bytes.
    /// </summary>
    internal static class PngWriter
    {
        /// <summary>The longest IDAT chunk written (its data), as encoders commonly cut them.</summary>
        public const int MaxIdatLength = 1 << 16;

        private const byte ColourTypeRgba = 6;
        private const byte FilterSub = 1;
        private const byte FilterUp = 2;

        // The zlib header: CM 8 (deflate), CINFO 7 (a 32 KB window), FLEVEL 2 (the default level, as Optimal below),
        // and the FCHECK bits that make 0x789C a multiple of 31.
        private static readonly byte[] ZlibHeader = { 0x78, 0x9C };

        private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        /// <summary>
        /// A PNG of <paramref name="width"/> x <paramref name="height"/> pixels; <paramref name="fillRow"/> is called once
        /// per row, top to bottom, with the row's number and an empty list to fill with its runs, whose counts add up to
        /// the width.
        /// </summary>
        public static byte[] WriteRgbaRuns(int width, int height, Action<int, List<PixelRun>> fillRow)
        {
            if (width <= 0 || width > (int.MaxValue - 1) / 4) throw new ArgumentOutOfRangeException(nameof(width));
            if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height));
            if (fillRow is null) throw new ArgumentNullException(nameof(fillRow));

            var output = new MemoryStream();
            output.Write(Signature, 0, Signature.Length);
            var ihdr = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
            BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
            ihdr[8] = 8; // bits per channel; compression, filter method and interlace stay 0
            ihdr[9] = ColourTypeRgba;
            WriteChunk(output, "IHDR", ihdr, 0, ihdr.Length);

            using (var idat = new IdatStream(output))
            {
                idat.Write(ZlibHeader, 0, ZlibHeader.Length);
                uint adler = WriteRows(idat, width, height, fillRow);
                var trailer = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(trailer, adler);
                idat.Write(trailer, 0, trailer.Length);
            }
            WriteChunk(output, "IEND", Array.Empty<byte>(), 0, 0);
            return output.ToArray();
        }

        /// <summary>Deflates the filtered rows into <paramref name="idat"/>; returns their Adler-32.</summary>
        private static uint WriteRows(Stream idat, int width, int height, Action<int, List<PixelRun>> fillRow)
        {
            int rowLength = 1 + width * 4;
            var row = new byte[rowLength];
            var zeros = new byte[rowLength];
            zeros[0] = FilterUp;
            var runs = new List<PixelRun>();
            var above = new List<PixelRun>();
            var adler = Adler32.Start;
            // Optimal (zlib's level 6): as quick as Fastest on such rows here, and its dynamic Huffman codes make a
            // 3840x2160 mask some 40 KB where level 1's fixed codes make it some 320 KB.
            using (var deflate = new DeflateStream(idat, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    runs.Clear();
                    fillRow(y, runs);
                    if (y > 0 && SameRuns(runs, above))
                    {
                        deflate.Write(zeros, 0, rowLength);
                        adler.Add(FilterUp);
                        adler.AddZeros(rowLength - 1);
                        continue;
                    }
                    WriteSubRow(row, runs, ref adler);
                    deflate.Write(row, 0, rowLength);
                    var swap = above;
                    above = runs;
                    runs = swap;
                }
            }
            return adler.Value;
        }

        /// <summary>
        /// A row with filter type 1 (Sub: each byte less the byte one pixel to its left): the first pixel of each run
        /// is its difference from the run before (the first one from zero), every other byte is zero.
        /// </summary>
        private static void WriteSubRow(byte[] row, List<PixelRun> runs, ref Adler32 adler)
        {
            Array.Clear(row, 0, row.Length);
            row[0] = FilterSub;
            adler.Add(FilterSub);
            int at = 1;
            uint left = 0;
            foreach (var run in runs)
            {
                if (run.Count <= 0 || run.Count > (row.Length - at) / 4) throw new InvalidOperationException("The runs of a row are empty or add up to more than its width.");
                uint difference = Difference(run.Rgba, left);
                BinaryPrimitives.WriteUInt32BigEndian(row.AsSpan(at, 4), difference);
                adler.AddPixels(difference, 1);
                adler.AddZeros((run.Count - 1) * 4L);
                at += run.Count * 4;
                left = run.Rgba;
            }
            if (at != row.Length) throw new InvalidOperationException("The runs of a row add up to less than its width.");
        }

        /// <summary>Byte by byte, <paramref name="pixel"/> less <paramref name="left"/>, modulo 256.</summary>
        private static uint Difference(uint pixel, uint left)
        {
            uint result = 0;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                result |= (((pixel >> shift) - (left >> shift)) & 0xFF) << shift;
            }
            return result;
        }

        private static bool SameRuns(List<PixelRun> runs, List<PixelRun> above)
        {
            if (runs.Count != above.Count) return false;
            for (int i = 0; i < runs.Count; i++)
            {
                if (!runs[i].Equals(above[i])) return false;
            }
            return true;
        }

        /// <summary>Writes one chunk: length, type, data, and the CRC-32 of type and data.</summary>
        private static void WriteChunk(Stream output, string type, byte[] data, int offset, int count)
        {
            var typed = new byte[4 + count];
            Encoding.ASCII.GetBytes(type, 0, 4, typed, 0);
            Buffer.BlockCopy(data, offset, typed, 4, count);
            var number = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(number, count);
            output.Write(number, 0, 4);
            output.Write(typed, 0, typed.Length);
            BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.Compute(typed, 0, typed.Length));
            output.Write(number, 0, 4);
        }

        /// <summary>
        /// Collects what is written into IDAT chunks of up to <see cref="MaxIdatLength"/> bytes, each written to the
        /// output (with its length and CRC) once full, and the last one when disposed.
        /// </summary>
        private sealed class IdatStream : Stream
        {
            private readonly Stream _output;
            // "IDAT" then the data: the CRC is computed over both in one call.
            private readonly byte[] _chunk = new byte[4 + MaxIdatLength];
            private int _length;
            private bool _done;

            public IdatStream(Stream output)
            {
                _output = output;
                Encoding.ASCII.GetBytes("IDAT", 0, 4, _chunk, 0);
            }

            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Write(byte[] buffer, int offset, int count)
            {
                while (count > 0)
                {
                    int take = Math.Min(count, MaxIdatLength - _length);
                    Buffer.BlockCopy(buffer, offset, _chunk, 4 + _length, take);
                    _length += take;
                    offset += take;
                    count -= take;
                    if (_length == MaxIdatLength) Emit();
                }
            }

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing && !_done)
                {
                    _done = true;
                    if (_length > 0) Emit();
                }
                base.Dispose(disposing);
            }

            private void Emit()
            {
                var number = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(number, _length);
                _output.Write(number, 0, 4);
                _output.Write(_chunk, 0, 4 + _length);
                BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.Compute(_chunk, 0, 4 + _length));
                _output.Write(number, 0, 4);
                _length = 0;
            }
        }
    }
}
