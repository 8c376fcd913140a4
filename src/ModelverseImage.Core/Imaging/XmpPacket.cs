using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Writes and reads the XMP packet of a saved image: IPTC's digital source type (trainedAlgorithmicMedia), the
    /// prompt as dc:description, xmp:CreatorTool and xmp:CreateDate, and the module's own namespace with how the
    /// image was made and the rerun record.
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

        private const string RdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        private const string DcNs = "http://purl.org/dc/elements/1.1/";
        private const string XmpNs = "http://ns.adobe.com/xap/1.0/";
        private const string IptcExtNs = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
        private const string Ellipsis = "\u2026";

        /// <summary>
        /// The packet as UTF-8, at most <paramref name="maxBytes"/> long: when it would be longer, the longest of
        /// the prompt, revised prompt and source prompt is cut (ending in an ellipsis) until it fits.
        /// </summary>
        public static byte[] Build(ImageRecord record, int maxBytes = MaxBytes)
        {
            string prompt = record.Prompt, revised = record.RevisedPrompt ?? string.Empty, source = record.SourcePrompt ?? string.Empty;
            for (int attempt = 0; ; attempt++)
            {
                byte[] packet = Encoding.UTF8.GetBytes(Text(record, prompt, revised, source));
                int excess = packet.Length - maxBytes;
                if (excess <= 0) return packet;
                if (prompt.Length + revised.Length + source.Length == 0 || attempt > 64)
                    throw new ArgumentOutOfRangeException(nameof(maxBytes), "The XMP packet does not fit even without its text fields.");
                if (prompt.Length >= revised.Length && prompt.Length >= source.Length) prompt = Shorten(prompt, excess);
                else if (revised.Length >= source.Length) revised = Shorten(revised, excess);
                else source = Shorten(source, excess);
            }
        }

        /// <summary>Cuts about <paramref name="excess"/> bytes (as written, escaped) off the end of the text, plus room for the ellipsis.</summary>
        private static string Shorten(string text, int excess)
        {
            if (text.EndsWith(Ellipsis, StringComparison.Ordinal)) text = text.Substring(0, text.Length - Ellipsis.Length);
            double bytesPerChar = Math.Max(1.0, (double)Encoding.UTF8.GetByteCount(Escape(text)) / Math.Max(1, text.Length));
            int cut = (int)Math.Ceiling((excess + 3) / bytesPerChar) + 1;
            int keep = Math.Max(0, text.Length - cut);
            if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
            return keep == 0 ? string.Empty : text.Substring(0, keep) + Ellipsis;
        }

        private static string Text(ImageRecord r, string prompt, string revised, string source)
        {
            var x = new StringBuilder(1024 + prompt.Length + revised.Length + source.Length);
            x.Append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
            x.Append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
            x.Append(" <rdf:RDF xmlns:rdf=\"").Append(RdfNs).Append("\">\n");
            x.Append("  <rdf:Description rdf:about=\"\"");
            x.Append("\n    xmlns:Iptc4xmpExt=\"").Append(IptcExtNs).Append('"');
            x.Append("\n    xmlns:dc=\"").Append(DcNs).Append('"');
            x.Append("\n    xmlns:xmp=\"").Append(XmpNs).Append('"');
            x.Append("\n    xmlns:").Append(Prefix).Append("=\"").Append(Namespace).Append("\">\n");
            Element(x, "Iptc4xmpExt:DigitalSourceType", TrainedAlgorithmicMedia);
            x.Append("   <dc:description>\n    <rdf:Alt>\n     <rdf:li xml:lang=\"x-default\">").Append(Escape(prompt)).Append("</rdf:li>\n    </rdf:Alt>\n   </dc:description>\n");
            Element(x, "xmp:CreatorTool", r.CreatorTool);
            Element(x, "xmp:CreateDate", Date(r.Created));
            Element(x, Prefix + ":Model", r.Model);
            Element(x, Prefix + ":Size", r.Size);
            Element(x, Prefix + ":Quality", r.Quality);
            Element(x, Prefix + ":Background", r.Background);
            Element(x, Prefix + ":OutputFormat", r.OutputFormat);
            Element(x, Prefix + ":Created", Date(r.Created));
            Element(x, Prefix + ":RequestId", r.RequestId);
            Element(x, Prefix + ":AnswerId", r.AnswerId);
            Element(x, Prefix + ":TotalTokens", Number(r.TotalTokens));
            Element(x, Prefix + ":InputTokens", Number(r.InputTokens));
            Element(x, Prefix + ":OutputTokens", Number(r.OutputTokens));
            Element(x, Prefix + ":Index", Number(r.Index));
            Element(x, Prefix + ":RevisedPrompt", revised);
            Element(x, Prefix + ":SourceFile", r.SourceFile);
            Element(x, Prefix + ":SourcePrompt", source);
            Element(x, Prefix + ":RequestKey", r.RequestKey);
            Element(x, Prefix + ":Occurrence", Number(r.Occurrence));
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

        /// <summary>
        /// Reads a packet; null when it is not XML or carries no mvimage fields and no IPTC source type of ours.
        /// Properties are read as elements or as attributes of rdf:Description (both are XMP).
        /// </summary>
        public static ImageRecord? Parse(byte[] packet)
        {
            XDocument doc;
            try
            {
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 16 * 1024 * 1024 };
                using var reader = XmlReader.Create(new MemoryStream(packet, writable: false), settings);
                doc = XDocument.Load(reader);
            }
            catch (XmlException)
            {
                return null;
            }
            XNamespace mv = Namespace, dc = DcNs, rdf = RdfNs, xmp = XmpNs, iptc = IptcExtNs;
            var descriptions = doc.Descendants(rdf + "Description").ToList();
            string? Get(XName name) =>
                descriptions.Select(d => (string?)d.Attribute(name) ?? d.Element(name)?.Value).FirstOrDefault(v => v != null);
            long? Long(XName name) => long.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : (long?)null;
            int? Int(XName name) => int.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : (int?)null;
            DateTimeOffset? When(XName name) => DateTimeOffset.TryParse(Get(name), CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : (DateTimeOffset?)null;

            bool ours = descriptions.Any(d => d.Attributes().Any(a => a.Name.Namespace == mv) || d.Elements().Any(e => e.Name.Namespace == mv));
            if (!ours) return null;
            var prompt = descriptions.Select(d => d.Element(dc + "description")).Where(e => e != null)
                .SelectMany(e => e!.Descendants(rdf + "li")).Select(li => li.Value).FirstOrDefault();
            return new ImageRecord
            {
                Prompt = prompt ?? string.Empty,
                RevisedPrompt = Get(mv + "RevisedPrompt"),
                Model = Get(mv + "Model"),
                Size = Get(mv + "Size"),
                Quality = Get(mv + "Quality"),
                Background = Get(mv + "Background"),
                OutputFormat = Get(mv + "OutputFormat"),
                Created = When(mv + "Created") ?? When(xmp + "CreateDate"),
                RequestId = Get(mv + "RequestId"),
                AnswerId = Get(mv + "AnswerId"),
                TotalTokens = Long(mv + "TotalTokens"),
                InputTokens = Long(mv + "InputTokens"),
                OutputTokens = Long(mv + "OutputTokens"),
                Index = Int(mv + "Index"),
                SourceFile = Get(mv + "SourceFile"),
                SourcePrompt = Get(mv + "SourcePrompt"),
                RequestKey = Get(mv + "RequestKey"),
                Occurrence = Int(mv + "Occurrence"),
                CreatorTool = Get(xmp + "CreatorTool"),
            };
        }
    }
}
