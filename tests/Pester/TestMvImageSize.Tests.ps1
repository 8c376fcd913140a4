#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
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

    It 'never throws on malformed input' -ForEach @('big', '0x0', '-16x32', '') {
        { Test-MvImageSize -Size $_ } | Should -Not -Throw
        Test-MvImageSize -Size $_ | Should -BeFalse
    }

    # Not in -ForEach above: Pester hands a $null test case to the test as an empty hashtable.
    It 'never throws on a null size' {
        { Test-MvImageSize -Size $null } | Should -Not -Throw
        Test-MvImageSize -Size $null | Should -BeFalse
    }

    It 'refuses to answer without a size: Test-MvImageSize alone is a missing argument, not False' {
        $file = Join-Path $TestDrive 'no-size.ps1'
        # A script in a non-interactive pwsh, where PowerShell cannot ask for the missing value.
        Set-Content -LiteralPath $file -Value @"
Import-Module '$(Get-ModelverseManifestPath)'
try { Test-MvImageSize | ForEach-Object { "output: `$_" } } catch { 'error: ' + `$_.FullyQualifiedErrorId }
"@
        $text = (Invoke-ChildPwsh -File $file | ForEach-Object { "$_" }) -join "`n"
        $text | Should -Be 'error: MissingMandatoryParameter,ModelverseImage.Commands.TestMvImageSizeCommand'
    }

    It 'tests the Width and Height columns of Import-Csv' {
        $rows = 'Width,Height', '1024,1024', '1000,1000' | ConvertFrom-Csv

        $rows | Test-MvImageSize | Should -Be @($true, $false)
    }

    It 'does not test a row without size columns as text' {
        { [pscustomobject]@{ Name = 'x' } | Test-MvImageSize -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound,ModelverseImage.Commands.TestMvImageSizeCommand'
    }

    Context 'at the edges of the rules' {
        It '<Size> is <Expected> (<Why>)' -ForEach @(
            @{ Size = '3840x2160'; Expected = $true; Why = 'longest edge and the most pixels allowed' }
            @{ Size = '3840x2176'; Expected = $false; Why = 'one step too many pixels' }
            @{ Size = '3840x1280'; Expected = $true; Why = 'exactly 3:1' }
            @{ Size = '3840x1264'; Expected = $false; Why = 'wider than 3:1' }
            @{ Size = '1024x640'; Expected = $true; Why = 'the fewest pixels allowed' }
            @{ Size = '1008x640'; Expected = $false; Why = 'one step too few pixels' }
        ) {
            Test-MvImageSize -Size $Size | Should -Be $Expected

            $width, $height = $Size -split 'x'
            Test-MvImageSize -Width $width -Height $height | Should -Be $Expected -Because '-Width and -Height follow the same rules'

            $check = Test-MvImageSize -Size $Size -Detailed
            $check.IsValid | Should -Be $Expected
            if ($Expected) {
                $check.Problems | Should -BeNullOrEmpty
            }
            else {
                $check.Problems | Should -Not -BeNullOrEmpty
                Test-MvImageSize -Size $check.Suggested | Should -BeTrue -Because 'the suggested size must itself be valid'
            }
        }

        It 'gives the portrait size <Size> the same answer as its landscape twin' -ForEach @(
            @{ Size = '2160x3840' }
            @{ Size = '1280x3840' }
            @{ Size = '640x1024' }
        ) {
            $width, $height = $Size -split 'x'
            Test-MvImageSize -Size $Size | Should -Be (Test-MvImageSize -Size "${height}x${width}")
        }
    }
}
