# Issue #19, "One home for each promise", as a user meets it in real pwsh: types a script can name (a typed catch,
# -is), Usage that survives a job, exactly one contracts assembly in the default context with the engine private,
# and the key and URI credentials shown nowhere even when the server echoes them back.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-ModelverseImageForTest
}

Describe 'Types a script can name' {
    BeforeAll {
        $standIn = Start-ModelverseStandIn -ApiKey 'sk-right-key-0001'
    }
    AfterAll { Stop-ModelverseStandIn $standIn }

    It 'catches the API''s refusal by type: catch [ModelverseImage.Api.ApiException] prints caught 401' {
        $result = try {
            New-MvImage x -BaseUri $standIn.BaseUri -ApiKey 'sk-wrong-key-0002' -ErrorAction Stop
            'no error'
        }
        catch [ModelverseImage.Api.ApiException] { 'caught ' + $_.Exception.StatusCode }
        catch { 'generic: ' + $_.Exception.GetType().FullName }
        $result | Should -Be 'caught 401'
    }

    It 'names the failure kind and how far the exchange got as types' {
        $err = $null
        New-MvImage x -BaseUri $standIn.BaseUri -ApiKey 'sk-wrong-key-0002' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception -is [ModelverseImage.Api.ApiException] | Should -BeTrue
        $err[0].Exception.Kind | Should -Be ([ModelverseImage.Api.FailureKind]::Authentication)
        $err[0].Exception.Exchange.Stage | Should -Be ([ModelverseImage.Api.ExchangeStage]::Complete)
        $err[0].Exception.MayHaveBeenBilled | Should -BeFalse
    }

    It 'gives Usage as [ModelverseImage.Api.TokenUsage]' {
        $image = New-MvImage 'a kite' -BaseUri $standIn.BaseUri -ApiKey $standIn.ApiKey
        $image.Usage -is [ModelverseImage.Api.TokenUsage] | Should -BeTrue
        $image.Usage.TotalTokens | Should -BeGreaterThan 0
    }

    It 'loads exactly one contracts assembly, in the default context, while the engine and RestSharp stay private' {
        $file = Join-Path $TestDrive 'contexts.ps1'
        Set-Content -LiteralPath $file -Value @'
param($Manifest, $BaseUri, $Key)
Import-Module $Manifest -ErrorAction Stop
$null = New-MvImage 'a kite' -BaseUri $BaseUri -ApiKey $Key
$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'ModelverseImage.Contracts', 'ModelverseImage.Core', 'RestSharp' }
$loaded | ForEach-Object { [pscustomobject]@{ Name = $_.GetName().Name; Default = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_) -eq [System.Runtime.Loader.AssemblyLoadContext]::Default } } | ConvertTo-Json -Compress
'@
        $text = Invoke-ChildPwsh -File $file -ArgumentList (Get-ModelverseManifestPath), $standIn.BaseUri, $standIn.ApiKey
        $LASTEXITCODE | Should -Be 0 -Because ($text -join "`n")
        $seen = ($text | Select-Object -Last 1) | ConvertFrom-Json
        @($seen | Where-Object Name -EQ 'ModelverseImage.Contracts').Count | Should -Be 1
        ($seen | Where-Object Name -EQ 'ModelverseImage.Contracts').Default | Should -BeTrue
        ($seen | Where-Object Name -EQ 'ModelverseImage.Core').Default | Should -BeFalse
        ($seen | Where-Object Name -EQ 'RestSharp').Default | Should -BeFalse
    }
}

Describe 'Output that survives serialization' {
    BeforeAll { $standIn = Start-ModelverseStandIn -ApiKey 'sk-job-key-0003' }
    AfterAll { Stop-ModelverseStandIn $standIn }

    It 'keeps Usage.TotalTokens a number through Start-Job | Receive-Job, and the bytes out' {
        $manifest = Get-ModelverseManifestPath
        $copy = Start-Job { Import-Module $using:manifest; New-MvImage 'a kite' -BaseUri $using:standIn.BaseUri -ApiKey $using:standIn.ApiKey } | Receive-Job -Wait -AutoRemoveJob
        $copy.Usage.TotalTokens | Should -BeOfType [long]
        $copy.Usage.TotalTokens | Should -BeGreaterThan 0
        $copy.PSObject.Properties.Name | Should -Not -Contain 'Bytes'
    }
}

Describe 'The key and URI credentials are shown nowhere' {
    BeforeAll {
        $key = 'sk-echoed-secret-' + [guid]::NewGuid().ToString('N')
        $keyBase64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($key))
    }

    It 'redacts what a server echoes back (<Script>) in every stream, record and transcript' -ForEach @(
        @{ Script = 'ErrorIn200'; Partial = $false }
        @{ Script = 'None'; Partial = $false }
        @{ Script = 'StreamErrorEvent'; Partial = $true }
        @{ Script = 'Status400'; Partial = $false }
    ) {
        $standIn = Start-ModelverseStandIn -EchoKey -Script $Script
        try {
            $work = Enter-TestFolder
            $base = $standIn.BaseUri -replace '^http://', 'http://user:SECRETPASS@'
            $transcript = Join-Path $work 'transcript.txt'
            $null = Start-Transcript -LiteralPath $transcript
            try {
                $extra = if ($Partial) { @{ PartialImages = 1 } } else { @{} }
                $out = New-MvImage 'a kite' -BaseUri $base -ApiKey $key -MaximumRetryCount 0 -Verbose -Debug @extra -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1 5>&1
                New-MvImage 'a kite' -BaseUri $base -ApiKey $key -WhatIf
            }
            finally { $null = Stop-Transcript }
            $everything = (Get-Content -Raw -LiteralPath $transcript) + ($out | Format-List * -Force | Out-String) + ($errs | Format-List * -Force | Out-String) +
                (($errs | ForEach-Object { $_.Exception | Format-List * -Force }) | Out-String) +
                (($errs | ForEach-Object { $_.Exception.RequestId; $_.ErrorDetails.Message; $_.TargetObject }) -join "`n") +
                (($out | Where-Object { $_.PSObject.Properties['RequestId'] } | ForEach-Object RequestId) -join "`n")
            $everything | Should -Not -BeNullOrEmpty
            $everything | Should -Not -Match ([regex]::Escape($key))
            $everything | Should -Not -Match ([regex]::Escape($keyBase64.TrimEnd('=')))
            $everything | Should -Not -Match 'SECRETPASS'
            $everything | Should -Match '\*\*\*'
        }
        finally {
            Pop-Location
            Stop-ModelverseStandIn $standIn
        }
    }
}
