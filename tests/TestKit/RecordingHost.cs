using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace ModelverseImage.TestKit;

/// <summary>
/// A PowerShell host that keeps what is written to it, for a <see cref="PsSession"/> whose tests read host-only text
/// ("What if:" lines from ShouldProcess, which a runspace without a host drops and no stream carries). It answers
/// no prompt: a script that asks for input fails, as in pwsh -NonInteractive.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUserInterface _ui = new();

    public override string Name => "ModelverseImage.TestKit.RecordingHost";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.GetCultureInfo("en-US");
    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");

    /// <summary>Everything written to the host so far.</summary>
    public string Text => _ui.Text(0);

    /// <summary>How much has been written so far: pass it to <see cref="TextSince"/>.</summary>
    public int Mark => _ui.Length;

    /// <summary>What was written after <paramref name="mark"/>.</summary>
    public string TextSince(int mark) => _ui.Text(mark);

    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();

        public int Length
        {
            get { lock (_text) return _text.Length; }
        }

        public string Text(int from)
        {
            lock (_text) return _text.ToString(from, _text.Length - from);
        }

        private void Add(string? value)
        {
            lock (_text) _text.Append(value);
        }

        // No RawUI: PowerShell then formats at its default width, as it does in a runspace without a host.
        public override PSHostRawUserInterface RawUI => null!;

        public override void Write(string value) => Add(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Add(value);
        public override void WriteLine(string value) => Add(value + "\n");
        public override void WriteErrorLine(string value) => Add(value + "\n");
        public override void WriteDebugLine(string message) => Add("DEBUG: " + message + "\n");
        public override void WriteVerboseLine(string message) => Add("VERBOSE: " + message + "\n");
        public override void WriteWarningLine(string message) => Add("WARNING: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override string ReadLine() => throw NoInput();
        public override SecureString ReadLineAsSecureString() => throw NoInput();
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw NoInput();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NoInput();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NoInput();
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => throw NoInput();

        private static PSInvalidOperationException NoInput() => new("The test host reads no input (as pwsh -NonInteractive).");
    }
}
