using System;
using System.Collections.Generic;

namespace ModelverseImage.Api
{
    internal sealed class ParsedAnswer
    {
        public List<DataEntry> Data { get; } = new List<DataEntry>();
        public DateTimeOffset? Created { get; set; }
        public TokenUsage? Usage { get; set; }
        public AnswerSettings Settings { get; set; } = AnswerSettings.None;
    }
}
