# Issue #20, items 1 and 15, in real pwsh: a streamed -Count 2 whose stream fails after the first final image keeps
# that image; -TimeoutSec bounds the wait from the last complete event, whatever trickles in between.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-ModelverseImageForTest
}

Describe 'A streamed answer that fails after its first final image' {
    It 'keeps the completed image on disk and says the rest may have been billed (<Fault>)' -ForEach @(
        @{ Fault = 'StreamErrorAfterFirstImage' }
        @{ Fault = 'StreamCutAfterFirstImage' }
    ) {
        $standIn = Start-ModelverseStandIn -Script $Fault
        try {
            $work = Enter-TestFolder
            New-MvImage 'a cat' -Count 2 -PartialImages 1 -BaseUri $standIn.BaseUri -ApiKey test -ErrorVariable err -ErrorAction SilentlyContinue |
                Save-MvImage -ExcludePartial
            (Get-ChildItem -LiteralPath $work -File).Name | Should -Be @('a-cat-1.png')
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -Match '1 final image'
            $err[0].Exception.Message | Should -Match 'billed'
            @(Get-ModelverseRecordedRequest $standIn).Count | Should -Be 1
        }
        finally {
            Pop-Location
            Stop-ModelverseStandIn $standIn
        }
    }
}

Describe '-TimeoutSec on a stream' {
    It 'ends a stream that only <Fault> after its first event, as AnswerLost (OperationTimeout)' -ForEach @(
        @{ Fault = 'StreamTrickle' }
        @{ Fault = 'StreamKeepAliveOnly' }
    ) {
        # The first request is answered in full, the second gets the fault.
        $standIn = Start-ModelverseStandIn -Script 'None', $Fault
        try {
            $manifest = Get-ModelverseManifestPath
            # In a job with a hard limit: before the fix the wait never ended.
            $job = Start-Job {
                Import-Module $using:manifest
                # -TimeoutSec also bounds the wait for the first event: a cold job process and a cold stand-in (JIT, the
                # first image encoded) missed 2 s on a busy machine, and the test saw 'no status line' instead of
                # 'went quiet'. A first streamed request warms both; the limit leaves the warm first event time to spare.
                New-MvImage 'warm up' -PartialImages 2 -BaseUri $using:standIn.BaseUri -ApiKey test -ErrorAction Stop | Out-Null
                New-MvImage 'a cat' -PartialImages 2 -TimeoutSec 5 -MaximumRetryCount 0 -BaseUri $using:standIn.BaseUri -ApiKey test -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
                [pscustomobject]@{ Id = $err[0].FullyQualifiedErrorId; Category = "$($err[0].CategoryInfo.Category)"; Message = $err[0].Exception.Message }
            }
            $finished = Wait-Job $job -Timeout 60
            if (-not $finished) { Stop-Job $job }
            $finished | Should -Not -BeNullOrEmpty -Because 'the stream must end within the time limit, not run forever'
            $result = Receive-Job $job
            $result.Id | Should -BeLike 'AnswerLost,*'
            $result.Category | Should -Be 'OperationTimeout'
            $result.Message | Should -Match 'went quiet'
        }
        finally {
            Remove-Job $job -Force -ErrorAction Ignore
            Stop-ModelverseStandIn $standIn
        }
    }
}

Describe 'An answer with more images than were asked for (issue #20 item 14)' {
    It 'keeps the images asked for and warns about the rest (<Fault>)' -ForEach @(
        @{ Fault = 'ExtraImages'; Extra = @{} ; Pattern = 'the 2 beyond 1 were refused' }
        @{ Fault = 'StreamExtraEvents'; Extra = @{ PartialImages = 2 }; Pattern = 'partial images beyond the 2 asked for' }
    ) {
        $standIn = Start-ModelverseStandIn -Script $Fault
        try {
            $images = @(New-MvImage 'a cat' -BaseUri $standIn.BaseUri -ApiKey test -WarningVariable warnings -WarningAction SilentlyContinue @Extra)
            @($images | Where-Object -Not IsPartial).Count | Should -Be 1
            @($images | Where-Object IsPartial).Count | Should -BeLessOrEqual 2
            ($warnings -join "`n") | Should -Match $Pattern
        }
        finally { Stop-ModelverseStandIn $standIn }
    }
}
