# Shared set-up for the Pester suite, dot-sourced in each file's BeforeAll:
#   Import-ModelverseImageForTest       imports the built module from out/ModelverseImage.
#   Start-ModelverseStandIn              runs the local API stand-in (tests/FakeApi) on a free port.
#   Stop-ModelverseStandIn               stops it again (AfterAll).
#   Connect-/Disconnect-ModelverseStandIn  start one with a fresh key and point the cmdlets at it, and undo that.
#   Get-ModelverseStandInRequestNumber   how many image requests the stand-in has had (to prove nothing was sent).
#   New-TestPngBytes                     a small PNG made here, with or without an alpha channel.
#   Get-TestSha256                       the SHA-256 of bytes or of a file, as upper-case hex.
#   Start-/Stop-ModelverseRecorder       a relay in front of a stand-in that records what was sent;
#   Get-ModelverseRecordedRequest        the requests it recorded (Json for generations, Fields for edits).
#   Get-ModelverseManifestPath           the built module's manifest (for Import-Module in jobs and runspaces).
#   Get-HostText                         what a script block wrote to the host (What if: lines), via a transcript.
#   Get-PngDimension                     width and height from a PNG file's IHDR chunk.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath

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
    $binRelease = Join-Path $project 'bin/Release'
    $findBuilt = {
        Get-ChildItem -LiteralPath $binRelease -Filter 'ModelverseImage.FakeApi.dll' -File -Recurse -ErrorAction Ignore |
            Sort-Object LastWriteTimeUtc -Descending |
            Select-Object -First 1
    }

    $built = & $findBuilt
    $newestSource = Get-ChildItem -LiteralPath $project -File -Recurse |
        Where-Object { $_.Extension -in '.cs', '.csproj' -and $_.FullName.Substring($project.Length) -notmatch '^[\\/](bin|obj)[\\/]' } |
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
        Runs `dotnet ModelverseImage.FakeApi.dll --port N [--api-key KEY] [--delay-ms N] [--fault-rate X]`
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

        [ValidateRange(1, 600)]
        [int] $StartTimeoutSec = 60
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
    param()

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

function New-TestPngBytes {
    <#
    .SYNOPSIS
        A small valid PNG (all pixels zero), made here rather than by the stand-in: 8-bit RGB, or RGBA with -Alpha.
    #>
    [CmdletBinding()]
    [OutputType([byte[]])]
    param(
        [ValidateRange(1, 4096)] [int] $Width = 16,
        [ValidateRange(1, 4096)] [int] $Height = 16,
        [switch] $Alpha
    )

    $channels = if ($Alpha) { 4 } else { 3 }
    $scanlines = [byte[]]::new(($Width * $channels + 1) * $Height)   # each row: filter byte 0, then zero pixels
    $compressed = [System.IO.MemoryStream]::new()
    $zlib = [System.IO.Compression.ZLibStream]::new($compressed, [System.IO.Compression.CompressionLevel]::Optimal, $true)
    $zlib.Write($scanlines, 0, $scanlines.Length)
    $zlib.Dispose()

    $header = [System.IO.MemoryStream]::new()
    foreach ($value in $Width, $Height) {
        $bytes = [BitConverter]::GetBytes([uint32]$value)
        if ([BitConverter]::IsLittleEndian) { [array]::Reverse($bytes) }
        $header.Write($bytes, 0, 4)
    }
    $colourType = if ($Alpha) { 6 } else { 2 }
    $rest = [byte[]](8, $colourType, 0, 0, 0)   # bit depth, colour type, compression, filter, interlace
    $header.Write($rest, 0, $rest.Length)

    $png = [System.IO.MemoryStream]::new()
    $signature = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
    $png.Write($signature, 0, $signature.Length)
    Write-TestPngChunk -Stream $png -Type 'IHDR' -Data $header.ToArray()
    Write-TestPngChunk -Stream $png -Type 'IDAT' -Data $compressed.ToArray()
    Write-TestPngChunk -Stream $png -Type 'IEND' -Data ([byte[]]::new(0))
    # The comma keeps the array whole instead of sending it down the pipeline byte by byte.
    , $png.ToArray()
}

function Write-TestPngChunk {
    param(
        [Parameter(Mandatory)] [System.IO.Stream] $Stream,
        [Parameter(Mandatory)] [string] $Type,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [byte[]] $Data
    )

    $typeBytes = [System.Text.Encoding]::ASCII.GetBytes($Type)
    $length = [BitConverter]::GetBytes([uint32]$Data.Length)
    if ([BitConverter]::IsLittleEndian) { [array]::Reverse($length) }
    $Stream.Write($length, 0, 4)
    $Stream.Write($typeBytes, 0, 4)
    if ($Data.Length -gt 0) { $Stream.Write($Data, 0, $Data.Length) }

    # CRC-32 (ISO-HDLC, as PNG uses) of the type and the data.
    [uint64]$crc = [uint32]::MaxValue
    foreach ($byte in @($typeBytes) + @($Data)) {
        $crc = $crc -bxor $byte
        for ($bit = 0; $bit -lt 8; $bit++) {
            if ($crc -band 1) { $crc = ($crc -shr 1) -bxor 3988292384 } else { $crc = $crc -shr 1 }
        }
    }
    $crcBytes = [BitConverter]::GetBytes([uint32]($crc -bxor [uint32]::MaxValue))
    if ([BitConverter]::IsLittleEndian) { [array]::Reverse($crcBytes) }
    $Stream.Write($crcBytes, 0, 4)
}

function Get-TestSha256 {
    [CmdletBinding(DefaultParameterSetName = 'Bytes')]
    [OutputType([string])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Bytes')]
        [AllowEmptyCollection()]
        [byte[]] $Bytes,

        [Parameter(Mandatory, ParameterSetName = 'Path')]
        [string] $LiteralPath
    )

    if ($PSCmdlet.ParameterSetName -eq 'Path') { $Bytes = [System.IO.File]::ReadAllBytes($LiteralPath) }
    [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes))
}

# ---------------------------------------------------------------- what went over the wire
# The stand-in runs in its own process and keeps its record of requests to itself, so a small recording relay
# sits in front of it: it keeps each request (method, path, content type, body as text) and passes it on unchanged.
$script:RecorderSource = @'
using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;

namespace ModelverseImageTests
{
    public sealed class RecordedCall
    {
        public string Method { get; set; }
        public string Path { get; set; }
        public string ContentType { get; set; }
        public string Authorization { get; set; }
        public string Body { get; set; }
        public long BodyLength { get; set; }
    }

    public sealed class RecordingRelay : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly HttpClient _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        private readonly Uri _target;
        public ConcurrentQueue<RecordedCall> Calls { get; } = new ConcurrentQueue<RecordedCall>();
        public Uri BaseUri { get; }

        public RecordingRelay(Uri target, int port)
        {
            _target = new Uri(target.GetLeftPart(UriPartial.Authority) + "/");
            _listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            _listener.Start();
            BaseUri = new Uri("http://127.0.0.1:" + port + "/v1");
            Task.Run(AcceptLoop);
        }

        private async Task AcceptLoop()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                _ = Task.Run(() => Relay(context));
            }
        }

        private async Task Relay(HttpListenerContext context)
        {
            try
            {
                var request = context.Request;
                var body = new MemoryStream();
                await request.InputStream.CopyToAsync(body).ConfigureAwait(false);
                var bytes = body.ToArray();
                Calls.Enqueue(new RecordedCall
                {
                    Method = request.HttpMethod,
                    Path = request.Url.AbsolutePath,
                    ContentType = request.ContentType,
                    Authorization = request.Headers["Authorization"],
                    Body = Encoding.UTF8.GetString(bytes),
                    BodyLength = bytes.Length,
                });

                var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.RawUrl.TrimStart('/')));
                if (bytes.Length > 0 || request.HttpMethod == "POST")
                {
                    forward.Content = new ByteArrayContent(bytes);
                    if (request.ContentType != null) forward.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
                }
                if (request.Headers["Authorization"] != null) forward.Headers.TryAddWithoutValidation("Authorization", request.Headers["Authorization"]);

                using (var answer = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false))
                {
                    var response = context.Response;
                    response.StatusCode = (int)answer.StatusCode;
                    foreach (var header in answer.Headers)
                    {
                        if (header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
                        response.Headers[header.Key] = string.Join(",", header.Value);
                    }
                    if (answer.Content.Headers.ContentType != null) response.ContentType = answer.Content.Headers.ContentType.ToString();
                    if (answer.Content.Headers.ContentLength.HasValue) response.ContentLength64 = answer.Content.Headers.ContentLength.Value;
                    using (var stream = await answer.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    {
                        await stream.CopyToAsync(response.OutputStream).ConfigureAwait(false);
                    }
                    response.Close();
                }
            }
            catch (Exception)
            {
                try { context.Response.Abort(); } catch (Exception) { }
            }
        }

        public void Dispose()
        {
            try { _listener.Stop(); _listener.Close(); } catch (Exception) { }
            _client.Dispose();
        }
    }
}
'@

function Start-ModelverseRecorder {
    <#
    .SYNOPSIS
        A recording relay in front of a stand-in: point -BaseUri at its BaseUri, then read what was sent with
        Get-ModelverseRecordedRequest. Stop it with Stop-ModelverseRecorder.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [object] $StandIn)

    if (-not ('ModelverseImageTests.RecordingRelay' -as [type])) {
        Add-Type -TypeDefinition $script:RecorderSource -Language CSharp -ErrorAction Stop
    }
    for ($attempt = 1; ; $attempt++) {
        try {
            return [ModelverseImageTests.RecordingRelay]::new([uri]$StandIn.BaseUri, (Get-FreeTcpPort))
        }
        catch {
            if ($attempt -ge 3) { throw }
        }
    }
}

function Stop-ModelverseRecorder {
    param([Parameter(Position = 0)] [AllowNull()] [object] $Recorder)
    if ($null -ne $Recorder) { $Recorder.Dispose() }
}

function Get-ModelverseRecordedRequest {
    <#
    .SYNOPSIS
        The requests the relay passed on, oldest first, then forgotten (-Keep keeps them): Method, Path,
        ContentType, Body (text), Json (the parsed body of a JSON request) and Fields (the text fields of a
        multipart request, as a hashtable).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [object] $Recorder,
        [switch] $Keep
    )

    $calls = @($Recorder.Calls.ToArray())
    if (-not $Keep) { $Recorder.Calls.Clear() }
    foreach ($call in $calls) {
        $json = $null
        $fields = @{}
        if ($call.ContentType -like 'application/json*') {
            $json = $call.Body | ConvertFrom-Json
        }
        elseif ($call.ContentType -like 'multipart/form-data*') {
            # A text part: Content-Disposition: form-data; name="size" (no filename), a blank line, the value.
            foreach ($m in [regex]::Matches($call.Body, 'Content-Disposition: form-data; name="?([^";\r\n]+)"?\r\n(?:[^\r\n]+\r\n)*\r\n([^\r]*)\r\n')) {
                $fields[$m.Groups[1].Value] = $m.Groups[2].Value
            }
        }
        [pscustomobject]@{
            Method      = $call.Method
            Path        = $call.Path
            ContentType = $call.ContentType
            Body        = $call.Body
            Json        = $json
            Fields      = $fields
        }
    }
}

function Get-ModelverseManifestPath {
    Join-Path (Get-ModelverseRepoRoot) 'out/ModelverseImage/ModelverseImage.psd1'
}

function Get-HostText {
    <#
    .SYNOPSIS
        Runs a script block and returns, as one string, everything shown while it ran, host-only lines such as
        "What if:" included (ShouldProcess writes those to the host, which no redirection captures; a transcript does).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory, Position = 0)] [scriptblock] $ScriptBlock)

    $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("mv-pester-{0}.txt" -f [guid]::NewGuid().ToString('N'))
    $null = Start-Transcript -LiteralPath $transcript -Force
    try {
        & $ScriptBlock | Out-Host
    }
    finally {
        $null = Stop-Transcript
    }
    try { Get-Content -LiteralPath $transcript -Raw -Encoding utf8 } finally { Remove-Item -LiteralPath $transcript -ErrorAction Ignore }
}

function Get-PngDimension {
    # Width and height as stored in a PNG file's IHDR chunk (big-endian, bytes 16..23).
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [string] $LiteralPath)

    $bytes = [System.IO.File]::ReadAllBytes($LiteralPath)
    if ($bytes.Length -lt 24 -or [System.Text.Encoding]::ASCII.GetString($bytes, 12, 4) -ne 'IHDR') { throw "$LiteralPath is not a PNG." }
    $read = { param($offset) ([int]$bytes[$offset] -shl 24) -bor ([int]$bytes[$offset + 1] -shl 16) -bor ([int]$bytes[$offset + 2] -shl 8) -bor [int]$bytes[$offset + 3] }
    [pscustomobject]@{ Width = & $read 16; Height = & $read 20 }
}

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs a script file in a fresh, non-interactive pwsh (this pwsh started again: pwsh.dll through the dotnet
        host when this one runs as a .NET tool, else the pwsh executable) and returns its output, errors merged.
        $LASTEXITCODE is the child's exit code.
    #>
    param(
        [Parameter(Mandatory)] [string] $File,
        [object[]] $ArgumentList = @()
    )

    $self = (Get-Process -Id $PID).Path
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList
    if ((Split-Path -Leaf $self) -match '^dotnet(\.exe)?$' -and (Test-Path -LiteralPath $pwshDll)) {
        & $self $pwshDll @arguments 2>&1
    }
    else {
        & (Join-Path $PSHOME 'pwsh') @arguments 2>&1
    }
}
