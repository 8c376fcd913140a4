using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ModelverseImage.Api;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Runs up to -ThrottleLimit requests at once while the pipeline thread alone writes their results, errors,
    /// verbose lines and progress: workers queue what is to be written (the outbox), and the pipeline thread
    /// drains it while it waits, in short cancellable steps. Ctrl+C (<see cref="Cancel"/>) stops it within a second.
    /// </summary>
    internal sealed class RequestPump : IDisposable
    {
        // Progress records are keyed by the cmdlet instance as well, so one id serves every cmdlet.
        private const int ProgressId = 1;

        private readonly int _throttleLimit;
        private readonly string _activity;
        private readonly string _verb;
        private readonly IPipelineWriter _writer;
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly ConcurrentQueue<Action> _outbox = new ConcurrentQueue<Action>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly HashSet<Task> _running = new HashSet<Task>();
        private readonly Stopwatch _clock = new Stopwatch();
        private int _inFlight, _done, _failed, _submitted, _skipped;
        private string? _lastLabel;
        private string? _retryNote;
        private DateTime _retryUntil;
        private DateTime _nextProgress;
        private bool _progressShown;
        private string? _partialNote;
        private string? _partialLabel;

        /// <param name="throttleLimit">Requests in flight at most (-ThrottleLimit).</param>
        /// <param name="activity">The progress bar's activity: the cmdlet's name.</param>
        /// <param name="verb">What a request does, for progress and verbose lines: "Generating", "Editing".</param>
        /// <param name="writer">Where the pipeline thread writes progress, verbose and debug lines.</param>
        public RequestPump(int throttleLimit, string activity, string verb, IPipelineWriter writer)
        {
            _throttleLimit = throttleLimit;
            _activity = activity;
            _verb = verb;
            _writer = writer;
            _clock.Start();
        }

        /// <summary>How many requests this call will make, when that is known up front (not for pipeline input).</summary>
        public int? KnownTotal { get; set; }

        public void Cancel() => _cancel.Cancel();

        /// <summary>The client's verbose, debug and retry lines, queued for the pipeline thread.</summary>
        public IClientLog Log => new QueueLog(this);

        /// <summary>A -Confirm question waits for the user: the bar must not claim a request is being worked on.</summary>
        public void WaitingForAnswer(string label, bool confirming)
        {
            if (_progressShown && confirming)
                _writer.WriteProgress(new ProgressRecord(ProgressId, _activity, $"Waiting for your answer: {_verb.ToLowerInvariant()} {label}?"));
        }

        /// <summary>
        /// Starts <paramref name="send"/> once a slot is free (writing finished results while it waits). On this
        /// thread, later, <paramref name="write"/> writes its result or <paramref name="fail"/> its failure.
        /// </summary>
        public void Run<T>(string label, Func<CancellationToken, Task<T>> send, Action<T> write, Action<Exception> fail)
        {
            PumpWhile(() => _inFlight >= _throttleLimit);
            _inFlight++;
            _submitted++;
            _lastLabel = label;
            // ShouldProcess's own verbose line ("Performing the operation ...") already shows the request.
            _writer.WriteVerbose($"{_verb} {label}");
            var token = _cancel.Token;
            Task task = null!;
            task = Task.Run(async () =>
            {
                try
                {
                    var result = await send(token).ConfigureAwait(false);
                    _outbox.Enqueue(() => Finish(task, success: true, () => write(result)));
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    _outbox.Enqueue(() => Finish(task, success: false, () => { }));
                }
                catch (Exception ex)
                {
                    _outbox.Enqueue(() => Finish(task, success: false, () => fail(ex)));
                }
                finally
                {
                    _signal.Release();
                }
            });
            lock (_running) _running.Add(task);
            UpdateProgress(force: true);
        }

        /// <summary>Queues a write for the pipeline thread; callable from any thread.</summary>
        public void Post(Action write)
        {
            _outbox.Enqueue(write);
            _signal.Release();
        }

        /// <summary>Notes a partial image of the request <paramref name="label"/> in the progress bar (pipeline thread).</summary>
        public void NotePartial(string label, string note)
        {
            _partialNote = note;
            _partialLabel = label;
            UpdateProgress(force: true);
        }

        /// <summary>Counts a request not sent because its images are already saved (-Resume) as done (pipeline thread).</summary>
        public void NoteSkipped()
        {
            _done++;
            _skipped++;
            UpdateProgress(force: false);
        }

        /// <summary>Writes everything still to come, then completes the progress bar.</summary>
        public void Drain()
        {
            PumpWhile(() => _inFlight > 0);
            if (_progressShown)
            {
                _writer.WriteProgress(new ProgressRecord(ProgressId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

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

        /// <summary>Cancels the workers and gives them up to <paramref name="limit"/> to end.</summary>
        public void Stop(TimeSpan limit)
        {
            _cancel.Cancel();
            WaitForWorkers(limit);
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
            int? known = KnownTotal;
            string elapsed = _clock.Elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
            string done = (known is int total ? $"{_done + _failed} of {total} done" : $"{_done + _failed} done")
                + (_skipped > 0 ? $" ({_skipped} already saved)" : string.Empty);
            // While a retry waits, say so instead of claiming the request is being worked on.
            string? waiting = _inFlight > 0 && now < _retryUntil
                ? $"Waiting {Math.Ceiling((_retryUntil - now).TotalSeconds):0} s to retry ({_retryNote})"
                : null;
            // One request alone is named; once any is done (or skipped as already saved), the bar counts.
            string status = _submitted == 1 && _inFlight == 1 && known is null && _done + _failed == 0
                ? waiting ?? $"{_verb} {_lastLabel} ({(int)_clock.Elapsed.TotalSeconds} s)" + (_partialNote is null ? string.Empty : ": " + _partialNote)
                : $"{done}, {_inFlight} in flight, {_failed} failed, {elapsed} elapsed";
            // The status line names the request already; the operation line says which request a partial belongs to.
            string? partial = _partialNote is null ? null : _partialLabel + ": " + _partialNote;
            var record = new ProgressRecord(ProgressId, _activity, status) { CurrentOperation = _inFlight > 0 ? waiting ?? partial ?? $"{_verb} {_lastLabel}" : null };
            if (known is int all && all > 0) record.PercentComplete = Math.Min(100, (_done + _failed) * 100 / all);
            _writer.WriteProgress(record);
            _progressShown = true;
        }

        public void Dispose() => _cancel.Dispose();

        /// <summary>Queues the client's verbose, debug and retry notices for the pipeline thread.</summary>
        private sealed class QueueLog : IClientLog
        {
            private const int MaxNoteLength = 80;
            private readonly RequestPump _pump;

            public QueueLog(RequestPump pump) => _pump = pump;

            public void Verbose(string message) => _pump.Post(() => _pump._writer.WriteVerbose(message));

            public void Debug(string message) => _pump.Post(() => _pump._writer.WriteDebug(message));

            public void Retrying(RetryNotice notice)
            {
                var until = DateTime.UtcNow + notice.Delay;
                _pump.Post(() =>
                {
                    _pump._writer.WriteVerbose(Errors.ApiWords.RetryLine(notice));
                    if (until > _pump._retryUntil)
                    {
                        _pump._retryUntil = until;
                        string reason = Errors.ApiWords.Message(notice.Failure);
                        _pump._retryNote = reason.Length <= MaxNoteLength ? reason : reason.Substring(0, MaxNoteLength - 3) + "...";
                    }
                    _pump.UpdateProgress(force: true);
                });
            }
        }
    }
}
