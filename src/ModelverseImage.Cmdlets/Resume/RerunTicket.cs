using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using ModelverseImage.Api;

namespace ModelverseImage.Resume
{
    /// <summary>
    /// What a request carries for reruns, beside the request itself: its key, its occurrence (the same key asked
    /// for twice in one run is two requests, numbered 1, 2, ... in the order submitted), the image indices it asks
    /// for (1..n, or only the missing ones of a partly saved request) and, for an edit of a saved image, that
    /// image's prompt. Every image made from the request records key, occurrence and index when saved.
    /// </summary>
    internal sealed class RerunTicket
    {
        private static readonly ConditionalWeakTable<ImageRequest, RerunTicket> Tickets = new ConditionalWeakTable<ImageRequest, RerunTicket>();

        public RerunTicket(string key, int occurrence)
        {
            Key = key;
            Occurrence = occurrence;
        }

        public string Key { get; }
        public int Occurrence { get; }

        /// <summary>The indices the answer's images get, in order; null for 1, 2, ... n.</summary>
        public IReadOnlyList<int>? Indices { get; set; }

        public string? SourcePrompt { get; set; }

        /// <summary>The -Resume folder (full path) the request was planned against; null without -Resume.</summary>
        public string? ResumeFolder { get; set; }

        /// <summary>The 1-based index of the answer's image at <paramref name="position"/> (0-based).</summary>
        public int IndexFor(int position) =>
            Indices != null && position < Indices.Count ? Indices[position] : position + 1;

        public static void Attach(ImageRequest request, RerunTicket ticket)
        {
            Tickets.Remove(request);
            Tickets.Add(request, ticket);
        }

        public static RerunTicket? Of(ImageRequest request) =>
            request != null && Tickets.TryGetValue(request, out var ticket) ? ticket : null;
    }

    /// <summary>Numbers the occurrences of each request key in one run of a command.</summary>
    internal sealed class OccurrenceCounter
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
