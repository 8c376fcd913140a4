using System;
using System.IO;
using System.Management.Automation;

namespace ModelverseImage.Errors
{
    /// <summary>
    /// Every ErrorId the module writes, with its category, message and recommended action: the one place they
    /// are kept. README.md ("Troubleshooting") and about_ModelverseImage list the same ids, and a test holds the
    /// three together. Messages are composite formats whose arguments are facts (paths, sizes, kinds: an enum fact is
    /// worded by <see cref="Words.Of"/>); the comment above each says what they are. A variant words another case of
    /// an entry, under the same id. The API's failures are worded from their facts by <see cref="ApiWords"/>.
    /// </summary>
    internal static partial class ErrorCatalog
    {
        // ---- Settings: the address and the key ------------------------------------------------------------

        public static readonly ErrorEntry MissingApiKey = new ErrorEntry("MissingApiKey", ErrorCategory.AuthenticationError,
            "No API key. Set it for this session with $env:MODELVERSE_API_KEY = '<your key>', or pass -ApiKey (a SecureString or a string); in Azure Automation read it from an encrypted variable with Get-AutomationVariable.",
            "Set $env:MODELVERSE_API_KEY or pass -ApiKey.", text => new InvalidOperationException(text));

        /// <summary>A line break or another control character in the key (it is never quoted).</summary>
        public static readonly ErrorEntry InvalidApiKey = new ErrorEntry("InvalidApiKey", ErrorCategory.InvalidArgument,
            "The API key contains a line break or another control character (read from a file with more than one line?). Pass the key alone.",
            "Pass the key alone, as plain ASCII: copy it again from its source.");

        /// <summary>A character outside printable ASCII in the key.</summary>
        public static readonly ErrorEntry InvalidApiKeyNotAscii = InvalidApiKey.Variant(
            "The API key contains a character that is not plain ASCII (a typographic quote, dash or space pasted from a document?). Keys are plain ASCII: copy the key again from its source.");

        /// <summary>{0}: the address given (redacted); {1}: the default address.</summary>
        public static readonly ErrorEntry InvalidBaseUri = new ErrorEntry("InvalidBaseUri", ErrorCategory.InvalidArgument,
            "The base URI '{0}' is not an absolute http:// or https:// address, such as {1}.",
            "Give an absolute https:// address such as https://api.modelverse.cn/v1 in -BaseUri or $env:MODELVERSE_BASE_URL.");

        /// <summary>{0}: the variable's name; {1}: its text (anything like credentials masked).</summary>
        public static readonly ErrorEntry InvalidBaseUriVariable = InvalidBaseUri.Variant("$env:{0} is '{1}', which is not an absolute http(s) address.");

        /// <summary>{0}: the address given (redacted). Plain http to a host that is not this machine.</summary>
        public static readonly ErrorEntry UnencryptedBaseUri = InvalidBaseUri.Variant(
            "The base URI '{0}' is plain http to a host that is not this machine: the API key would travel unencrypted. Use https, or pass -AllowUnencryptedAuthentication if you really mean it.",
            "Use https, or pass -AllowUnencryptedAuthentication if you really mean it.");

        // ---- The API's answers ({0}: the failure, worded by ApiWords from its facts) -------------------------

        public static readonly ErrorEntry AuthenticationFailed = Api("AuthenticationFailed", ErrorCategory.AuthenticationError,
            "Check the key in $env:MODELVERSE_API_KEY or -ApiKey.");

        public static readonly ErrorEntry PermissionDenied = Api("PermissionDenied", ErrorCategory.PermissionDenied,
            "The key is not allowed to use this model or endpoint; check your Modelverse account.");

        public static readonly ErrorEntry NotFound = Api("NotFound", ErrorCategory.ObjectNotFound,
            "Check -BaseUri (it should end in /v1) and -Model.");

        public static readonly ErrorEntry RateLimited = Api("RateLimited", ErrorCategory.LimitsExceeded,
            "The API asked to slow down and the retries ran out: lower -ThrottleLimit or raise -MaximumRetryCount.");

        public static readonly ErrorEntry QuotaExceeded = Api("QuotaExceeded", ErrorCategory.QuotaExceeded,
            "The account's quota is used up; retrying will not help until it is topped up.");

        public static readonly ErrorEntry ServerError = Api("ServerError", ErrorCategory.ConnectionError,
            "The API failed on its side; try again later or raise -MaximumRetryCount.");

        public static readonly ErrorEntry ConnectionFailed = Api("ConnectionFailed", ErrorCategory.ConnectionError,
            "Check the network and -BaseUri; try again or raise -MaximumRetryCount.");

        /// <summary>ConnectionError; OperationTimeout when the answer was lost to -TimeoutSec.</summary>
        public static readonly ErrorEntry AnswerLost = new ErrorEntry("AnswerLost", ErrorCategory.ConnectionError, "{0}",
            "Check your usage (with the request id, when the message gives one) before running it again; raise -TimeoutSec for slow images, or pass -RetryBilledFailure to resend such requests.",
            timedOutCategory: ErrorCategory.OperationTimeout);

        public static readonly ErrorEntry Timeout = Api("Timeout", ErrorCategory.OperationTimeout,
            "Large, high-quality images can take minutes: raise -TimeoutSec.");

        public static readonly ErrorEntry InvalidResponse = Api("InvalidResponse", ErrorCategory.InvalidResult,
            "The answer could not be read; check that -BaseUri points at an OpenAI-compatible images API.");

        public static readonly ErrorEntry ContentPolicyViolation = Api("ContentPolicyViolation", ErrorCategory.InvalidArgument,
            "Rephrase the prompt or use other images.");

        public static readonly ErrorEntry UnexpectedFailure = Api("UnexpectedFailure", ErrorCategory.NotSpecified,
            "Run again with -Verbose -Debug; if it persists, report it with the message above.");

        public static readonly ErrorEntry InvalidRequest = Api("InvalidRequest", ErrorCategory.InvalidArgument,
            "Check the parameters against Get-Help and Test-MvImageSize.");

        /// <summary>A redirect (refused as InvalidRequest): what mends it is the address.</summary>
        public static readonly ErrorEntry InvalidRequestRedirect = InvalidRequest.Variant("{0}",
            "Set -BaseUri to the address the redirect names: the key is never sent on to another address.");

        // ---- Parameters refused before anything is sent ---------------------------------------------------

        public static readonly ErrorEntry TransparentJpeg = new ErrorEntry("TransparentJpeg", ErrorCategory.InvalidArgument,
            "A transparent background needs -OutputFormat png or webp; jpeg has no transparency.",
            "Use -OutputFormat png or webp with -Background transparent.");

        /// <summary>{0}: a field the cmdlet's own parameters set.</summary>
        public static readonly ErrorEntry InvalidAdditionalParameter = new ErrorEntry("InvalidAdditionalParameter", ErrorCategory.InvalidArgument,
            "-AdditionalParameter cannot set '{0}': the cmdlet's own parameters (-Prompt, -Model, the input images, -Mask) set it.",
            "Set prompt, model, images and mask with the cmdlet's own parameters, streaming with -PartialImages; give other fields as text, numbers, booleans, arrays or hashtables.");

        /// <summary>{0}: a streaming field (stream, partial_images).</summary>
        public static readonly ErrorEntry AdditionalStreamingField = InvalidAdditionalParameter.Variant(
            "-AdditionalParameter cannot set '{0}': use -PartialImages, which sends stream and partial_images and reads the streamed answer.");

        /// <summary>{0}: the field; {1}: where in its value; {2}: the value (NaN, Infinity).</summary>
        public static readonly ErrorEntry AdditionalNotFinite = InvalidAdditionalParameter.Variant(
            "-AdditionalParameter '{0}': {1} is {2}, which JSON cannot carry; give a finite number.");

        /// <summary>{0}: the field; {1}: where in its value; {2}: the deepest nesting allowed.</summary>
        public static readonly ErrorEntry AdditionalTooDeep = InvalidAdditionalParameter.Variant(
            "-AdditionalParameter '{0}' nests deeper than {2} levels (at {1}); flatten it.");

        /// <summary>{0}: the field; {1}: where in its value.</summary>
        public static readonly ErrorEntry AdditionalContainsItself = InvalidAdditionalParameter.Variant(
            "-AdditionalParameter '{0}' contains itself (at {1}); give a value without loops.");

        /// <summary>{0}: the field; {1}: where in its value; {2}: the value's type.</summary>
        public static readonly ErrorEntry AdditionalNotJson = InvalidAdditionalParameter.Variant(
            "-AdditionalParameter '{0}': {1} is a {2}, which cannot be sent as JSON; give text, numbers, booleans, arrays, hashtables or objects from ConvertFrom-Json.");

        /// <summary>{0}: the model.</summary>
        public static readonly ErrorEntry InputFidelityNotSupported = new ErrorEntry("InputFidelityNotSupported", ErrorCategory.InvalidArgument,
            "-InputFidelity (the input_fidelity field) is not accepted by {0} (the API refuses it with invalid_input_fidelity_model); leave it out, or use -Model gpt-image-1.5 or gpt-image-1.",
            "Leave -InputFidelity out, or use -Model gpt-image-1.5 or gpt-image-1.");

        /// <summary>{0}: the prompt given (the path of an existing file).</summary>
        public static readonly ErrorEntry PromptFirst = new ErrorEntry("PromptFirst", ErrorCategory.InvalidArgument,
            "The prompt '{0}' is the path of an existing file, so nothing was sent. The prompt comes first, then the images: Edit-MvImage 'add a hat' '{0}'. To send such text as the prompt, add a word to it (for example 'an image like {0}').",
            "Put the prompt first: Edit-MvImage 'add a hat' ./cat.png.");

        /// <summary>{0}: the model given.</summary>
        public static readonly ErrorEntry InvalidModel = new ErrorEntry("InvalidModel", ErrorCategory.InvalidArgument,
            "-Model '{0}' is blank or has spaces or other blank characters around it; the API would not know it.",
            "Give the model's name alone, such as -Model gpt-image-2.");

        // ---- Input images ---------------------------------------------------------------------------------

        /// <summary>{0}: the image's prompt; {1}: format; {2}: width; {3}: height.</summary>
        public static readonly ErrorEntry NoImageBytes = new ErrorEntry("NoImageBytes", ErrorCategory.InvalidData,
            "This MvImage ('{0}', {1} {2}x{3}) was serialized and read back (Import-Clixml, a job's or a runbook's output, remoting), which keeps its description but not its image bytes. Save images with Save-MvImage where they are made, and pass on the files.",
            "Save images with Save-MvImage where they are made, and pass on the files.");

        /// <summary>{0}: the path.</summary>
        public static readonly ErrorEntry FileNotFound = new ErrorEntry("FileNotFound", ErrorCategory.ObjectNotFound,
            "'{0}' does not exist.", "Check the path; wildcards work only with -Path, use -LiteralPath for names with [ or ].",
            text => new FileNotFoundException(text));

        /// <summary>{0}: the path; {1}: the provider it belongs to.</summary>
        public static readonly ErrorEntry NotAFileSystemPath = new ErrorEntry("NotAFileSystemPath", ErrorCategory.InvalidArgument,
            "'{0}' is not a file system path (it belongs to the {1} provider).", "Give a file system path, such as ./photos/cat.png.");

        /// <summary>{0}: the system's words (PowerShell's or .NET's) for what is wrong with the path.</summary>
        public static readonly ErrorEntry InvalidPath = new ErrorEntry("InvalidPath", ErrorCategory.InvalidArgument,
            "{0}", "Give a file system path, such as ./renders/cat.png.");

        /// <summary>{0}: the system's words. A folder to save into that cannot be used.</summary>
        public static readonly ErrorEntry InvalidFolderPath = InvalidPath.Variant("{0}", "Give a file system folder, such as ./renders.");

        /// <summary>{0}: the path, which ends in a folder separator (Save-MvImage -Path ./out/).</summary>
        public static readonly ErrorEntry PathNamesAFolder = InvalidPath.Variant("'{0}' names a folder, not a file.");

        /// <summary>{0}: the path; {1}: the system's words.</summary>
        public static readonly ErrorEntry FileNotReadable = new ErrorEntry("FileNotReadable", ErrorCategory.ReadError,
            "Cannot read '{0}': {1}", "Check that you may read the file and that no other program holds it open for writing.");

        /// <summary>{0}: the path.</summary>
        public static readonly ErrorEntry UnsupportedImageType = new ErrorEntry("UnsupportedImageType", ErrorCategory.InvalidData,
            "'{0}' is not a PNG, JPEG or WebP image (judged by its content, not its name).", "Convert the image to PNG, JPEG or WebP first.");

        /// <summary>{0}: the path; {1}: the format its first bytes announce.</summary>
        public static readonly ErrorEntry InvalidImageData = new ErrorEntry("InvalidImageData", ErrorCategory.InvalidData,
            "'{0}' begins as a {1} image, but its size cannot be read: the file is cut short or damaged.",
            "The file is cut short or damaged: save or export it again.");

        /// <summary>An MvImage piped in whose bytes are not an image.</summary>
        public static readonly ErrorEntry InvalidImageObject = InvalidImageData.Variant("The input object's bytes are not a PNG, JPEG or WebP image.");

        /// <summary>{0}: the path; {1}: its size in MB; {2}: the API's limit.</summary>
        public static readonly ErrorEntry ImageTooLarge = new ErrorEntry("ImageTooLarge", ErrorCategory.LimitsExceeded,
            "'{0}' is {1:0.#} MB; the API accepts images under {2}.", "Shrink or recompress the image.");

        /// <summary>Import-MvImage: {0}: the path; {1}: its size in MB; {2}: the largest file read back, in MiB.</summary>
        public static readonly ErrorEntry ImageFileTooLarge = ImageTooLarge.Variant("'{0}' is {1:0.#} MB; no image the module saves is larger than {2} MiB, so it is not read.",
            "Name an image file that Save-MvImage wrote, or another PNG, JPEG or WebP image under that size.");

        /// <summary>{0}: the mask's path.</summary>
        public static readonly ErrorEntry InvalidMask = new ErrorEntry("InvalidMask", ErrorCategory.InvalidArgument,
            "The mask '{0}' must be a PNG with an alpha channel: its fully transparent pixels mark the area to edit.",
            "Save the mask as a 32-bit PNG (RGBA) whose fully transparent pixels mark the area to edit.");

        /// <summary>{0}, {1}: the mask's width and height; {2}, {3}: the image's.</summary>
        public static readonly ErrorEntry MaskSizeMismatch = new ErrorEntry("MaskSizeMismatch", ErrorCategory.InvalidArgument,
            "The mask is {0}x{1} but the image is {2}x{3}; they must be the same size.",
            "Resize the mask, or edit images of one size at a time with one mask.");

        /// <summary>{0}: the path Save-MvImage -Path names; {1}: what it is (a folder, a named pipe, a device, a socket).</summary>
        public static readonly ErrorEntry NotAFile = new ErrorEntry("NotAFile", ErrorCategory.InvalidArgument,
            "'{0}' is {1}, not a regular file: -Path names the file to write, and only a regular file is replaced, even with -Force. To save into a folder, use -Directory.",
            "Name a file: to save into a folder, use -Directory.");

        /// <summary>{0}: an input's path; {1}: what it is (a folder, a named pipe, a device, a socket). It is never opened.</summary>
        public static readonly ErrorEntry NotAnInputFile = NotAFile.Variant("'{0}' is {1}, not an image file: it is not read.",
            "Name a regular PNG, JPEG or WebP file: a folder, named pipe, device or socket is never read.");

        /// <summary>{0}: the path.</summary>
        public static readonly ErrorEntry NotAFolder = new ErrorEntry("NotAFolder", ErrorCategory.InvalidArgument,
            "'{0}' is a file; -Directory names the folder to save into. To write that file, use -Path (with -Force to replace it).",
            "Name a folder with -Directory, or write the file with -Path.");

        // ---- Saving ----------------------------------------------------------------------------------------

        /// <summary>Added to every Save-MvImage error about an image: the image is not lost.</summary>
        public const string ImageKeptNote = "The image is kept in this error record (its TargetObject): $err.TargetObject | Save-MvImage -Directory <folder> saves it.";

        /// <summary>{0}: the folder given.</summary>
        public static readonly ErrorEntry DirectoryLooksLikeFile = new ErrorEntry("DirectoryLooksLikeFile", ErrorCategory.InvalidArgument,
            "-Directory '{0}' ends in an image extension and nothing of that name exists; -Directory, which a path given first binds to, names the folder to save into. Nothing was sent. To write that file, use -Path '{0}'.",
            "To write one file, use -Path instead of -Directory. To save into a folder of that name, create it first (New-Item -ItemType Directory).");

        public static readonly ErrorEntry PathUsedTwice = new ErrorEntry("PathUsedTwice", ErrorCategory.InvalidOperation,
            "-Path names one file, but more than one image arrived; use -Directory to save several.",
            "Use -Directory to save several images.", text => new InvalidOperationException(text));

        /// <summary>{0}: the target.</summary>
        public static readonly ErrorEntry FileExists = new ErrorEntry("FileExists", ErrorCategory.ResourceExists,
            "The file '{0}' already exists. Use -Force to overwrite it.",
            "Save with -Directory, which picks a free name, or pass -Force to replace the file.");

        /// <summary>{0}: the target.</summary>
        public static readonly ErrorEntry TargetIsLink = new ErrorEntry("TargetIsLink", ErrorCategory.InvalidOperation,
            "'{0}' is a symbolic link; it is not replaced, even with -Force (that would put a file where the link is). Save to the file it points to instead.",
            "Save to the file the link points to, or under another name.");

        /// <summary>{0}: the folder of the file to write.</summary>
        public static readonly ErrorEntry DirectoryNotFound = new ErrorEntry("DirectoryNotFound", ErrorCategory.ObjectNotFound,
            "The folder '{0}' does not exist.", "Create the folder first, or save with -Directory, which creates it.");

        /// <summary>{0}: the folder to create.</summary>
        public static readonly ErrorEntry FolderAboveMissing = DirectoryNotFound.Variant("Cannot create the folder '{0}': a folder above it does not exist.",
            "Check the path: a folder above it is missing or cannot be reached.");

        /// <summary>{0}: the target.</summary>
        public static readonly ErrorEntry AccessDenied = new ErrorEntry("AccessDenied", ErrorCategory.PermissionDenied,
            "Cannot write '{0}': access is denied, or the disk is read-only.", "Check the permissions of the folder, or save to another one.");

        /// <summary>{0}: the target.</summary>
        public static readonly ErrorEntry DiskFull = new ErrorEntry("DiskFull", ErrorCategory.WriteError,
            "Cannot write '{0}': the disk is full.", "Free some space, or save to another disk.");

        /// <summary>{0}: the target; {1}: the system's words.</summary>
        public static readonly ErrorEntry SaveFailed = new ErrorEntry("SaveFailed", ErrorCategory.WriteError,
            "Cannot write '{0}': {1}", "Try again, or save to another folder.");

        // ---- Reruns (-Resume) ------------------------------------------------------------------------------

        /// <summary>{0}: the folder given; {1}: the system's words for what is wrong with it.</summary>
        public static readonly ErrorEntry InvalidResumeFolder = new ErrorEntry("InvalidResumeFolder", ErrorCategory.InvalidArgument,
            "-Resume '{0}': {1}; -Resume names the folder Save-MvImage -Directory saves into.",
            "Give the file system folder that Save-MvImage -Directory saves into, such as ./renders.");

        /// <summary>{0}: the folder given; {1}: the provider it belongs to.</summary>
        public static readonly ErrorEntry ResumeNotAFileSystemPath = InvalidResumeFolder.Variant(
            "-Resume '{0}': it is not a file system path (it belongs to the {1} provider); -Resume names the folder Save-MvImage -Directory saves into.");

        /// <summary>{0}: the path, which is a file.</summary>
        public static readonly ErrorEntry ResumeIsAFile = InvalidResumeFolder.Variant(
            "-Resume '{0}': it is a file; -Resume names the folder Save-MvImage -Directory saves into.");

        /// <summary>{0}: the folder; {1}: the system's words.</summary>
        public static readonly ErrorEntry ResumeFolderNotReadable = new ErrorEntry("ResumeFolderNotReadable", ErrorCategory.ReadError,
            "Cannot read the -Resume folder '{0}': {1}",
            "Check the path and your permissions; -Resume names the folder Save-MvImage -Directory saves into.");

        /// <summary>{0}: the folder; {1}: the system's words.</summary>
        public static readonly ErrorEntry ResumeFolderNotWritable = new ErrorEntry("ResumeFolderNotWritable", ErrorCategory.PermissionDenied,
            "The -Resume folder '{0}' cannot take files ({1}), so the images could not be saved there: nothing was sent.",
            "Make the folder writable (or the disk read-write, or free some room), or give -Resume and Save-MvImage -Directory a folder that is.");

        /// <summary>{0}: the -Resume folder; {1}: what is there (Words: a file, a symbolic link...); {2}: the claims folder's path.</summary>
        public static readonly ErrorEntry ClaimsFolderInTheWay = ResumeFolderNotWritable.Variant(
            "The -Resume folder '{0}' has {1} where its claims folder goes ('{2}'), so runs sharing the folder could not claim their requests: nothing was sent.",
            "Move or delete what is there (its path is in the message); the module makes that folder itself.");

        /// <summary>The record of a value of -AdditionalParameter that cannot be sent, worded by why.</summary>
        public static ErrorRecord Unsendable(object target, Parameters.AdditionalValue.UnsendableValueException ex) => (ex.Reason switch
        {
            Parameters.AdditionalValue.Unsendable.NotFinite => AdditionalNotFinite,
            Parameters.AdditionalValue.Unsendable.TooDeep => AdditionalTooDeep,
            Parameters.AdditionalValue.Unsendable.ContainsItself => AdditionalContainsItself,
            _ => AdditionalNotJson,
        }).Create(target, ex.Field, ex.Where, ex.Fact);

        private static ErrorEntry Api(string id, ErrorCategory category, string action) =>
            new ErrorEntry(id, category, "{0}", action);
    }
}
