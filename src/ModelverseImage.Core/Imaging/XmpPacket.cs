using System;
using System.Globalization;
using System.Text;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Writes the XMP packet of a saved image: IPTC's digital source type (trainedAlgorithmicMedia), the prompt as
    /// dc:description, xmp:CreatorTool and xmp:CreateDate, and the module's own namespace with how the image was made
    /// and the rerun record. <see cref="XmpRecordReader"/> reads it back.
    /// </summary>
    internal static class XmpPacket
    {
        public const string Namespace = "https://github.com/modelverseimage/ModelverseImage/ns/1.0/";
        public const string Prefix = "mvimage";
        public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

        /// <summary>
        /// The longest packet written and read back (1 MiB), far above any real record (a prompt, a revised prompt and
        /// a source prompt of a few thousand characters each); a longer one is shortened when written and not read.
        /// </summary>
        public const int MaxBytes = 1 << 20;

        internal const string RdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        internal const string DcNs = "http://purl.org/dc/elements/1.1/";
        internal const string XmpNs = "http://ns.adobe.com/xap/1.0/";
        private const string IptcExtNs = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
        private const string Ellipsis = "\u2026";

        /// <summary>What is done to a field when the packet is too long, longest first: texts are cut (ending in "…"), names and ids dropped, numbers and dates kept.</summary>
        private enum Fit { Keep, Cut, Drop }

        /// <summary>
        /// The packet as UTF-8, at most <paramref name="maxBytes"/> long: while it is longer, the longest field that may be
        /// is cut or dropped. What is never cut (dates, numbers, the mark) takes about 1.5 KB, so a record always fits
        /// a JPEG segment, and a paid image is never refused for its record.
        /// </summary>
        public static byte[] Build(ImageRecord record, int maxBytes = MaxBytes)
        {
            var fields = Fields(record);
            while (true)
            {
                byte[] packet = Encoding.UTF8.GetBytes(Text(fields));
                int excess = packet.Length - maxBytes;
                int longest = Longest(fields);
                if (excess <= 0 || longest < 0)
                {
                    return packet;
                }
                var (name, value, fit) = fields[longest];
                fields[longest] = (name, fit == Fit.Cut ? Shorten(value!, excess) : null, fit);
            }
        }

        /// <summary>The fields in the order written, as text, with what may be done to each to make the packet fit.</summary>
        private static (string Name, string? Value, Fit Fit)[] Fields(ImageRecord r) => new (string, string?, Fit)[]
        {
            ("dc:description", r.Prompt, Fit.Cut),
            ("xmp:CreatorTool", r.CreatorTool, Fit.Cut),
            ("xmp:CreateDate", Date(r.Created), Fit.Keep),
            (Prefix + ":Model", r.Model, Fit.Cut),
            (Prefix + ":Size", r.Size, Fit.Cut),
            (Prefix + ":Quality", r.Quality, Fit.Cut),
            (Prefix + ":Background", r.Background, Fit.Cut),
            (Prefix + ":OutputFormat", r.OutputFormat, Fit.Cut),
            (Prefix + ":Created", Date(r.Created), Fit.Keep),
            (Prefix + ":RequestId", r.RequestId, Fit.Drop),
            (Prefix + ":AnswerId", r.AnswerId, Fit.Drop),
            (Prefix + ":TotalTokens", Number(r.TotalTokens), Fit.Keep),
            (Prefix + ":InputTokens", Number(r.InputTokens), Fit.Keep),
            (Prefix + ":OutputTokens", Number(r.OutputTokens), Fit.Keep),
            (Prefix + ":Index", Number(r.Index), Fit.Keep),
            (Prefix + ":RevisedPrompt", r.RevisedPrompt, Fit.Cut),
            (Prefix + ":SourceImage", r.SourceFile, Fit.Drop),
            (Prefix + ":SourcePrompt", r.SourcePrompt, Fit.Cut),
            (Prefix + ":RequestKey", r.RequestKey, Fit.Drop), // 32 characters of ours: dropped only when an imported record brought a huge one
            (Prefix + ":Occurrence", Number(r.Occurrence), Fit.Keep),
            (Prefix + ":RunId", r.RunId, Fit.Drop),
        };

        /// <summary>The field that may be cut or dropped whose text is longest as written, or -1.</summary>
        private static int Longest((string Name, string? Value, Fit Fit)[] fields)
        {
            int longest = -1, longestBytes = 0;
            for (int i = 0; i < fields.Length; i++)
            {
                if (fields[i].Fit == Fit.Keep || string.IsNullOrEmpty(fields[i].Value)) continue;
                int bytes = Encoding.UTF8.GetByteCount(Escape(fields[i].Value!));
                if (bytes > longestBytes)
                {
                    longest = i;
                    longestBytes = bytes;
                }
            }
            return longest;
        }

        /// <summary>Cuts about <paramref name="excess"/> bytes (as written, escaped) off the end of the text, plus room for the ellipsis.</summary>
        private static string? Shorten(string text, int excess)
        {
            if (text.EndsWith(Ellipsis, StringComparison.Ordinal)) text = text.Substring(0, text.Length - Ellipsis.Length);
            double bytesPerChar = Math.Max(1.0, (double)Encoding.UTF8.GetByteCount(Escape(text)) / Math.Max(1, text.Length));
            int cut = (int)Math.Ceiling((excess + 3) / bytesPerChar) + 1;
            int keep = Math.Max(0, text.Length - cut);
            if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
            return keep == 0 ? null : text.Substring(0, keep) + Ellipsis;
        }

        private static string Text((string Name, string? Value, Fit Fit)[] fields)
        {
            int length = 1024;
            foreach (var field in fields) length += field.Value?.Length ?? 0;
            var x = new StringBuilder(length);
            x.Append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
            x.Append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
            x.Append(" <rdf:RDF xmlns:rdf=\"").Append(RdfNs).Append("\">\n");
            x.Append("  <rdf:Description rdf:about=\"\"");
            x.Append("\n    xmlns:Iptc4xmpExt=\"").Append(IptcExtNs).Append('"');
            x.Append("\n    xmlns:dc=\"").Append(DcNs).Append('"');
            x.Append("\n    xmlns:xmp=\"").Append(XmpNs).Append('"');
            x.Append("\n    xmlns:").Append(Prefix).Append("=\"").Append(Namespace).Append("\">\n");
            Element(x, "Iptc4xmpExt:DigitalSourceType", TrainedAlgorithmicMedia);
            foreach (var (name, value, _) in fields)
            {
                if (name == "dc:description")
                    x.Append("   <dc:description>\n    <rdf:Alt>\n     <rdf:li xml:lang=\"x-default\">").Append(Escape(value ?? string.Empty)).Append("</rdf:li>\n    </rdf:Alt>\n   </dc:description>\n");
                else
                    Element(x, name, value);
            }
            x.Append("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
            return x.ToString();
        }

        private static void Element(StringBuilder x, string name, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            x.Append("   <").Append(name).Append('>').Append(Escape(value!)).Append("</").Append(name).Append(">\n");
        }

        private static string? Date(DateTimeOffset? date) => date?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

        private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// XML-escapes text: &amp;, &lt;, &gt;, quotes, and CR (which XML would otherwise read as LF); characters XML 1.0
        /// cannot carry (controls other than tab and line breaks, lone surrogates) become U+FFFD.
        /// </summary>
        internal static string Escape(string text)
        {
            var s = new StringBuilder(text.Length + 16);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                switch (c)
                {
                    case '&': s.Append("&amp;"); break;
                    case '<': s.Append("&lt;"); break;
                    case '>': s.Append("&gt;"); break;
                    case '"': s.Append("&quot;"); break;
                    case '\r': s.Append("&#xD;"); break;
                    case '\t':
                    case '\n': s.Append(c); break;
                    default:
                        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        {
                            s.Append(c).Append(text[++i]);
                        }
                        else if (c < 0x20 || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                        {
                            s.Append('\uFFFD');
                        }
                        else
                        {
                            s.Append(c);
                        }
                        break;
                }
            }
            return s.ToString();
        }

        /// <summary>Reads a packet (<see cref="XmpRecordReader.Read"/>); null when it is not a record of ours.</summary>
        public static ImageRecord? Parse(byte[] packet) => XmpRecordReader.Read(packet);
    }
}
