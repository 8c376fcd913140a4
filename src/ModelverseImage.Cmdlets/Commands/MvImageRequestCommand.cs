using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using ModelverseImage.Api;
using ModelverseImage.Errors;
using ModelverseImage.Output;
using ModelverseImage.Parameters;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// What New-MvImage and Edit-MvImage share: the connection, retry and throttle parameters, the fields both
    /// endpoints take, and <see cref="Submit"/>, which hands requests to a <see cref="RequestPump"/> that runs up to
    /// -ThrottleLimit of them at once while this (the pipeline) thread alone writes.
    /// </summary>
    public abstract partial class MvImageRequestCommand : PSCmdlet, IDisposable
    {
        private RequestPump _pump = null!;
        private ModelverseClient? _client;
        private Uri? _baseUri;
        private Redactor _redactor = Redactor.None;
        private readonly List<KeyValuePair<string, object?>> _additional = new List<KeyValuePair<string, object?>>();

        #region Parameters

        /// <summary>The model; gpt-image-2 unless another OpenAI-compatible image model is wanted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; } = ApiRules.DefaultModel;

        [Parameter]
        [ValidateSet(ApiRules.FormatPng, ApiRules.FormatJpeg, ApiRules.FormatWebp, IgnoreCase = true)]
        public string? OutputFormat { get; set; }

        [Parameter]
        [ValidateRange(ApiRules.MinCompression, ApiRules.MaxCompression)]
        public int OutputCompression { get; set; }

        [Parameter]
        [ValidateSet(ApiRules.BackgroundTransparent, ApiRules.BackgroundOpaque, ApiRules.BackgroundAuto, IgnoreCase = true)]
        public string? Background { get; set; }

        /// <summary>Extra JSON fields sent as they are, for API options this module does not know yet.</summary>
        [Parameter]
        public Hashtable? AdditionalParameter { get; set; }

        [Parameter]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        [Parameter]
        public Uri? BaseUri { get; set; }

        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 600;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = 2;

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>
        /// Also resends a request whose answer was lost after the server may have accepted it (a 2xx cut short,
        /// a timeout or dropped connection after the request was sent): each resend may be billed again.
        /// </summary>
        [Parameter]
        public SwitchParameter RetryBilledFailure { get; set; }

        /// <summary>
        /// Streams the answer (stream=true) with this many partial images (partial_images, 0 to 3), each written to
        /// the pipeline as an MvImage with IsPartial when it arrives; 0 streams with no partials. Not sent when omitted.
        /// </summary>
        [Parameter]
        [ValidateRange(ApiRules.MinPartialImages, ApiRules.MaxPartialImages)]
        [ArgumentCompleter(typeof(PartialImagesCompleter))]
        public int PartialImages { get; set; }

        #endregion

        #region Overrides

        protected override void BeginProcessing()
        {
            _pump = new RequestPump(ThrottleLimit, MyInvocation.MyCommand.Name, ProgressVerb, CmdletTrace.Writer(this));
            CheckModel();
            CheckCombination();
            CheckAdditionalFields();
            var settings = ResolveSettings();
            if (settings != null) _client = new ModelverseClient(settings, _pump.Log);
        }

        protected override void EndProcessing()
        {
            _pump.Drain();
            ReleaseClaims();
            WriteRerunSummary();
        }

        protected override void StopProcessing() => _pump?.Cancel();

        #endregion

        #region For the cmdlets

        /// <summary>How many requests this call will make, when that is known up front (not for pipeline input).</summary>
        private protected int? KnownTotal
        {
            set => _pump.KnownTotal = value;
        }

        /// <summary>The verb phrase for progress, e.g. "Generating".</summary>
        private protected abstract string ProgressVerb { get; }

        /// <summary>The API address the request goes to, as sent (the base's query after the path), for ShouldProcess; redacted.</summary>
        private string TargetFor(ImageRequest request) =>
            $"{Model} at {_redactor.Show(ClientSettings.EndpointFor(_baseUri!, request.Path))}";

        /// <summary>
        /// Sets the optional fields both endpoints take; the request sends each in the API's name when it differs
        /// from the API's default. -Size is parsed here, once (validation has already accepted it). Decided by
        /// value, because parameters bound from an earlier pipeline object stay listed in BoundParameters.
        /// </summary>
        private protected void AddCommonFields(ImageRequest request, int count, string size, string? quality)
        {
            var bound = MyInvocation.BoundParameters;
            request.Count = count;
            request.Size = Sizes.ImageSizeRules.Parse(size);
            request.Quality = quality;
            if (OutputFormat != null) request.Send(ApiRules.OutputFormatField, OutputFormat.ToLowerInvariant());
            if (bound.ContainsKey(nameof(OutputCompression))) request.Send(ApiRules.OutputCompressionField, OutputCompression);
            if (Background != null) request.Send(ApiRules.BackgroundField, Background.ToLowerInvariant());
            if (bound.ContainsKey(nameof(PartialImages))) request.PartialImages = PartialImages;
        }

        /// <summary>Merges -AdditionalParameter last, so it can set any field the API knows (checked in BeginProcessing).</summary>
        private protected void AddAdditionalFields(ImageRequest request)
        {
            foreach (var field in _additional) request.Fields[field.Key] = field.Value;
        }

        /// <summary>
        /// Checks -AdditionalParameter once, before anything is sent, and keeps its fields as plain values
        /// (<see cref="AdditionalValue.ToPlain"/>): fields the cmdlet's own parameters set, input_fidelity for a model that refuses it,
        /// and values that cannot be sent as JSON are refused.
        /// </summary>
        private void CheckAdditionalFields()
        {
            if (AdditionalParameter == null) return;
            foreach (DictionaryEntry entry in AdditionalParameter)
            {
                string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                if (ApiRules.StreamingFields.Contains(name))
                {
                    ThrowTerminatingError(ErrorCatalog.AdditionalStreamingField.Create(name, name));
                }
                if (ApiRules.ReservedFields.Contains(name))
                {
                    ThrowTerminatingError(ErrorCatalog.InvalidAdditionalParameter.Create(name, name));
                }
                if (string.Equals(name, ApiRules.InputFidelityField, StringComparison.OrdinalIgnoreCase) && !ApiRules.AcceptsInputFidelity(Model.Trim()))
                {
                    ThrowTerminatingError(ErrorCatalog.InputFidelityNotSupported.Create(entry.Value, Model));
                }
                try
                {
                    _additional.Add(new KeyValuePair<string, object?>(name, AdditionalValue.ToPlain(entry.Value, name)));
                }
                catch (AdditionalValue.UnsendableValueException ex)
                {
                    ThrowTerminatingError(ErrorCatalog.Unsendable(entry.Value ?? name, ex));
                }
            }
        }

        /// <summary>-Model as typed: blank, or with blank, zero-width or control characters around it, it would be sent as it is and refused (or worse, not).</summary>
        private void CheckModel()
        {
            if (Model.Length == 0 || !IsVisible(Model[0]) || !IsVisible(Model[Model.Length - 1]))
            {
                ThrowTerminatingError(ErrorCatalog.InvalidModel.Create(Model, Model));
            }
        }

        private static bool IsVisible(char c) => !char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;

        /// <summary>Refuses field combinations the API would refuse, before anything is sent.</summary>
        private void CheckCombination()
        {
            if (ApiRules.IsTransparentJpeg(Background, OutputFormat))
            {
                ThrowTerminatingError(ErrorCatalog.TransparentJpeg.Create(OutputFormat));
            }
        }

        /// <summary>
        /// Asks ShouldProcess, then starts the request once a slot is free (writing finished results while
        /// it waits). Its images are written as MvImage objects on this thread; a failure is an error record
        /// whose TargetObject is <paramref name="target"/>. The request's ticket travels with it to the images
        /// made from its answer; <paramref name="sourcePath"/> is the file an edit's image came from.
        /// </summary>
        private protected void Submit(ImageRequest request, string label, object target, string sourcePath = "")
        {
            var ticket = PlanRerun(request, label, target, sourcePath);
            if (ticket == null) return;
            _pump.WaitingForAnswer(label, ShouldProcessPreferences.Confirm(this));
            if (!ShouldProcess(TargetFor(request), request.Describe()) || _client == null) return;
            if (!ClaimToSend(request, ticket, label)) return;
            var finalsWritten = new System.Runtime.CompilerServices.StrongBox<int>();
            Action<StreamedImage>? onImage = ModelverseClient.IsStreamed(request) ? StreamWriter(request, ticket, label, finalsWritten) : null;
            var client = _client;
            _pump.Run(label, async token =>
                {
                    // Timed on the worker: from sending to the last byte, retries included, not the wait to be written.
                    var clock = Stopwatch.StartNew();
                    var answer = await client.SendAsync(request, onImage, token).ConfigureAwait(false);
                    return (Result: answer, Elapsed: clock.Elapsed);
                },
                answered =>
                {
                    var result = answered.Result;
                    CmdletTrace.Verbose(this, string.Format(CultureInfo.InvariantCulture, "Received {0}: {1} image{2} in {3:0.0} s; request id {4}; {5}.",
                        label, result.Images.Count, result.Images.Count == 1 ? string.Empty : "s", answered.Elapsed.TotalSeconds,
                        result.RequestId ?? "none", result.Usage?.ToString() ?? "no usage reported"));
                    if (result.Images.Count < request.ExpectedCount)
                        WriteWarning(Words.FewerImages(label, request.ExpectedCount, result.Images.Count));
                    if (result.ImagesRefused > 0)
                        WriteWarning(Words.ImagesRefused(label, request.ExpectedCount, result.Images.Count + result.ImagesRefused, result.ImagesRefused));
                    if (result.PartialImagesRefused > 0)
                        WriteWarning(Words.PartialImagesRefused(label, result.PartialImagesRefused, request.PartialImages ?? 0));
                    // A streamed answer's final images were written as they completed.
                    foreach (var image in MvImage.FromResult(result, request, ticket).Skip(finalsWritten.Value)) WriteObject(image);
                },
                failure => WriteError(ApiErrors.ToRecord(failure, target)));
        }

        #endregion

        #region Private

        private ClientSettings? ResolveSettings()
        {
            var resolved = ClientSettings.Resolve(BaseUri, ApiKey, AllowUnencryptedAuthentication.IsPresent);
            _baseUri = resolved.BaseUri;
            _redactor = resolved.Settings?.Redactor ?? Redactor.For(resolved.BaseUri);
            // -WhatIf sends nothing, so it needs no key.
            if (resolved.Problem == SettingsProblem.MissingApiKey && ShouldProcessPreferences.WhatIf(this)) return null;
            if (resolved.Problem != SettingsProblem.None) ThrowTerminatingError(ApiErrors.ToRecord(resolved));
            var settings = resolved.Settings!;
            settings.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            settings.MaximumRetryCount = MaximumRetryCount;
            settings.RetryMayBeBilled = RetryBilledFailure.IsPresent;
            settings.UserAgent = "ModelverseImage/" + typeof(MvImageRequestCommand).Assembly.GetName().Version?.ToString(3) + " PowerShell/" + Host.Version;
            return settings;
        }

        #endregion

        public void Dispose()
        {
            _pump?.Stop(TimeSpan.FromSeconds(1));
            ReleaseClaims();
            _client?.Dispose();
            _pump?.Dispose();
        }
    }
}
