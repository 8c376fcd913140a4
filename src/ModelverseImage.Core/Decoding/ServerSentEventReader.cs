using System;
using System.Text;

namespace ModelverseImage.Api
{
    /// <summary>
    /// Splits a <c>text/event-stream</c> body (bytes in, as read from the socket) into events, after the
    /// WHATWG "server-sent events" rules: lines end in CRLF, LF or CR; <c>field: value</c> with one optional
    /// space after the colon; a line starting with ':' is a comment (keep-alives); several <c>data:</c> lines
    /// join with '\n'; a blank line ends the event; <c>id:</c>, <c>retry:</c> and unknown fields are ignored.
    /// Data is streamed to the sink as it arrives, so an event of any size costs no memory here; only the
    /// field name and the <c>event:</c> value are kept, both bounded. Knows nothing of JSON or PowerShell.
    /// </summary>
    internal sealed class ServerSentEventReader
    {
        private const int MaxFieldName = 16;
        private const int MaxEventName = 256;
        private static readonly byte[] DataField = Encoding.ASCII.GetBytes("data");
        private static readonly byte[] EventField = Encoding.ASCII.GetBytes("event");

        private enum State { LineStart, Field, ValueStart, Data, EventName, Ignore }

        private readonly IServerSentEventSink _sink;
        private readonly byte[] _field = new byte[MaxFieldName + 1];
        private readonly byte[] _name = new byte[MaxEventName];
        private int _fieldLength;
        private int _nameLength;
        private string? _eventName;
        private State _state = State.LineStart;
        private State _valueKind;
        private bool _afterCr;
        private bool _hasData;
        private int _bomSeen;
        private bool _started;

        public ServerSentEventReader(IServerSentEventSink sink) => _sink = sink;


        public void Feed(ReadOnlySpan<byte> data)
        {
            if (!_started) data = SkipBom(data);
            while (!data.IsEmpty)
            {
                if (_afterCr)
                {
                    _afterCr = false;
                    if (data[0] == (byte)'\n')
                    {
                        data = data.Slice(1);
                        continue;
                    }
                }
                switch (_state)
                {
                    case State.LineStart:
                    case State.Field:
                        data = FeedField(data);
                        break;
                    case State.ValueStart:
                        if (data[0] == (byte)' ') data = data.Slice(1);
                        _state = _valueKind;
                        if (_state == State.Data) StartDataLine();
                        break;
                    default:
                        data = FeedValue(data);
                        break;
                }
            }
        }

        private ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> data)
        {
            ReadOnlySpan<byte> bom = stackalloc byte[] { 0xEF, 0xBB, 0xBF };
            while (!data.IsEmpty && _bomSeen < 3)
            {
                if (data[0] != bom[_bomSeen])
                {
                    // Not a BOM: feed what was taken for one (only ever a prefix of it, never a valid line start, so dropped).
                    _started = true;
                    return data;
                }
                _bomSeen++;
                data = data.Slice(1);
            }
            if (_bomSeen == 3) _started = true;
            return data;
        }

        private ReadOnlySpan<byte> FeedField(ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
            {
                byte b = data[i];
                if (b == (byte)'\r' || b == (byte)'\n')
                {
                    _afterCr = b == (byte)'\r';
                    if (_state == State.LineStart) DispatchEvent();
                    else EndFieldOnlyLine();
                    _state = State.LineStart;
                    _fieldLength = 0;
                    return data.Slice(i + 1);
                }
                if (b == (byte)':')
                {
                    _valueKind = _state == State.LineStart ? State.Ignore : KindOfField();
                    _state = _valueKind == State.Ignore ? State.Ignore : State.ValueStart;
                    if (_valueKind == State.EventName) _nameLength = 0;
                    _fieldLength = 0;
                    return data.Slice(i + 1);
                }
                _state = State.Field;
                // Longer names are kept cut at MaxFieldName + 1 bytes: then they match no field we read.
                if (_fieldLength < _field.Length) _field[_fieldLength++] = b;
            }
            return ReadOnlySpan<byte>.Empty;
        }

        private State KindOfField()
        {
            var field = new ReadOnlySpan<byte>(_field, 0, _fieldLength);
            if (field.SequenceEqual(DataField)) return State.Data;
            if (field.SequenceEqual(EventField)) return State.EventName;
            return State.Ignore;
        }

        /// <summary>A line with a field name and no colon: the value is empty ("data" alone is an empty data line).</summary>
        private void EndFieldOnlyLine()
        {
            switch (KindOfField())
            {
                case State.Data:
                    StartDataLine();
                    break;
                case State.EventName:
                    _eventName = null;
                    break;
            }
        }

        private void StartDataLine()
        {
            if (_hasData) _sink.Data(NewLine);
            _hasData = true;
        }

        private static readonly byte[] NewLine = { (byte)'\n' };

        private ReadOnlySpan<byte> FeedValue(ReadOnlySpan<byte> data)
        {
            int end = data.IndexOfAny((byte)'\r', (byte)'\n');
            var value = end < 0 ? data : data.Slice(0, end);
            switch (_state)
            {
                case State.Data:
                    if (!value.IsEmpty) _sink.Data(value);
                    break;
                case State.EventName:
                    int room = Math.Min(value.Length, MaxEventName - _nameLength);
                    value.Slice(0, room).CopyTo(new Span<byte>(_name, _nameLength, room));
                    _nameLength += room;
                    break;
            }
            if (end < 0) return ReadOnlySpan<byte>.Empty;
            if (_state == State.EventName) _eventName = Encoding.UTF8.GetString(_name, 0, _nameLength);
            _afterCr = data[end] == (byte)'\r';
            _state = State.LineStart;
            _fieldLength = 0;
            return data.Slice(end + 1);
        }

        private void DispatchEvent()
        {
            string? name = _eventName;
            bool hasData = _hasData;
            _eventName = null;
            _hasData = false;
            if (!hasData) return; // a blank line after comments or keep-alives only
            _sink.EventEnd(name);
        }
    }
}
