# Shared set-up for the Pester suite, dot-sourced in each file's BeforeAll:
#   Import-ModelverseImageForTest       imports the built module from out/ModelverseImage.
#   Start-ModelverseStandIn              runs the local API stand-in (tests/FakeApi) on a free port.
#   Stop-ModelverseStandIn               stops it again (AfterAll).
#   Connect-/Disconnect-ModelverseStandIn  start one with a fresh key and point the cmdlets at it, and undo that.
#   Get-ModelverseStandInRequestNumber   how many image requests the stand-in has had (to prove nothing was sent).
#   New-TestPngBytes                     a small PNG from the shared test kit, with or without an alpha channel.
#   Get-TestSha256                       the SHA-256 of bytes or of a file, as upper-case hex.
#   Get-ModelverseRecordedRequest        the image requests a stand-in recorded (Json for generations, Fields for edits).
#   Get-ModelverseManifestPath           the built module's manifest (for Import-Module in jobs and runspaces).
#   Get-HostText                         what a script block wrote to the host (What if: lines), via a transcript.
#   Get-PngDimension                     width and height from a PNG file's IHDR chunk.
#   Get-FileSignature                    a file's first eight bytes as hex (compare with $pngSignature, set here).
#   Enter-TestFolder                     a fresh folder under $TestDrive, made the current location (Pop-Location after).
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath

# The eight bytes every PNG starts with, as [BitConverter]::ToString writes them.
$pngSignature = '89-50-4E-47-0D-0A-1A-0A'

function Get-ModelverseRepoRoot {
    # $PSScriptRoot inside a function is the folder of the file that defines it (tests/Pester), wherever it is called from.
    (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
}

function Import-ModelverseImageForTest {
    $manifest = Join-Path (Get-ModelverseRepoRoot) 'out/ModelverseImage/ModelverseImage.psd1'
    if (-not (Test-Path $manifest)) { throw "Build the module first: dotnet build (or ./build.ps1 Build). Missing $manifest" }
    Import-Module $manifest -Force -ErrorAction Stop
}

function Get-DotnetPathForTest {
    $dotnet = Get-Command dotnet -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $dotnet) { throw 'The .NET SDK (dotnet) is not on PATH: it is needed to build and run the API stand-in (tests/FakeApi).' }
    $dotnet.Source
}

function Get-ModelverseStandInAssembly {
    <#
    .SYNOPSIS
        The path of the built stand-in (tests/FakeApi, Release). Builds it first when it is missing or older
        than its sources, so a test run builds it at most once.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $project = Join-Path (Get-ModelverseRepoRoot) 'tests/FakeApi'
    $kitProject = Join-Path (Get-ModelverseRepoRoot) 'tests/TestKit'
    $binRelease = Join-Path $project 'bin/Release'
    $findBuilt = {
        Get-ChildItem -LiteralPath $binRelease -Filter 'ModelverseImage.FakeApi.dll' -File -Recurse -ErrorAction Ignore |
            Sort-Object LastWriteTimeUtc -Descending |
            Select-Object -First 1
    }

    $built = & $findBuilt
    # The stand-in's sources and the kit's (tests/TestKit, built with it).
    $newestSource = Get-ChildItem -LiteralPath $project, $kitProject -File -Recurse |
        Where-Object { $_.Extension -in '.cs', '.csproj' -and $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
        Sort-Object LastWriteTimeUtc -Descending |
        Select-Object -First 1

    if (-not $built -or ($newestSource -and $newestSource.LastWriteTimeUtc -gt $built.LastWriteTimeUtc)) {
        $dotnet = Get-DotnetPathForTest
        Write-Verbose "Building the API stand-in: dotnet build $project -c Release"
        $log = & $dotnet build $project -c Release --nologo 2>&1
        if ($LASTEXITCODE -ne 0) {
            throw "dotnet build $project -c Release failed (exit code $LASTEXITCODE):$([Environment]::NewLine)$($log -join [Environment]::NewLine)"
        }
        $built = & $findBuilt
        if (-not $built) { throw "dotnet build succeeded but ModelverseImage.FakeApi.dll is not under $binRelease." }
    }
    $built.FullName
}

function Get-FreeTcpPort {
    # Port 0 lets the system pick a free port; it is released at once for the stand-in to take.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    try {
        $listener.Start()
        ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
    }
    finally {
        $listener.Stop()
    }
}

function Wait-ModelverseStandIn {
    # True once GET <HealthUri> answers 200; false when the process ended or the time ran out first.
    param(
        [Parameter(Mandatory)] [System.Diagnostics.Process] $Process,
        [Parameter(Mandatory)] [string] $HealthUri,
        [Parameter(Mandatory)] [int] $TimeoutSec
    )

    $ProgressPreference = 'SilentlyContinue'
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($Process.HasExited) { return $false }
        try {
            $response = Invoke-WebRequest -Uri $HealthUri -Method Get -TimeoutSec 2 -NoProxy -ErrorAction Stop
            if ($response.StatusCode -eq 200) { return $true }
        }
        catch {
            # Not listening yet: try again shortly.
        }
        Start-Sleep -Milliseconds 200
    }
    return $false
}

function Stop-StandInProcess {
    param([System.Diagnostics.Process] $Process)

    if ($null -eq $Process) { return }
    try {
        if (-not $Process.HasExited) {
            $Process.Kill($true)
            $null = $Process.WaitForExit(10000)
        }
    }
    catch [System.InvalidOperationException] {
        # It ended on its own in the meantime.
    }
}

function Start-ModelverseStandIn {
    <#
    .SYNOPSIS
        Starts the local Modelverse API stand-in on 127.0.0.1 and a free port, and waits until it answers.
    .DESCRIPTION
        Runs `dotnet ModelverseImage.FakeApi.dll --port N [--api-key KEY] [--delay-ms N] [--fault-rate X] [--content-credentials]`
        (building tests/FakeApi once if needed) and returns an object with BaseUri (http://127.0.0.1:N/v1),
        Port, ApiKey and Process. Pass that object to Stop-ModelverseStandIn in AfterAll.
    .EXAMPLE
        $standIn = Start-ModelverseStandIn -ApiKey 'sk-test'
    #>
    [CmdletBinding()]
    param(
        # When given, /images/* requests without "Authorization: Bearer <ApiKey>" get 401.
        [string] $ApiKey,

        # How long each /images/* request is held before it is answered.
        [ValidateRange(0, 3600000)]
        [int] $DelayMs = 0,

        # 0..1: the chance that a request gets a random transient fault (500, 503, 429, connection reset).
        [ValidateRange(0.0, 1.0)]
        [double] $FaultRate = 0,

        # The stand-in echoes each request's key back (x-request-id, error params): for redaction tests.
        [switch] $EchoKey,

        # Faults for the first requests, in order (FaultKind names, e.g. 'StreamErrorEvent', 'ErrorIn200').
        [string[]] $Script,

        [ValidateRange(1, 600)]
        [int] $StartTimeoutSec = 60,

        # Every answered image carries content credentials (a C2PA caBX chunk, APP11 segment or C2PA chunk).
        [switch] $ContentCredentials
    )

    $dll = Get-ModelverseStandInAssembly
    $dotnet = Get-DotnetPathForTest
    $problem = $null

    # A port picked free can still be taken before the stand-in binds it: then try another one.
    for ($attempt = 1; $attempt -le 3; $attempt++) {
        $port = Get-FreeTcpPort
        $arguments = [System.Collections.Generic.List[string]]::new()
        $arguments.AddRange([string[]]@($dll, '--port', $port.ToString([cultureinfo]::InvariantCulture)))
        if ($ApiKey) { $arguments.AddRange([string[]]@('--api-key', $ApiKey)) }
        if ($DelayMs -gt 0) { $arguments.AddRange([string[]]@('--delay-ms', $DelayMs.ToString([cultureinfo]::InvariantCulture))) }
        if ($FaultRate -gt 0) { $arguments.AddRange([string[]]@('--fault-rate', $FaultRate.ToString('R', [cultureinfo]::InvariantCulture))) }
        if ($EchoKey) { $arguments.Add('--echo-key') }
        if ($Script) { $arguments.AddRange([string[]]@('--script', ($Script -join ','))) }
        if ($ContentCredentials) { $arguments.Add('--content-credentials') }

        $startInfo = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
        foreach ($argument in $arguments) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.UseShellExecute = $false
        $startInfo.CreateNoWindow = $true
        # It prints two lines only; kept off the test output.
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        $startInfo.WorkingDirectory = Split-Path -Parent $dll

        $process = [System.Diagnostics.Process]::Start($startInfo)
        $baseUri = "http://127.0.0.1:$port/v1"
        if (Wait-ModelverseStandIn -Process $process -HealthUri "$baseUri/health" -TimeoutSec $StartTimeoutSec) {
            return [pscustomobject]@{
                PSTypeName = 'ModelverseImage.Tests.StandIn'
                BaseUri    = [uri]$baseUri
                Port       = $port
                ApiKey     = $ApiKey
                Process    = $process
            }
        }

        $timedOut = -not $process.HasExited
        Stop-StandInProcess -Process $process
        $errorText = try { $process.StandardError.ReadToEnd().Trim() } catch { '' }
        $problem = if ($timedOut) { "no answer from $baseUri/health within $StartTimeoutSec s" } else { "it exited with code $($process.ExitCode)" }
        if ($errorText) { $problem += ": $errorText" }
        $process.Dispose()
    }
    throw "The API stand-in ($dll) did not start: $problem"
}

function Connect-ModelverseStandIn {
    <#
    .SYNOPSIS
        Starts a stand-in with a fresh test key and points the module's cmdlets at it through
        $PSDefaultParameterValues; returns the stand-in (BaseUri, ApiKey, Process). Undo with Disconnect-ModelverseStandIn.
    #>
    [CmdletBinding()]
    param(
        # Import the built module first (Import-ModelverseImageForTest), as a test file's BeforeAll does.
        [switch] $ImportModule
    )

    if ($ImportModule) { Import-ModelverseImageForTest }
    $standIn = Start-ModelverseStandIn -ApiKey ('sk-pester-' + [guid]::NewGuid().ToString('N'))
    $PSDefaultParameterValues['*-MvImage:BaseUri'] = $standIn.BaseUri
    $PSDefaultParameterValues['*-MvImage:ApiKey'] = $standIn.ApiKey
    $standIn
}

function Disconnect-ModelverseStandIn {
    <#
    .SYNOPSIS
        Removes the defaults Connect-ModelverseStandIn set and stops the stand-in; does nothing for $null.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)]
        [AllowNull()]
        [object] $StandIn
    )

    $PSDefaultParameterValues.Remove('*-MvImage:BaseUri')
    $PSDefaultParameterValues.Remove('*-MvImage:ApiKey')
    Stop-ModelverseStandIn $StandIn
}

function Stop-ModelverseStandIn {
    <#
    .SYNOPSIS
        Stops a stand-in started by Start-ModelverseStandIn; does nothing for $null (a BeforeAll that failed early).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipeline)]
        [AllowNull()]
        [object] $StandIn
    )

    process {
        if ($null -eq $StandIn) { return }
        $process = if ($StandIn -is [System.Diagnostics.Process]) { $StandIn } else { $StandIn.Process }
        if ($null -eq $process) { return }
        try {
            Stop-StandInProcess -Process $process
        }
        finally {
            $process.Dispose()
        }
    }
}

function Get-ModelverseStandInRequestNumber {
    <#
    .SYNOPSIS
        The number of image requests the stand-in has received, this probe's own included.
    .DESCRIPTION
        The stand-in numbers every /images/* request (x-request-id: req_1, req_2, ...), and New-MvImage reports
        it as RequestId. Two probes that are one apart prove that nothing was sent between them. Uses the
        BaseUri and ApiKey in $PSDefaultParameterValues.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param()

    $probe = New-MvImage -Prompt 'request counter probe' -Size 1024x1024 -MaximumRetryCount 0 -ErrorAction Stop
    if ($probe.RequestId -notmatch '^req_(\d+)$') { throw "The stand-in's request id '$($probe.RequestId)' is not req_<number>." }
    [int]$Matches[1]
}

# The helpers for test files, requests and child processes (listed above).
. (Join-Path $PSScriptRoot 'TestFiles.ps1')
