#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# User-level scenarios for Test-MvImageSize. Run with build.ps1 Test (needs pwsh and Pester 5).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-ModelverseImageForTest
}

Describe 'Test-MvImageSize' {
    It 'accepts a recommended size' {
        Test-MvImageSize -Size 1024x1536 | Should -BeTrue
    }

    It 'returns one bool per piped size' {
        '1000x1000', '2048x2048' | Test-MvImageSize | Should -Be @($false, $true)
    }

    It 'explains a bad size and suggests a near one' {
        $check = Test-MvImageSize -Size 1000x1000 -Detailed
        $check.IsValid | Should -BeFalse
        $check.Problems | Should -Not -BeNullOrEmpty
        $check.Suggested | Should -BeIn @('1008x1008', '992x992')
    }

    It 'never throws on malformed input' -ForEach @('big', '0x0', '-16x32', '', $null) {
        { Test-MvImageSize -Size $_ } | Should -Not -Throw
        Test-MvImageSize -Size $_ | Should -BeFalse
    }
}
