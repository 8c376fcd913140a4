namespace ModelverseImage.Imaging
{
    /// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), over a chunk's type and data.</summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = MakeTable();

        public static uint Compute(byte[] bytes, int offset, int count)
        {
            uint crc = 0xFFFFFFFFu;
            for (int i = offset; i < offset + count; i++) crc = Table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFFu;
        }

        private static uint[] MakeTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
