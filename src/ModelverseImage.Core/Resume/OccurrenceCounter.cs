using System;
using System.Collections.Generic;

namespace ModelverseImage.Resume
{
    /// <summary>Numbers the occurrences of each request key in one run of a command.</summary>
    public sealed class OccurrenceCounter
    {
        private readonly Dictionary<string, int> _seen = new Dictionary<string, int>(StringComparer.Ordinal);

        public int Next(string key)
        {
            _seen.TryGetValue(key, out int n);
            _seen[key] = ++n;
            return n;
        }
    }
}
