using System.Management.Automation;
using ModelverseImage.Parameters;
using ModelverseImage.Sizes;

namespace ModelverseImage.Commands
{
    /// <summary>Tests sizes against the gpt-image-2 size rules, without calling the API.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "MvImageSize", DefaultParameterSetName = SizeSet)]
    [OutputType(typeof(bool))]
    [OutputType(typeof(SizeCheck))]
    public sealed class TestMvImageSizeCommand : PSCmdlet
    {
        private const string SizeSet = "Size";
        private const string DimensionsSet = "Dimensions";

        #region Parameters

        /// <summary>The size to test; required (as Test-Path's -Path is), so that no size at all is an error, not False. $null and '' are False.</summary>
        [Parameter(ParameterSetName = SizeSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        [TextInput]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string? Size { get; set; }

        [Parameter(ParameterSetName = DimensionsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public int Width { get; set; }

        [Parameter(ParameterSetName = DimensionsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public int Height { get; set; }

        [Parameter]
        public SwitchParameter Detailed { get; set; }

        #endregion

        #region Overrides

        protected override void ProcessRecord()
        {
            SizeCheck check = ParameterSetName == DimensionsSet
                ? ImageSizeRules.Check(Width, Height)
                : ImageSizeRules.Check(Size);
            WriteObject(Detailed.IsPresent ? Errors.Words.Worded(check) : (object)check.IsValid);
        }

        #endregion
    }
}
