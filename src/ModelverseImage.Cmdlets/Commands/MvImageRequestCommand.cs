using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using ModelverseImage.Api;
using ModelverseImage.Imaging;
using ModelverseImage.Output;
using ModelverseImage.Parameters;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// What New-MvImage and Edit-MvImage share: the connection, retry and throttle parameters, and a pump
    /// that runs up to -ThrottleLimit requests at once while this (the pipeline) thread alone writes their
    /// results, errors, verbose lines and progress.
    /// </summary>
    public abstract partial class MvImageRequestCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly ConcurrentQueue<Action> _outbox = new ConcurrentQueue<Action>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly HashSet<Task> _running = new HashSet<Task>();
        private readonly Stopwatch _clock = new Stopwatch();
        private ModelverseClient? _client;
        private Uri? _baseUri;
        private int _inFlight, _done, _failed, _submitted;
        private string? _lastLabel;
        private string? _retryNote;
        private DateTime _retryUntil;
        private DateTime _nextProgress;
        private bool _progressShown;
        private string? _partialNote;

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
        public int PartialImages { get; set; }

        #endregion

        #region Overrides

        protected override void BeginProcessing()
        {
            _clock.Start();
            CheckCombination();
            var settings = ResolveSettings();
            if (settings != null) _client = new ModelverseClient(settings, new QueueLog(this));
        }

        protected override void EndProcessing()
        {
            PumpWhile(() => _inFlight > 0);
            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        protected override void StopProcessing() => _cancel.Cancel();

        #endregion

        #region For the cmdlets

        /// <summary>How many requests this call will make, when that is known up front (not for pipeline input).</summary>
        protected int? KnownTotal { get; set; }

        /// <summary>The verb phrase for progress, e.g. "Generating".</summary>
        protected abstract string ProgressVerb { get; }

        private string ProgressActivity => MyInvocation.MyCommand.Name;

        // Progress records are keyed by the cmdlet instance as well, so one id serves every cmdlet.
        private const int ProgressId = 1;

        /// <summary>The API address the request goes to, for ShouldProcess.</summary>
        private string TargetFor(ImageRequest request) =>
            $"{Model} at {_baseUri!.AbsoluteUri.TrimEnd('/')}/{request.Path}";

        /// <summary>
        /// Adds the optional fields, shared by both endpoints, in the API's names. n and size are sent when
        /// they differ from the API's defaults (1, auto): decided by value, because parameters bound from an
        /// earlier pipeline object stay listed in BoundParameters.
        /// </summary>
        protected void AddCommonFields(ImageRequest request, int count, string size, string? quality)
        {
            var bound = MyInvocation.BoundParameters;
            if (count != 1) request.Fields["n"] = count;
            string? wireSize = Sizes.ImageSizeRules.Normalize(size);
            if (wireSize != null && wireSize != Sizes.ImageSizeRules.Auto) request.Fields["size"] = wireSize;
            if (quality != null) request.Fields["quality"] = quality.ToLowerInvariant();
            if (OutputFormat != null) request.Fields["output_format"] = OutputFormat.ToLowerInvariant();
            if (bound.ContainsKey(nameof(OutputCompression))) request.Fields["output_compression"] = OutputCompression;
            if (Background != null) request.Fields["background"] = Background.ToLowerInvariant();
            if (bound.ContainsKey(nameof(PartialImages)))
            {
                request.Fields["stream"] = true;
                request.Fields["partial_images"] = PartialImages;
            }
        }

        private static readonly HashSet<string> StreamingFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "stream", "partial_images" };

        private static readonly HashSet<string> ReservedFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "prompt", "model", "image", "image[]", "mask" };

        /// <summary>Merges -AdditionalParameter last, so it can set any field the API knows.</summary>
        protected void AddAdditionalFields(ImageRequest request)
        {
            if (AdditionalParameter == null) return;
            foreach (DictionaryEntry entry in AdditionalParameter)
            {
                string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                if (StreamingFields.Contains(name))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-AdditionalParameter cannot set '{name}': use -PartialImages, which sends stream and partial_images and reads the streamed answer."),
                        "InvalidAdditionalParameter", ErrorCategory.InvalidArgument, name));
                }
                if (ReservedFields.Contains(name))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-AdditionalParameter cannot set '{name}': the cmdlet's own parameters (-Prompt, -Model, the input images, -Mask) set it."),
                        "InvalidAdditionalParameter", ErrorCategory.InvalidArgument, name));
                }
                request.Fields[name] = Unwrap(entry.Value);
            }
        }

        /// <summary>Refuses field combinations the API would refuse, before anything is sent.</summary>
        private void CheckCombination()
        {
            if (string.Equals(Background, "transparent", StringComparison.OrdinalIgnoreCase)
                && string.Equals(OutputFormat, "jpeg", StringComparison.OrdinalIgnoreCase))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("A transparent background needs -OutputFormat png or webp; jpeg has no transparency."),
                    "TransparentJpeg", ErrorCategory.InvalidArgument, OutputFormat));
            }
        }

        /// <summary>
        /// Asks ShouldProcess, then starts the request once a slot is free (writing finished results while
        /// it waits). Its images are written as MvImage objects on this thread; a failure is an error record
        /// whose TargetObject is <paramref name="target"/>.
        /// </summary>
        protected void Submit(ImageRequest request, string label, object target, string? size, string? quality, string sourcePath)
        {
            // A -Confirm question waits for the user: the bar must not claim a request is being worked on.
            if (_progressShown && ConfirmInEffect)
                WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, $"Waiting for your answer: {ProgressVerb.ToLowerInvariant()} {label}?"));
            if (!ShouldProcess(TargetFor(request), request.Describe()) || _client == null) return;
            Func<ImageResult, IEnumerable<MvImage>> toImages = result => ToImages(result, request, size, quality, sourcePath);
            Action<PartialImage>? onPartial = ModelverseClient.IsStreamed(request) ? PartialWriter(request, label, size, quality, sourcePath) : null;
            PumpWhile(() => _inFlight >= ThrottleLimit);
            _inFlight++;
            _submitted++;
            _lastLabel = label;
            // ShouldProcess's own verbose line ("Performing the operation ...") already shows the request.
            CmdletTrace.Verbose(this, $"{ProgressVerb} {label}");
            var client = _client;
            var token = _cancel.Token;
            Task task = null!;
            task = Task.Run(async () =>
            {
                try
                {
                    var result = await client.SendAsync(request, onPartial, token).ConfigureAwait(false);
                    _outbox.Enqueue(() => Finish(task, success: true, () =>
                    {
                        if (result.Images.Count < request.ExpectedCount)
                            WriteWarning($"{label}: asked for {request.ExpectedCount} images, the API returned {result.Images.Count}.");
                        foreach (var image in toImages(result)) WriteObject(image);
                    }));
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    _outbox.Enqueue(() => Finish(task, success: false, () => { }));
                }
                catch (Exception ex)
                {
                    _outbox.Enqueue(() => Finish(task, success: false, () => WriteError(ApiErrors.ToRecord(ex, target))));
                }
                finally
                {
                    _signal.Release();
                }
            });
            lock (_running) _running.Add(task);
            UpdateProgress(force: true);
        }

        /// <summary>
        /// Builds MvImage objects from an answer, reading format and size from the bytes. Size, quality and
        /// background are what the answer says was used, where it says so; otherwise what was asked.
        /// </summary>
        private static IEnumerable<MvImage> ToImages(ImageResult result, ImageRequest request, string? size, string? quality, string sourcePath)
        {
            var used = result.Settings;
            string? background = request.Fields.TryGetValue("background", out var asked) ? asked as string : null;
            for (int i = 0; i < result.Images.Count; i++)
            {
                var data = result.Images[i].Data;
                var header = ImageSniffer.Read(data);
                yield return new MvImage(data, ImageSniffer.Name(header.Format), header.Width, header.Height)
                {
                    Index = i + 1,
                    Prompt = request.Prompt,
                    RevisedPrompt = result.Images[i].RevisedPrompt,
                    Model = request.Model,
                    Size = used.Size ?? Sizes.ImageSizeRules.Normalize(size) ?? Sizes.ImageSizeRules.Auto,
                    Quality = used.Quality ?? quality,
                    Background = used.Background ?? background,
                    Created = result.Created,
                    Usage = result.Usage,
                    RequestId = result.RequestId,
                    SourcePath = sourcePath,
                };
            }
        }

        #endregion

        #region Private

        private ClientSettings? ResolveSettings()
        {
            var resolved = ClientSettings.Resolve(BaseUri, ApiKey, AllowUnencryptedAuthentication.IsPresent);
            _baseUri = resolved.BaseUri;
            // -WhatIf sends nothing, so it needs no key.
            if (resolved.Problem == SettingsProblem.MissingApiKey && WhatIfInEffect) return null;
            if (resolved.Problem != SettingsProblem.None) ThrowTerminatingError(ApiErrors.ToRecord(resolved));
            var settings = resolved.Settings!;
            settings.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            settings.MaximumRetryCount = MaximumRetryCount;
            settings.RetryMayBeBilled = RetryBilledFailure.IsPresent;
            settings.UserAgent = "ModelverseImage/" + typeof(MvImageRequestCommand).Assembly.GetName().Version?.ToString(3) + " PowerShell/" + Host.Version;
            return settings;
        }

        private bool WhatIfInEffect =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
                ? LanguagePrimitives.IsTrue(whatIf)
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        private bool ConfirmInEffect =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)
                ? LanguagePrimitives.IsTrue(confirm)
                : SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact preference && preference <= ConfirmImpact.Medium;

        private void Finish(Task task, bool success, Action write)
        {
            _inFlight--;
            if (success) _done++; else _failed++;
            _partialNote = null;
            lock (_running) _running.Remove(task);
            write();
        }

        /// <summary>Writes what the workers queued, waiting in short, cancellable steps while the condition holds.</summary>
        private void PumpWhile(Func<bool> condition)
        {
            while (true)
            {
                while (_outbox.TryDequeue(out var write)) write();
                if (!condition()) return;
                if (_cancel.IsCancellationRequested) StopNow();
                try
                {
                    _signal.Wait(TimeSpan.FromMilliseconds(250), _cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    StopNow();
                }
                UpdateProgress(force: false);
            }
        }

        private void StopNow()
        {
            WaitForWorkers(TimeSpan.FromMilliseconds(800));
            throw new PipelineStoppedException();
        }

        private void WaitForWorkers(TimeSpan limit)
        {
            Task[] running;
            lock (_running) running = _running.ToArray();
            try
            {
                Task.WaitAll(running, limit);
            }
            catch (AggregateException)
            {
                // Their failures were already queued or no longer matter.
            }
        }

        private void UpdateProgress(bool force)
        {
            var now = DateTime.UtcNow;
            if (!force && now < _nextProgress) return;
            _nextProgress = now.AddSeconds(1);
            string elapsed = _clock.Elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
            string done = KnownTotal is int total ? $"{_done + _failed} of {total} done" : $"{_done + _failed} done";
            // While a retry waits, say so instead of claiming the request is being worked on.
            string? waiting = _inFlight > 0 && now < _retryUntil
                ? $"Waiting {Math.Ceiling((_retryUntil - now).TotalSeconds):0} s to retry ({_retryNote})"
                : null;
            string status = _submitted == 1 && _inFlight == 1 && KnownTotal is null
                ? waiting ?? $"{ProgressVerb} {_lastLabel} ({(int)_clock.Elapsed.TotalSeconds} s)" + (_partialNote is null ? string.Empty : ": " + _partialNote)
                : $"{done}, {_inFlight} in flight, {_failed} failed, {elapsed} elapsed";
            var record = new ProgressRecord(ProgressId, ProgressActivity, status) { CurrentOperation = _inFlight > 0 ? waiting ?? _partialNote ?? $"{ProgressVerb} {_lastLabel}" : null };
            if (KnownTotal is int all && all > 0) record.PercentComplete = Math.Min(100, (_done + _failed) * 100 / all);
            WriteProgress(record);
            _progressShown = true;
        }

        internal static object? Unwrap(object? value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            switch (value)
            {
                case Hashtable table:
                    var copy = new Hashtable();
                    foreach (DictionaryEntry e in table) copy[e.Key] = Unwrap(e.Value);
                    return copy;
                case object[] array:
                    return array.Select(Unwrap).ToArray();
                default:
                    return value;
            }
        }

        /// <summary>Queues the client's verbose and debug lines for the pipeline thread.</summary>
        private sealed class QueueLog : IClientLog
        {
            private readonly MvImageRequestCommand _command;

            public QueueLog(MvImageRequestCommand command) => _command = command;

            public void Verbose(string message)
            {
                _command._outbox.Enqueue(() => CmdletTrace.Verbose(_command, message));
                _command._signal.Release();
            }

            public void Debug(string message)
            {
                _command._outbox.Enqueue(() => _command.WriteDebug(message));
                _command._signal.Release();
            }

            public void Retrying(string message, TimeSpan delay)
            {
                var until = DateTime.UtcNow + delay;
                _command._outbox.Enqueue(() =>
                {
                    CmdletTrace.Verbose(_command, message);
                    if (until > _command._retryUntil)
                    {
                        _command._retryUntil = until;
                        string reason = message.Substring(message.IndexOf(':') + 1).Trim();
                        _command._retryNote = reason.Length <= 80 ? reason : reason.Substring(0, 77) + "...";
                    }
                    _command.UpdateProgress(force: true);
                });
                _command._signal.Release();
            }
        }

        #endregion

        public void Dispose()
        {
            _cancel.Cancel();
            WaitForWorkers(TimeSpan.FromSeconds(1));
            _client?.Dispose();
            _cancel.Dispose();
        }
    }
}
