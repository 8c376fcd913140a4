using System;
using System.Globalization;
using ModelverseImage.Api;

namespace ModelverseImage.Errors
{
    /// <summary>
    /// The words of the API's failures, written from the facts the client reports (<see cref="ApiException.Problem"/>
    /// and its facts, the status, the API's message, how far the exchange got, the billing rule's verdict). Part of the
    /// module's one home of words (this folder): the client itself words nothing.
    /// </summary>
    internal static class ApiWords
    {
        /// <summary>
        /// What a failure says: what went wrong; for a request that may have been billed, how far the exchange got and
        /// what that means; and the request id.
        /// </summary>
        public static string Message(ApiException failure)
        {
            string message = Cause(failure);
            if (failure.Kind == FailureKind.AnswerLost) message = Lost(message, failure);
            else if (failure.MayBeBilledNotResent) message = message.TrimEnd('.') + ". " + Billed(failure);
            string? id = failure.RequestId;
            if (!RaisedWithItsId(failure.Problem) && id != null && message.IndexOf(id, StringComparison.Ordinal) < 0)
                message = message.TrimEnd() + " Request id: " + id + ".";
            return message;
        }

        /// <summary>The verbose line of a retry: "Retry 1 of 2 in 2.0 s: The API refused the request (HTTP 429) ...".</summary>
        public static string RetryLine(RetryNotice notice) => Format("{0} {1} of {2} in {3:0.0} s{4}: {5}",
            notice.Download ? "Download retry" : "Retry", notice.Retry, notice.Of, notice.Delay.TotalSeconds,
            notice.MayBeBilled ? " (retrying a request that may have been billed, as allowed)" : string.Empty, Message(notice.Failure));

        /// <summary>
        /// What arrived of the answer, said once and only as far as it got: "no answer came back", "a 200 status and
        /// 40 bytes of the body arrived", "the whole 200 answer arrived". Whether it was cut, timed out or refused is the
        /// failure's own words (its cause), never this.
        /// </summary>
        public static string Exchange(ExchangeRecord record)
        {
            int status = record.StatusCode;
            switch (record.Stage)
            {
                case ExchangeStage.NothingSent:
                    return "the request was not fully sent";
                case ExchangeStage.SentNoStatus:
                    return "no answer came back";
                case ExchangeStage.StatusReceived:
                    return Format("a {0} status arrived, and no body", status);
                case ExchangeStage.BodyPartlyRead:
                    return Format("a {0} status and {1:N0} bytes of the body arrived", status, record.BodyBytes);
                case ExchangeStage.PartialImagesReceived:
                    return Format("a {0} status, {1} and {2} arrived", status, Count(record.PartialImages, "partial image"),
                        record.CompletedImages == 0 ? "no final image" : Count(record.CompletedImages, "final image"));
                default:
                    return record.PartialImages + record.CompletedImages == 0
                        ? Format("the whole {0} answer arrived", status)
                        : Format("the whole {0} answer arrived, with {1} and {2}", status, Count(record.PartialImages, "partial image"),
                            record.CompletedImages == 0 ? "no final image" : Count(record.CompletedImages, "final image"));
            }
        }

        /// <summary>What went wrong, from the problem and its facts.</summary>
        private static string Cause(ApiException e)
        {
            switch (e.Problem)
            {
                case ApiProblem.Refused: return Refusal("The API refused the request (", e);
                case ApiProblem.DownloadRefused: return Refusal(e.Host + " refused the download (", e);
                case ApiProblem.ErrorEvent:
                    return "The API reported an error in its stream of events" + (string.IsNullOrEmpty(e.ErrorCode) ? string.Empty : " (" + e.ErrorCode + ")")
                        + ": " + (string.IsNullOrEmpty(e.ApiMessage) ? "no message" : e.ApiMessage) + IdInBrackets("request id", e.RequestId);
                case ApiProblem.Redirect:
                    return Format("The API answered with a redirect (HTTP {0}) to '{1}'. The key is not sent on redirects, so the redirect was not followed.", e.StatusCode, Fact(e, 0));
                case ApiProblem.IncompleteJson: return "The API's answer ended in the middle of a value: the JSON is incomplete.";
                case ApiProblem.AnswerNotJson: return Format("The API's answer is not valid JSON ({0}). It began: {1}", Fact(e, 0), Fact(e, 1));
                case ApiProblem.EventNotJson: return Format("An event of the API's stream is not valid JSON ({0}). It began: {1}", Fact(e, 0), Fact(e, 1));
                case ApiProblem.AnswerNotObject: return "The API's answer is JSON but not an object.";
                case ApiProblem.EventNotObject: return "An event of the API's stream is JSON but not an object.";
                case ApiProblem.NoImages: return "The API's answer has no images in its 'data'.";
                case ApiProblem.EntryWithoutImage: return "An entry of the API's 'data' has neither b64_json nor url.";
                case ApiProblem.EmptyImage: return "The API answered with an empty image.";
                case ApiProblem.EventWithoutImage: return "The API's stream ended an image without its data (no b64_json in the completed event).";
                case ApiProblem.InvalidBase64: return "The API answered with image data that is not valid base64.";
                case ApiProblem.EmptyDataUri: return "The API answered with a data: URI that has no base64 data.";
                case ApiProblem.ImageTooLarge: return Format("An image in the API's answer is larger than {0:N0} bytes decoded; the answer is refused and the rest is not read.", Fact(e, 0));
                case ApiProblem.TooMuchJson: return Format("The API's answer has more than {0:N0} bytes of JSON besides its images; it is refused and the rest is not read.", Fact(e, 0));
                case ApiProblem.DownloadTooLarge: return Format("The download is larger than {0:N0} bytes.", Fact(e, 0));
                case ApiProblem.AnswerNotAnImage: return NotAnImage("The API answered", e);
                case ApiProblem.StreamedNotAnImage: return NotAnImage("The API streamed an image", e);
                case ApiProblem.DownloadNotAnImage: return NotAnImage("The image URL answered", e);
                case ApiProblem.UrlNotFetchable: return Format("The API answered with an image URL that cannot be fetched: '{0}'.", Fact(e, 0));
                case ApiProblem.DownloadFailed:
                    return "The image was generated, but downloading it failed: "
                        + (e.InnerException is ApiException download ? Message(download) : string.Empty) + IdInBrackets("generation request id", Fact(e, 0) as string);
                case ApiProblem.TimedOut: return Format("No complete answer from {0} within the time limit for one attempt ({1:0.#} s).", e.Host, Fact(e, 0));
                case ApiProblem.StreamWentQuiet:
                    return Format("The stream of events went quiet: no event ended for {0:0.#} s (the time limit, which in a stream limits the wait between events)", Fact(e, 0));
                case ApiProblem.ConnectionBroke: return Broke(e, Fact(e, 0) as string ?? "no answer");
                case ApiProblem.StreamCut: return "The stream of events was cut: " + (Fact(e, 0) as string ?? "the connection closed");
                case ApiProblem.StreamEndedEarly: return "The stream of events ended before the final image";
                case ApiProblem.CutShort: return Format("The answer was cut short: {0:N0} of {1:N0} bytes arrived.", Fact(e, 0), Fact(e, 1));
                case ApiProblem.ErrorBodyTooLong: return "The error body is longer than 64 KiB; the rest is not read.";
                case ApiProblem.Unexpected: return Format("{0}: {1}", Fact(e, 0), Fact(e, 1));
                default: return e.Message;
            }
        }

        /// <summary>
        /// Failures read from the answer itself carry their request id from the start: the refusals say it in their own
        /// words, the others have never been given the "Request id:" sentence (kept as it was).
        /// </summary>
        private static bool RaisedWithItsId(ApiProblem problem) => problem switch
        {
            ApiProblem.Refused or ApiProblem.DownloadRefused or ApiProblem.ErrorEvent or ApiProblem.DownloadFailed => true,
            ApiProblem.AnswerNotJson or ApiProblem.EventNotJson or ApiProblem.AnswerNotObject or ApiProblem.EventNotObject => true,
            ApiProblem.NoImages or ApiProblem.EntryWithoutImage or ApiProblem.EventWithoutImage => true,
            _ => false,
        };

        /// <summary>"... (HTTP 400, invalid_size): the API's message [request id req_1]"; a 2xx is an error object in that answer.</summary>
        private static string Refusal(string start, ApiException e)
        {
            string status = e.StatusCode / 100 == 2 ? Format("an error object in an HTTP {0} answer", e.StatusCode) : Format("HTTP {0}", e.StatusCode);
            return start + status + (string.IsNullOrEmpty(e.ErrorCode) ? string.Empty : ", " + e.ErrorCode) + ")"
                + (string.IsNullOrEmpty(e.ApiMessage) ? string.Empty : ": " + e.ApiMessage) + IdInBrackets("request id", e.RequestId);
        }

        private static string NotAnImage(string source, ApiException e)
        {
            string start = Fact(e, 1) as string ?? string.Empty;
            return Format("{0} with data that is not a PNG, JPEG or WebP image ({1:N0} bytes beginning {2}).", source, Fact(e, 0), start.Length == 0 ? "with nothing" : start);
        }

        /// <summary>A connection that failed, said by how far the exchange got.</summary>
        private static string Broke(ApiException e, string cause) => e.Exchange.Stage switch
        {
            ExchangeStage.NothingSent => Format("Could not reach {0} ({1}): {2}", e.Host, e.Request, cause),
            ExchangeStage.SentNoStatus => Format("The connection to {0} broke after the request was sent, before any answer ({1}): {2}", e.Host, e.Request, cause),
            _ => Format("The connection to {0} broke while the answer was arriving: {1}", e.Host, cause),
        };

        /// <summary>
        /// An answer lost after the request may have been billed, each fact once: what happened (the lead), that the
        /// request had gone out and what of the answer arrived, what that means for billing, and that it was not resent.
        /// </summary>
        private static string Lost(string cause, ApiException e)
        {
            var record = e.Exchange;
            string lead = e.Problem switch
            {
                ApiProblem.TimedOut => Format("The time limit for one attempt ({0:0.#} s) ran out", Fact(e, 0)),
                ApiProblem.ConnectionBroke => "The connection broke: " + (Fact(e, 0) as string ?? "no reason given").TrimEnd('.'),
                ApiProblem.CutShort => Format("The answer ended before its announced {0:N0} bytes", Fact(e, 1)),
                _ => cause.TrimEnd('.'),
            };
            string billed = record.ProbablyBilled ? "probably generated and billed" : "may have been generated and billed";
            var text = new System.Text.StringBuilder(lead).Append(". ").Append(SentAndArrived(e)).Append(": ");
            if (record.CompletedImages > 0)
                text.Append(record.CompletedImages == 1 ? "the final image that arrived was" : Format("the {0} final images that arrived were", record.CompletedImages))
                    .Append(" handed on, and the rest ").Append(record.ProbablyBilled ? "were " + billed : billed);
            else
                text.Append("the image ").Append(record.ProbablyBilled ? "was " + billed : billed);
            text.Append(e.ResendAllowed ? "; resending such requests was allowed, so each attempt may have been billed." : ". It was not sent again, so as not to pay twice.");
            return text.ToString();
        }

        /// <summary>Another failure after the request may have been billed: where the exchange got, and that it was not resent.</summary>
        private static string Billed(ApiException e) =>
            SentAndArrived(e) + ": the request may have been billed, so it was not sent again."
            + (e.Exchange.CompletedImages > 0 ? " The final images that arrived were handed on." : string.Empty);

        /// <summary>"POST images/generations had been sent to api.modelverse.cn in full, and no answer came back".</summary>
        private static string SentAndArrived(ApiException e) =>
            Format("{0} had been sent to {1} in full, and {2}", e.Request, e.Host, Exchange(e.Exchange));

        private static string IdInBrackets(string what, string? id) => string.IsNullOrEmpty(id) ? string.Empty : " [" + what + " " + id + "]";

        private static object? Fact(ApiException e, int index) => index < e.Facts.Count ? e.Facts[index] : null;

        private static string Count(int n, string what) => Format("{0} {1}{2}", n, what, n == 1 ? string.Empty : "s");

        private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
