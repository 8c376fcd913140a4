using System.Management.Automation;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Verbose lines that never turn into questions. With -Debug and no -Verbose, PowerShell gives a compiled
    /// cmdlet a verbose preference of Inquire, so every WriteVerbose asks "Continue with this operation?" and
    /// fails where no one can answer (runbooks, -NonInteractive); Invoke-WebRequest -Debug does the same. In that
    /// case the line goes to the debug stream, which -Debug shows without asking on PowerShell 7.
    /// </summary>
    internal static class CmdletTrace
    {
        public static void Verbose(PSCmdlet cmdlet, string message)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.TryGetValue("Debug", out var debug) && LanguagePrimitives.IsTrue(debug) && !bound.ContainsKey("Verbose"))
                cmdlet.WriteDebug(message);
            else
                cmdlet.WriteVerbose(message);
        }

        /// <summary>The cmdlet as the request pump's writer (verbose lines as above).</summary>
        public static IPipelineWriter Writer(PSCmdlet cmdlet) => new CmdletWriter(cmdlet);

        private sealed class CmdletWriter : IPipelineWriter
        {
            private readonly PSCmdlet _cmdlet;

            public CmdletWriter(PSCmdlet cmdlet) => _cmdlet = cmdlet;

            public void WriteProgress(ProgressRecord record) => _cmdlet.WriteProgress(record);
            public void WriteVerbose(string message) => Verbose(_cmdlet, message);
            public void WriteDebug(string message) => _cmdlet.WriteDebug(message);
        }
    }
}
