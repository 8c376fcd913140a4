# Test files and requests for the Pester suite, dot-sourced by Common.ps1: test PNGs,
# hashes, what a stand-in recorded, the manifest path, host text, PNG dimensions, file signatures, test folders and
# child pwsh processes.

function New-TestPngBytes {
    <#
    .SYNOPSIS
        A small valid PNG (all pixels zero), made by the shared test kit (tests/TestKit, TestPng.Blank) rather
        than by the stand-in: 8-bit RGB, or RGBA with -Alpha.
    #>
    [CmdletBinding()]
    [OutputType([byte[]])]
    param(
        [ValidateRange(1, 4096)] [int] $Width = 16,
        [ValidateRange(1, 4096)] [int] $Height = 16,
        [switch] $Alpha
    )

    Import-ModelverseTestKit
    # The comma keeps the array whole instead of sending it down the pipeline byte by byte.
    , [ModelverseImage.TestKit.TestPng]::Blank($Width, $Height, $Alpha.IsPresent)
}

function Import-ModelverseTestKit {
    # The kit is built with the stand-in and copied next to it (tests/FakeApi/bin/Release/.../ModelverseImage.TestKit.dll).
    if ('ModelverseImage.TestKit.TestPng' -as [type]) { return }
    $kit = Join-Path (Split-Path -Parent (Get-ModelverseStandInAssembly)) 'ModelverseImage.TestKit.dll'
    Add-Type -LiteralPath $kit -ErrorAction Stop
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
function Get-ModelverseRecordedRequest {
    <#
    .SYNOPSIS
        The image requests a stand-in received, oldest first, then forgotten (-Keep keeps them): Method, Path,
        ContentType, Body, Json (the parsed body of a JSON request), Fields (the text fields of a multipart
        request, as a hashtable) and Parts (each multipart part: Name, FileName, ContentType, Length, and for the mask
        its bytes as base64 in Content).
    .DESCRIPTION
        Reads the stand-in's own record through GET /_test/requests (?clear=1 forgets them in the same step).
        Body is the JSON text of a JSON request; for a multipart request, the Content-Disposition of each part,
        one a line (e.g. form-data; name="image"; filename="a.png").
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [object] $StandIn,
        [switch] $Keep
    )

    $uri = 'http://127.0.0.1:{0}/_test/requests{1}' -f $StandIn.Port, $(if ($Keep) { '' } else { '?clear=1' })
    $ProgressPreference = 'SilentlyContinue'
    $calls = Invoke-RestMethod -Uri $uri -Method Get -NoProxy -TimeoutSec 10 -ErrorAction Stop
    foreach ($call in @($calls)) {
        $json = $null
        $fields = @{}
        $body = $call.JsonBody
        if ($call.ContentType -like 'application/json*') {
            $json = $call.JsonBody | ConvertFrom-Json
        }
        elseif ($call.ContentType -like 'multipart/form-data*') {
            foreach ($field in $call.Fields.PSObject.Properties) { $fields[$field.Name] = $field.Value }
            $body = @($call.Parts | ForEach-Object ContentDisposition) -join "`r`n"
        }
        [pscustomobject]@{
            Method      = $call.Method
            Path        = $call.Path
            ContentType = $call.ContentType
            Body        = $body
            Json        = $json
            Fields      = $fields
            Parts       = @($call.Parts)
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

function Get-FileSignature {
    param([Parameter(Mandatory)] [string] $LiteralPath)
    $bytes = [System.IO.File]::ReadAllBytes($LiteralPath)
    [System.BitConverter]::ToString($bytes, 0, [Math]::Min(8, $bytes.Length))
}

function Enter-TestFolder {
    # Every test works in a folder of its own, as a user in a fresh folder would; returns its path.
    $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $work
    Push-Location -LiteralPath $work
    $work
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
