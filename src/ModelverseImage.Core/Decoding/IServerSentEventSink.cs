using System;

namespace ModelverseImage.Api
{
    /// <summary>What a <see cref="ServerSentEventReader"/> hands on, event by event.</summary>
    internal interface IServerSentEventSink
    {
        /// <summary>
        /// Part of the current event's data, as it arrives: the values of its <c>data:</c> lines, joined by '\n'
        /// (as the spec joins them). Never buffered: a 45 MB line arrives in the pieces it was read in.
        /// </summary>
        void Data(ReadOnlySpan<byte> data);

        /// <summary>The blank line ending an event that had at least one data line; <paramref name="name"/> is its <c>event:</c> field, if any.</summary>
        void EventEnd(string? name);
    }
}
