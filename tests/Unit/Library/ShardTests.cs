using ModelverseImage.Resume;

namespace ModelverseImage.Tests.Library;

/// <summary>-Shard index/count: parsed strictly, and every key in exactly one shard.</summary>
public sealed class ShardTests
{
    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData(" 3 / 4 ", 3, 4)]
    [InlineData("0/1", 0, 1)]
    public void IndexOfCountIsRead(string text, int index, int count)
    {
        Assert.True(Shard.TryParse(text, out var shard, out _));
        Assert.Equal((index, count), (shard!.Index, shard.Count));
    }

    [Theory]
    [InlineData("4/4", ShardProblem.IndexOutOfRange)]
    [InlineData("1/0", ShardProblem.CountOutOfRange)]
    [InlineData("0/10001", ShardProblem.CountOutOfRange)]
    [InlineData("-1/4", ShardProblem.NotIndexOfCount)]
    [InlineData("2", ShardProblem.NotIndexOfCount)]
    [InlineData("1/2/3", ShardProblem.NotIndexOfCount)]
    [InlineData("a/b", ShardProblem.NotIndexOfCount)]
    [InlineData("", ShardProblem.NotIndexOfCount)]
    public void AnythingElseIsRefusedSayingWhy(string text, ShardProblem problem)
    {
        Assert.False(Shard.TryParse(text, out _, out var said));
        Assert.Equal(problem, said);
    }

    [Fact]
    public void EveryKeyFallsInExactlyOneShardAndTheShardsShareTheWork()
    {
        var keys = Enumerable.Range(0, 4000).Select(i => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))).Select(h => Convert.ToHexString(h).ToLowerInvariant()[..RequestKey.Length]).ToList();
        var shards = Enumerable.Range(0, 4).Select(i => new Shard(i, 4)).ToArray();

        var counts = new int[4];
        foreach (var key in keys)
        {
            var takers = shards.Where(s => s.Takes(key)).ToList();
            Assert.Single(takers);
            counts[takers[0].Index]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }
}
