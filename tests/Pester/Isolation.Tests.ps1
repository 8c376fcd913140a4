#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Issue #14: the module's RestSharp (112.1) and another RestSharp (108.0.3, from the NuGet registry) in one pwsh,
# in both orders; Remove-Module then Import-Module; two runspaces importing at once. Every scenario runs in a
# fresh pwsh process (this pwsh: the one build.ps1 Test runs in), because an assembly loaded once stays loaded.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $repoRoot = Get-ModelverseRepoRoot
    $manifest = Join-Path $repoRoot 'out/ModelverseImage/ModelverseImage.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) { throw "Build the module first: missing $manifest" }

    # RestSharp 108.0.3: restored from the NuGet registry by tests/Pester/RestSharp108Package.csproj.
    $packageProject = Join-Path $PSScriptRoot 'RestSharp108Package.csproj'
    $otherVersion = ([xml](Get-Content -Raw -LiteralPath $packageProject)).Project.PropertyGroup.OtherRestSharpVersion | Where-Object { $_ } | Select-Object -First 1
    $dotnet = Get-DotnetPathForTest
    $log = & $dotnet restore $packageProject --nologo --verbosity quiet 2>&1
    if ($LASTEXITCODE -ne 0) { throw "dotnet restore $packageProject failed: $($log -join [Environment]::NewLine)" }
    $packages = ((& $dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $otherRestSharp = Join-Path $packages "restsharp/$otherVersion/lib/net6.0/RestSharp.dll"
    if (-not (Test-Path -LiteralPath $otherRestSharp)) { throw "RestSharp $otherVersion is missing at $otherRestSharp after restoring $packageProject" }

    $standIn = Start-ModelverseStandIn -ApiKey ('sk-isolation-' + [guid]::NewGuid().ToString('N'))

    function Invoke-FreshPwsh {
        param([Parameter(Mandatory)] [string] $Script)

        $file = Join-Path ([IO.Path]::GetTempPath()) ("mv-isolation-" + [guid]::NewGuid().ToString('N') + '.ps1')
        $prelude = @'
param($Manifest, $OtherRestSharp, $BaseUri, $ApiKey)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function Get-RestSharpLoad {
    # Every RestSharp and engine in the process, with the load context it lives in.
    [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'RestSharp', 'ModelverseImage.Core' } | ForEach-Object {
        $context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_)
        [pscustomobject]@{ Name = $_.GetName().Name; Version = $_.GetName().Version.ToString(); Context = $context.GetType().FullName }
    }
}
function Get-ActiveImports {
    $loader = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ModelverseImage.Loader' }
    $loader.GetType('ModelverseImage.InternalHooks').GetProperty('ActiveImports', [Reflection.BindingFlags]'NonPublic, Static').GetValue($null)
}

'@
        Set-Content -LiteralPath $file -Value ($prelude + $Script) -Encoding utf8
        try {
            $output = Invoke-ChildPwsh -File $file -ArgumentList $manifest, $otherRestSharp, $standIn.BaseUri.AbsoluteUri, $standIn.ApiKey
            $text = ($output | ForEach-Object { "$_" }) -join [Environment]::NewLine
            if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit code $LASTEXITCODE):$([Environment]::NewLine)$text" }
            $json = @($output | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('{') }) | Select-Object -Last 1
            if (-not $json) { throw "The child pwsh wrote no result:$([Environment]::NewLine)$text" }
            $json | ConvertFrom-Json
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction Ignore
        }
    }
}

AfterAll {
    Stop-ModelverseStandIn $standIn
}

Describe 'Another RestSharp in the same pwsh (issue #14)' {
    It 'works when RestSharp 108.0.3 was loaded before the module, and the session keeps its 108' {
        $result = Invoke-FreshPwsh @'
Add-Type -Path $OtherRestSharp
Import-Module $Manifest
$image = New-MvImage -Prompt 'loaded after another RestSharp' -BaseUri $BaseUri -ApiKey $ApiKey
@{
    Format  = $image.Format
    Bytes   = $image.Bytes.Length
    Visible = [RestSharp.RestClient].Assembly.GetName().Version.ToString()
    Loaded  = @(Get-RestSharpLoad)
} | ConvertTo-Json -Compress -Depth 4
'@

        $result.Format | Should -Be 'png'
        $result.Bytes | Should -BeGreaterThan 0
        $result.Visible | Should -Be "$otherVersion.0"
        $restSharps = @($result.Loaded | Where-Object Name -EQ 'RestSharp')
        $restSharps | Should -HaveCount 2
        ($restSharps | Where-Object Version -EQ '108.0.3.0').Context | Should -Be 'System.Runtime.Loader.DefaultAssemblyLoadContext'
        ($restSharps | Where-Object Version -EQ '112.1.0.0').Context | Should -Be 'ModelverseImage.DependencyLoadContext'
        ($result.Loaded | Where-Object Name -EQ 'ModelverseImage.Core').Context | Should -Be 'ModelverseImage.DependencyLoadContext'
    }

    It 'lets a script load its own RestSharp 108.0.3 after the module and get 108, and the module still works' {
        $result = Invoke-FreshPwsh @'
Import-Module $Manifest
$first = New-MvImage -Prompt 'before another RestSharp' -BaseUri $BaseUri -ApiKey $ApiKey
Add-Type -Path $OtherRestSharp
$client = [RestSharp.RestClient]::new('http://127.0.0.1:9/')
$second = New-MvImage -Prompt 'after another RestSharp' -BaseUri $BaseUri -ApiKey $ApiKey
@{
    First   = $first.Format
    Second  = $second.Format
    Visible = [RestSharp.RestClient].Assembly.GetName().Version.ToString()
    Client  = $client.GetType().Assembly.GetName().Version.ToString()
    Loaded  = @(Get-RestSharpLoad)
} | ConvertTo-Json -Compress -Depth 4
'@

        $result.First | Should -Be 'png'
        $result.Second | Should -Be 'png'
        $result.Visible | Should -Be "$otherVersion.0"
        $result.Client | Should -Be "$otherVersion.0"
        @($result.Loaded | Where-Object Name -EQ 'RestSharp') | Should -HaveCount 2
    }

    It 'does not put RestSharp or the engine into the default load context, and leaves framework assemblies to PowerShell' {
        $result = Invoke-FreshPwsh @'
Import-Module $Manifest
$null = New-MvImage -Prompt 'where things load' -BaseUri $BaseUri -ApiKey $ApiKey
$json = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'System.Text.Json' }
@{
    Loaded        = @(Get-RestSharpLoad)
    JsonCount     = @($json).Count
    JsonContext   = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(@($json)[0]).GetType().FullName
    JsonFromUs    = @($json)[0].Location.StartsWith((Split-Path -Parent $Manifest))
} | ConvertTo-Json -Compress -Depth 4
'@

        @($result.Loaded) | Should -HaveCount 2
        @($result.Loaded).Name | Sort-Object | Should -Be @('ModelverseImage.Core', 'RestSharp')
        $result.Loaded | ForEach-Object { $_.Context | Should -Be 'ModelverseImage.DependencyLoadContext' }
        $result.JsonCount | Should -Be 1
        $result.JsonContext | Should -Be 'System.Runtime.Loader.DefaultAssemblyLoadContext'
        $result.JsonFromUs | Should -BeFalse -Because "PowerShell's in-box System.Text.Json serves the engine, not the copy shipped for 5.1"
    }
}

Describe 'What Import-Module loads' {
    It 'loads no engine and no RestSharp until the first request' {
        $result = Invoke-FreshPwsh @'
Import-Module $Manifest
$atImport = @(Get-RestSharpLoad)
$null = New-MvImage -Prompt 'first request' -BaseUri $BaseUri -ApiKey $ApiKey
@{ AtImport = $atImport; AfterRequest = @(Get-RestSharpLoad) } | ConvertTo-Json -Compress -Depth 4
'@

        @($result.AtImport) | Should -HaveCount 0 -Because 'the engine (and RestSharp with it) loads on first use, which keeps Import-Module fast'
        @($result.AfterRequest).Name | Sort-Object | Should -Be @('ModelverseImage.Core', 'RestSharp')
    }
}

Describe 'Importing again and importing at once' {
    It 'works after Remove-Module then Import-Module, and Remove-Module releases the handler' {
        $result = Invoke-FreshPwsh @'
Import-Module $Manifest
$first = New-MvImage -Prompt 'first import' -BaseUri $BaseUri -ApiKey $ApiKey
$whileImported = Get-ActiveImports
Remove-Module ModelverseImage
$afterRemove = Get-ActiveImports
$left = @(Get-Module ModelverseImage*).Count
Import-Module $Manifest
$second = New-MvImage -Prompt 'second import' -BaseUri $BaseUri -ApiKey $ApiKey
@{
    First         = $first.Format
    Second        = $second.Format
    WhileImported = $whileImported
    AfterRemove   = $afterRemove
    ModulesLeft   = $left
    AfterReimport = Get-ActiveImports
    Commands      = @((Get-Module ModelverseImage).ExportedCmdlets.Keys | Sort-Object)
    Loaded        = @(Get-RestSharpLoad)
} | ConvertTo-Json -Compress -Depth 4
'@

        $result.First | Should -Be 'png'
        $result.Second | Should -Be 'png'
        $result.WhileImported | Should -Be 1
        $result.AfterRemove | Should -Be 0
        $result.ModulesLeft | Should -Be 0
        $result.AfterReimport | Should -Be 1
        $result.Commands | Should -Be @('Edit-MvImage', 'Import-MvImage', 'New-MvImage', 'New-MvImageMask', 'Save-MvImage', 'Test-MvImageSize')
        @($result.Loaded) | Should -HaveCount 2 -Because 'the engine and RestSharp are loaded once, into one private context'
    }

    It 'works when two runspaces import it at once' {
        $result = Invoke-FreshPwsh @'
$formats = 1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
    Import-Module $using:Manifest
    (New-MvImage -Prompt "runspace $_" -BaseUri $using:BaseUri -ApiKey $using:ApiKey).Format
}
@{
    Formats = @($formats)
    Loaded  = @(Get-RestSharpLoad)
} | ConvertTo-Json -Compress -Depth 4
'@

        $result.Formats | Should -Be @('png', 'png')
        @($result.Loaded | Where-Object Name -EQ 'RestSharp') | Should -HaveCount 1
        @($result.Loaded | Where-Object Name -EQ 'ModelverseImage.Core') | Should -HaveCount 1
    }
}
