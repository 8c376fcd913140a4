using System.Management.Automation;
using ModelverseImage.Api;
using ModelverseImage.Output;
using ModelverseImage.Parameters;

namespace ModelverseImage.Commands
{
    /// <summary>Generates images from prompts with gpt-image-2 (POST /images/generations).</summary>
    [Cmdlet(VerbsCommon.New, "MvImage", SupportsShouldProcess = true)]
    [OutputType(typeof(MvImage))]
    public sealed class NewMvImageCommand : MvImageRequestCommand
    {
        #region Parameters

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TextInput(FileMessage = Errors.Words.FileHasNoPrompt)]
        [ValidatePrompt]
        public string Prompt { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("n")]
        [EmptyAsDefault(1)]
        [ValidateRange(ApiRules.MinCount, ApiRules.MaxCount)]
        public int Count { get; set; } = 1;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsDefault(Sizes.ImageSizeRules.Auto)]
        [ValidateImageSize]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string Size { get; set; } = Sizes.ImageSizeRules.Auto;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsDefault(null)]
        [ValidateQuality]
        [ArgumentCompleter(typeof(QualityCompleter))]
        public string? Quality { get; set; }

        [Parameter]
        [ValidateSet(ApiRules.ModerationLow, ApiRules.ModerationAuto, IgnoreCase = true)]
        public string? Moderation { get; set; }

        /// <summary>An end-user id passed to the API for abuse monitoring.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? User { get; set; }

        #endregion

        #region Overrides

        private protected override string ProgressVerb => "Generating";

        protected override void ProcessRecord()
        {
            Submit(BuildRequest(), Label(Prompt), Prompt);
        }

        #endregion

        #region Private

        private ImageRequest BuildRequest()
        {
            var request = new ImageRequest(Prompt, Model);
            AddCommonFields(request, Count, Size, Quality);
            if (Moderation != null) request.Send(ApiRules.ModerationField, Moderation.ToLowerInvariant());
            if (User != null) request.Send(ApiRules.UserField, User);
            AddAdditionalFields(request);
            return request;
        }

        private static string Label(string prompt) => "'" + (prompt.Length <= 40 ? prompt : prompt.Substring(0, 37) + "...") + "'";

        #endregion
    }
}
