using System;
using System.Globalization;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// One of <see cref="Count"/> parts of an input (a class, not a struct: a cmdlet's field of it must not load the
    /// core when the module is imported), "index/count" with the index from 0 (as Kubernetes'
    /// JOB_COMPLETION_INDEX, GitHub Actions' strategy.job-index and Azure Batch number their tasks). A request
    /// belongs to the shard its key falls in: the key's first 64 bits modulo the count, so the split depends on
    /// what is asked, never on the order of the input, and identical rows land together.
    /// </summary>
    public sealed class Shard
    {
        /// <summary>Shards at most: more than any job array a folder of images is split over.</summary>
        public const int MaxCount = 10_000;

        public Shard(int index, int count)
        {
            Index = index;
            Count = count;
        }

        public int Index { get; }
        public int Count { get; }

        /// <summary>Reads "index/count"; false, with what is wrong in <paramref name="problem"/>, when it is not one.</summary>
        public static bool TryParse(string? text, out Shard? shard, out ShardProblem problem)
        {
            shard = null;
            problem = ShardProblem.NotIndexOfCount;
            var parts = (text ?? string.Empty).Trim().Split('/');
            if (parts.Length != 2
                || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
                return false;
            if (count < 1 || count > MaxCount)
            {
                problem = ShardProblem.CountOutOfRange;
                return false;
            }
            if (index >= count)
            {
                problem = ShardProblem.IndexOutOfRange;
                return false;
            }
            shard = new Shard(index, count);
            problem = ShardProblem.None;
            return true;
        }

        /// <summary>Whether the request of <paramref name="key"/> (a RequestKey, hex) is this shard's. A request without a key is shard 0's.</summary>
        public bool Takes(string? key)
        {
            if (key == null || key.Length < 16) return Index == 0;
            ulong value = ulong.Parse(key.Substring(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            return (int)(value % (ulong)Count) == Index;
        }

        public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);
    }

    public enum ShardProblem
    {
        None,

        /// <summary>Not two whole numbers with a slash between them.</summary>
        NotIndexOfCount,

        CountOutOfRange,

        /// <summary>The index is the count or more (indices run from 0 to count-1).</summary>
        IndexOutOfRange,
    }
}
