# Dot-sourced by the test files that run what might hang (a named pipe opened for reading, a runaway recursion).
# Runs a script in a child pwsh in a session (and process group) of its own, with a hard time limit: on
# timeout the whole group is killed, so a hang fails the test instead of the suite. Returns Output, ExitCode, TimedOut.
function Invoke-BoundedPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $ArgumentList = @(),
        [int] $TimeoutSec = 60
    )
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ("mv-hostile-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8
    try {
        $self = (Get-Process -Id $PID).Path
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        $command = if ((Split-Path -Leaf $self) -match '^dotnet(\.exe)?$' -and (Test-Path -LiteralPath $pwshDll)) { @($self, $pwshDll) } else { @((Join-Path $PSHOME 'pwsh')) }
        $command += @('-NoProfile', '-NonInteractive', '-File', $file) + $ArgumentList
        $setsid = Get-Command setsid -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        $startInfo = if ($setsid) { [System.Diagnostics.ProcessStartInfo]::new($setsid.Source) } else { [System.Diagnostics.ProcessStartInfo]::new($command[0]) }
        foreach ($argument in $(if ($setsid) { $command } else { $command | Select-Object -Skip 1 })) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        $startInfo.WorkingDirectory = (Get-Location).ProviderPath
        $process = [System.Diagnostics.Process]::Start($startInfo)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $timedOut = -not $process.WaitForExit($TimeoutSec * 1000)
        if ($timedOut) {
            # setsid made the child the leader of its own process group: kill the group, then whatever is left.
            if ($setsid) { & kill -KILL -- "-$($process.Id)" 2>$null }
            try { $process.Kill($true) } catch [System.InvalidOperationException] { }
            $null = $process.WaitForExit(10000)
        }
        $null = $process.WaitForExit()
        [pscustomobject]@{
            Output   = ($stdout.Result + $stderr.Result)
            ExitCode = $process.ExitCode
            TimedOut = $timedOut
        }
    }
    finally {
        Remove-Item -LiteralPath $file -ErrorAction Ignore
    }
}
