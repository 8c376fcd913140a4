using System.Management.Automation;

namespace ModelverseImage.Commands
{
    /// <summary>What the request pump writes, on the pipeline thread: progress, and verbose and debug lines.</summary>
    internal interface IPipelineWriter
    {
        void WriteProgress(ProgressRecord record);
        void WriteVerbose(string message);
        void WriteDebug(string message);
    }
}
