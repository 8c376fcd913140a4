using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;

namespace ModelverseImage.Imaging
{
    /// <summary>
    /// Reads the record back from an XMP packet in one forward pass (an XmlReader, no tree): the properties of every
    /// rdf:Description, as child elements or as attributes (both are XMP), and the first rdf:li of dc:description as
    /// the prompt. Linear in the packet's length and bounded in time and memory: no DTD, no entities, at most
    /// <see cref="XmpPacket.MaxBytes"/> characters, only the module's and xmp: properties kept, and a packet nested
    /// deeper than <see cref="MaxDepth"/> is refused as soon as the reader gets there.
    /// </summary>
    internal static class XmpRecordReader
    {
        /// <summary>Deeper than XMP nests (ours six levels, structures in arrays about ten): a packet beyond it is not a record.</summary>
        internal const int MaxDepth = 32;

        private const string Separator = "|";

        /// <summary>The record, or null when the packet is not XML, nests too deep, or carries no property of the module's namespace.</summary>
        public static ImageRecord? Read(byte[] packet)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            string? prompt;
            try
            {
                if (!Walk(packet, values, out prompt)) return null;
            }
            catch (XmlException)
            {
                return null;
            }
            string? Get(string ns, string name) => values.TryGetValue(ns + Separator + name, out var v) ? v : null;
            string? Mv(string name) => Get(XmpPacket.Namespace, name);
            long? Long(string name) => long.TryParse(Mv(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : (long?)null;
            int? Int(string name) => int.TryParse(Mv(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : (int?)null;
            DateTimeOffset? When(string? text) => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : (DateTimeOffset?)null;
            return new ImageRecord
            {
                Prompt = prompt ?? string.Empty,
                RevisedPrompt = Mv("RevisedPrompt"),
                Model = Mv("Model"),
                Size = Mv("Size"),
                Quality = Mv("Quality"),
                Background = Mv("Background"),
                OutputFormat = Mv("OutputFormat"),
                Created = When(Mv("Created")) ?? When(Get(XmpPacket.XmpNs, "CreateDate")),
                RequestId = Mv("RequestId"),
                AnswerId = Mv("AnswerId"),
                TotalTokens = Long("TotalTokens"),
                InputTokens = Long("InputTokens"),
                OutputTokens = Long("OutputTokens"),
                Index = Int("Index"),
                SourceFile = Mv("SourceImage") ?? Mv("SourceFile"), // earlier builds wrote SourceFile, which clashed with exiftool's own SourceFile key
                SourcePrompt = Mv("SourcePrompt"),
                RequestKey = Mv("RequestKey"),
                Occurrence = Int("Occurrence"),
                RunId = Mv("RunId"),
                CreatorTool = Get(XmpPacket.XmpNs, "CreatorTool"),
            };
        }

        /// <summary>One pass over the packet: the simple properties kept in <paramref name="values"/> (the first of each wins); true when one is the module's.</summary>
        private static bool Walk(byte[] packet, Dictionary<string, string> values, out string? prompt)
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = XmpPacket.MaxBytes,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            prompt = null;
            bool ours = false;
            int description = -1;    // depth of the rdf:Description being read, else -1
            string? property = null; // the property open directly under it (namespace|name)
            int propertyDepth = -1;
            bool simple = false;     // the property holds text only so far
            int li = -1;             // depth of dc:description's first rdf:li while inside it, else -1
            var text = new StringBuilder();
            using (var reader = XmlReader.Create(new MemoryStream(packet, writable: false), settings))
            {
                while (reader.Read())
                {
                    if (reader.Depth > MaxDepth) return false;
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element when property == null && reader.LocalName == "Description" && reader.NamespaceURI == XmpPacket.RdfNs:
                            ours |= TakeAttributes(reader, values);
                            description = reader.IsEmptyElement ? -1 : reader.Depth;
                            break;
                        case XmlNodeType.Element when property == null && description >= 0 && reader.Depth == description + 1:
                            property = reader.NamespaceURI + Separator + reader.LocalName;
                            ours |= reader.NamespaceURI == XmpPacket.Namespace;
                            propertyDepth = reader.Depth;
                            simple = true;
                            text.Clear();
                            if (reader.IsEmptyElement)
                            {
                                Take(values, property, string.Empty);
                                property = null;
                            }
                            break;
                        case XmlNodeType.Element when property != null:
                            simple = false;
                            if (prompt == null && li < 0 && property == XmpPacket.DcNs + Separator + "description" && reader.LocalName == "li" && reader.NamespaceURI == XmpPacket.RdfNs)
                            {
                                text.Clear();
                                if (reader.IsEmptyElement) prompt = string.Empty;
                                else li = reader.Depth;
                            }
                            break;
                        case XmlNodeType.Text:
                        case XmlNodeType.CDATA:
                        case XmlNodeType.Whitespace:
                        case XmlNodeType.SignificantWhitespace:
                            if (property != null && ((simple && reader.Depth == propertyDepth + 1) || (li >= 0 && reader.Depth == li + 1))) text.Append(reader.Value);
                            break;
                        case XmlNodeType.EndElement:
                            if (li >= 0 && reader.Depth == li)
                            {
                                prompt = text.ToString();
                                li = -1;
                            }
                            else if (property != null && reader.Depth == propertyDepth)
                            {
                                if (simple) Take(values, property, text.ToString());
                                property = null;
                            }
                            else if (reader.Depth == description)
                            {
                                description = -1;
                            }
                            break;
                    }
                }
            }
            return ours;
        }

        /// <summary>The properties written as attributes of rdf:Description; true when one is the module's.</summary>
        private static bool TakeAttributes(XmlReader reader, Dictionary<string, string> values)
        {
            bool ours = false;
            if (reader.MoveToFirstAttribute())
            {
                do
                {
                    ours |= reader.NamespaceURI == XmpPacket.Namespace;
                    Take(values, reader.NamespaceURI + Separator + reader.LocalName, reader.Value);
                }
                while (reader.MoveToNextAttribute());
                reader.MoveToElement();
            }
            return ours;
        }

        /// <summary>Keeps the first value of each of the module's and xmp: properties; the rest are not needed.</summary>
        private static void Take(Dictionary<string, string> values, string key, string value)
        {
            bool wanted = key.StartsWith(XmpPacket.Namespace + Separator, StringComparison.Ordinal) || key.StartsWith(XmpPacket.XmpNs + Separator, StringComparison.Ordinal);
            if (wanted && !values.ContainsKey(key)) values[key] = value;
        }
    }
}
