namespace ModelverseImage.Imaging
{
    /// <summary>
    /// The Adler-32 checksum that ends a zlib stream (RFC 1950), over the uncompressed bytes. Besides bytes it takes
    /// runs of one 4-byte pixel and of zeros in closed form, so a PNG row made of runs (<see cref="PngWriter"/>) costs
    /// one step per run, not per byte.
    /// </summary>
    internal struct Adler32
    {
        private const uint Modulus = 65521;

        private uint _a;
        private uint _b;

        /// <summary>The checksum of no bytes (1).</summary>
        public static Adler32 Start => new Adler32 { _a = 1 };

        /// <summary>The checksum as the zlib trailer stores it (big-endian): B in the high 16 bits, A in the low.</summary>
        public uint Value => (_b << 16) | _a;

        public void Add(byte value)
        {
            _a = (_a + value) % Modulus;
            _b = (_b + _a) % Modulus;
        }

        public void Add(byte[] bytes, int offset, int count)
        {
            uint a = _a, b = _b;
            int end = offset + count;
            while (offset < end)
            {
                // 5552 bytes is the most that can be summed before b could pass 2^32 (zlib's NMAX).
                int stop = offset + System.Math.Min(5552, end - offset);
                for (; offset < stop; offset++)
                {
                    a += bytes[offset];
                    b += a;
                }
                a %= Modulus;
                b %= Modulus;
            }
            _a = a;
            _b = b;
        }

        /// <summary><paramref name="count"/> zero bytes: A is unchanged and B grows by count times A.</summary>
        public void AddZeros(long count)
        {
            _b = (uint)((_b + (ulong)(count % Modulus) * _a) % Modulus);
        }

        /// <summary>
        /// <paramref name="count"/> pixels of the bytes p0 p1 p2 p3 (<paramref name="pixel"/> big-endian, 0xRRGGBBAA).
        /// One pixel takes A to A + S and B to B + 4A + W (S = p0+p1+p2+p3, W = 4p0+3p1+2p2+p3), so k pixels take A to
        /// A + kS and B to B + 4kA + 2Sk(k-1) + kW.
        /// </summary>
        public void AddPixels(uint pixel, long count)
        {
            if (count <= 0) return;
            ulong p0 = pixel >> 24, p1 = (pixel >> 16) & 0xFF, p2 = (pixel >> 8) & 0xFF, p3 = pixel & 0xFF;
            ulong s = p0 + p1 + p2 + p3;
            ulong w = 4 * p0 + 3 * p1 + 2 * p2 + p3;
            ulong k = (ulong)(count % Modulus);
            ulong k1 = (ulong)((count - 1) % Modulus);
            ulong a = _a, b = _b;
            _b = (uint)((b + 4 * k * a % Modulus + 2 * s * (k * k1 % Modulus) % Modulus + k * w) % Modulus);
            _a = (uint)((a + k * s) % Modulus);
        }
    }
}
