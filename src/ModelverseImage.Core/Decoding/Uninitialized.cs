using System;

namespace ModelverseImage.Api
{
    /// <summary>
    /// A byte array whose every byte is about to be overwritten: on .NET 5+ it skips zeroing (GC.AllocateUninitializedArray,
    /// found by reflection since this assembly targets netstandard2.0); elsewhere it is a plain new array.
    /// </summary>
    internal static class Uninitialized
    {
        private static readonly Func<int, bool, byte[]>? Allocator = Find();

        public static byte[] Allocate(int length) => Allocator != null ? Allocator(length, false) : new byte[length];

        private static Func<int, bool, byte[]>? Find()
        {
            var method = typeof(GC).GetMethod("AllocateUninitializedArray", new[] { typeof(int), typeof(bool) });
            return method == null ? null : (Func<int, bool, byte[]>)Delegate.CreateDelegate(typeof(Func<int, bool, byte[]>), method.MakeGenericMethod(typeof(byte)));
        }
    }
}
