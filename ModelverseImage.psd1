@{
    # The one place the module version is kept; Directory.Build.props reads it for the assembly version.
    ModuleVersion          = '0.1.0'
    RootModule             = 'ModelverseImage.Cmdlets.dll'
    # The types scripts name (ApiException, FailureKind, TokenUsage...), loaded into the default context first.
    RequiredAssemblies     = @('ModelverseImage.Contracts.dll')
    # Imported before the root module: sets up the loading of dependencies/ (README "Supported versions and dependencies").
    NestedModules          = @('ModelverseImage.Loader.dll')
    GUID                   = 'a71bae36-12b3-465b-9f2a-b2c61eeef34b'
    Author                 = 'ModelverseImage contributors'
    CompanyName            = 'ModelverseImage'
    Copyright              = '(c) ModelverseImage contributors. MIT License.'
    Description            = 'Generate and edit images with gpt-image-2 through the Modelverse (OpenAI-compatible) images API: streaming decode, bounded concurrency, retries, safe atomic saving.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('ModelverseImage.Format.ps1xml')
    TypesToProcess         = @('ModelverseImage.Types.ps1xml')
    CmdletsToExport        = @('New-MvImage', 'Edit-MvImage', 'Save-MvImage', 'Test-MvImageSize', 'Import-MvImage', 'New-MvImageMask')
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('gpt-image-2', 'Modelverse', 'OpenAI', 'image', 'ImageGeneration', 'AI', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            # No ProjectUri or LicenseUri: the module has no public home yet (the README says where it lives), and the
            # MIT licence ships as LICENSE in the module folder.
            ReleaseNotes = 'First release: New-MvImage, Edit-MvImage, Save-MvImage, Test-MvImageSize, Import-MvImage and New-MvImageMask for gpt-image-2 on Modelverse; -Resume reruns and parallel runs that never pay twice (the folder ledger, claims, -Shard).'
        }
    }
}
