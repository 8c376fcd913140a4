#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Issue #20, values that would be dropped or sent wrong (-AdditionalParameter, input_fidelity, New-MvImage's
# parameters), refused before anything is sent; against the local API stand-in. The rest: Hostile.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
    . (Join-Path $PSScriptRoot 'BoundedPwsh.ps1')
    $moduleManifest = Get-ModelverseManifestPath
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe '-AdditionalParameter takes plain values only' {
    It 'a hashtable that contains itself is InvalidAdditionalParameter, and the host lives' {
        $script = @'
param($Manifest, $BaseUri, $ApiKey)
Import-Module $Manifest
$h = @{}; $h.self = $h
try { New-MvImage 'x' -AdditionalParameter @{ metadata = $h } -BaseUri $BaseUri -ApiKey $ApiKey -ErrorAction Stop } catch { "caught $($_.FullyQualifiedErrorId)" }
'alive'
'@
        $result = Invoke-BoundedPwsh -Script $script -TimeoutSec 60 -ArgumentList $moduleManifest, $standIn.BaseUri, $standIn.ApiKey
        $result.TimedOut | Should -BeFalse
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'caught InvalidAdditionalParameter'
        $result.Output | Should -Match 'alive'
    }

    It '<name> is InvalidAdditionalParameter, naming the field, before anything is sent' -ForEach @(
        @{ name = 'NaN'; value = [double]::NaN }
        @{ name = 'Infinity'; value = [double]::PositiveInfinity }
        @{ name = '-Infinity (float)'; value = [float]::NegativeInfinity }
        @{ name = 'nesting 1,001 deep'; value = $(($n = @{ leaf = 1 }); foreach ($i in 1..1000) { $n = @{ inner = $n } }; $n) }
        @{ name = 'a ScriptBlock'; value = { 'code' } }
    ) {
        $before = Get-ModelverseStandInRequestNumber
        { New-MvImage 'x' -AdditionalParameter @{ odd_field = $value } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAdditionalParameter*'
        try { New-MvImage 'x' -AdditionalParameter @{ odd_field = $value } -ErrorAction Stop } catch { $err = $_ }
        $err.ErrorDetails.Message | Should -Match 'odd_field'
        $err.TargetObject | Should -Not -BeNullOrEmpty
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }

    It 'a PSCustomObject (from ConvertFrom-Json) is sent as a JSON object' {
        $null = Get-ModelverseRecordedRequest $standIn
        $meta = '{"owner":"ops","tags":["a","b"],"n":2}' | ConvertFrom-Json
        $null = New-MvImage 'x' -AdditionalParameter @{ metadata = $meta; when = [DayOfWeek]::Monday }
        $sent = (Get-ModelverseRecordedRequest $standIn)[0].Json
        $sent.metadata.owner | Should -Be 'ops'
        $sent.metadata.tags | Should -Be @('a', 'b')
        $sent.metadata.n | Should -Be 2
        $sent.when | Should -Be 'Monday'
    }
}

Describe 'input_fidelity is refused for models that do not take it, however it is given' {
    It '<how> is InputFidelityNotSupported and sends nothing' -ForEach @(
        @{ how = "-AdditionalParameter @{ input_fidelity = 'high' } (New-MvImage)"; run = { New-MvImage 'x' -AdditionalParameter @{ input_fidelity = 'high' } -ErrorAction Stop } }
        @{ how = "-AdditionalParameter @{ input_fidelity = 'high' } (Edit-MvImage)"; run = { Edit-MvImage 'x' ./nothing.png -AdditionalParameter @{ input_fidelity = 'high' } -ErrorAction Stop } }
        @{ how = "-Model ' gpt-image-2' -InputFidelity high"; run = { Edit-MvImage 'x' ./nothing.png -Model ' gpt-image-2' -InputFidelity high -ErrorAction Stop } }
    ) {
        $before = Get-ModelverseStandInRequestNumber
        $run | Should -Throw -ErrorId 'InputFidelityNotSupported*'
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }
}

Describe 'New-MvImage refuses values that would be dropped or sent wrong' {
    BeforeEach { $null = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'a CSV Count of <count> is a per-record error; the other rows are sent' -ForEach @(
        @{ count = 'three' }
        @{ count = '99999999999' }
        @{ count = '0' }
    ) {
        "Prompt,Count`na fox,$count`na cat,2" | Set-Content ./jobs.csv
        $before = Get-ModelverseStandInRequestNumber
        $images = Import-Csv ./jobs.csv | New-MvImage -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        "$failed" | Should -Match 'Count'
        $images | Should -HaveCount 2
        $images.Prompt | Should -Be @('a cat', 'a cat')
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 2)
    }

    It 'blank CSV cells read as null (short row, blank last cell without a final newline) mean "not set"' {
        "Prompt,Size,Count`na fox`na cat,," | Set-Content ./jobs.csv -NoNewline
        $rows = Import-Csv ./jobs.csv
        $rows[0].Count | Should -BeNullOrEmpty
        $images = $rows | New-MvImage -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 0
        $images | Should -HaveCount 2
        [pscustomobject]@{ Prompt = 'a dog'; Count = $null; Size = $null; Quality = $null } | New-MvImage | Should -HaveCount 1
    }

    It "-Model '<model>' is refused before anything is sent" -ForEach @(
        @{ model = '  ' }
        @{ model = ' gpt-image-2' }
        @{ model = "gpt-image-2`t" }
        @{ model = "gpt-image-2$([char]0x200B)" }
    ) {
        $before = Get-ModelverseStandInRequestNumber
        { New-MvImage 'x' -Model $model -ErrorAction Stop } | Should -Throw
        try { New-MvImage 'x' -Model $model -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModel*'
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }

    It 'a prompt of <name> is refused before anything is sent' -ForEach @(
        @{ name = 'a zero-width space'; prompt = [string][char]0x200B }
        @{ name = 'format and control characters'; prompt = "$([char]0x200E)$([char]0xFEFF)$([char]7)" }
    ) {
        $before = Get-ModelverseStandInRequestNumber
        { New-MvImage $prompt -ErrorAction Stop } | Should -Throw -ExpectedMessage '*prompt*'
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }

    It 'a file piped to New-MvImage is refused: a file has no prompt, use Edit-MvImage' {
        $null = New-MvImage 'a cat' | Save-MvImage -Path ./cat.png
        $before = Get-ModelverseStandInRequestNumber
        $null = Get-Item ./cat.png | New-MvImage -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        "$failed" | Should -Match 'no prompt'
        "$failed" | Should -Match 'Edit-MvImage'
        "$failed" | Should -Not -Match 'Size'
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }
}
