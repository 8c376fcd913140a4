#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# The module in other runspaces and processes: ForEach-Object -Parallel, Start-ThreadJob and Start-Job,
# against the local API stand-in (tests/FakeApi). Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
    $manifest = Get-ModelverseManifestPath
    $baseUri = $standIn.BaseUri
    $apiKey = $standIn.ApiKey
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'ForEach-Object -Parallel' {
    It 'imports the module in each runspace and gives four images for four prompts' {
        $images = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            New-MvImage "p$_" -BaseUri $using:baseUri -ApiKey $using:apiKey
        }

        $images | Should -HaveCount 4
        $images.Prompt | Sort-Object | Should -Be @('p1', 'p2', 'p3', 'p4')
        foreach ($image in $images) {
            [System.BitConverter]::ToString($image.Bytes, 0, 8) | Should -Be $pngSignature
        }
    }

    It 'the images it returns can be saved by Save-MvImage in the calling session' {
        $dir = Join-Path $TestDrive 'parallel'

        $files = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:manifest
            New-MvImage "tile $_" -BaseUri $using:baseUri -ApiKey $using:apiKey
        } | Save-MvImage -Directory $dir

        $files.Name | Sort-Object | Should -Be @('tile-1-1.png', 'tile-2-1.png', 'tile-3-1.png')
    }

    It 'each runspace can save into the same folder without clashing' {
        $dir = Join-Path $TestDrive 'parallel-same-name'

        $files = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            New-MvImage 'the same prompt' -BaseUri $using:baseUri -ApiKey $using:apiKey | Save-MvImage -Directory $using:dir
        }

        $files | Should -HaveCount 4
        @(Get-ChildItem -LiteralPath $dir -File) | Should -HaveCount 4
        @($files.FullName | Sort-Object -Unique) | Should -HaveCount 4
    }
}

Describe 'Start-ThreadJob' {
    It 'New-MvImage | Save-MvImage in a thread job gives the FileInfo back through Receive-Job -Wait' {
        $dir = Join-Path $TestDrive 'threadjob'

        $file = Start-ThreadJob {
            Import-Module $using:manifest
            New-MvImage 'a thread job kite' -BaseUri $using:baseUri -ApiKey $using:apiKey | Save-MvImage -Directory $using:dir
        } | Receive-Job -Wait -AutoRemoveJob

        $file | Should -HaveCount 1
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.Name | Should -Be 'a-thread-job-kite-1.png'
        $file.FullName | Should -Exist
    }

    It 'a failure in a thread job comes back as the same error record' {
        $null = Start-ThreadJob {
            Import-Module $using:manifest
            New-MvImage 'a kite' -BaseUri $using:baseUri -ApiKey 'sk-wrong' -MaximumRetryCount 0
        } | Receive-Job -Wait -AutoRemoveJob -ErrorVariable jobErrors -ErrorAction SilentlyContinue

        $jobErrors | Should -HaveCount 1
        $jobErrors[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
    }
}

Describe 'Start-Job (another process)' {
    BeforeAll {
        $fromJob = Start-Job -ScriptBlock {
            param($Manifest, $Uri, $Key)
            Import-Module $Manifest
            New-MvImage 'a job kite' -BaseUri $Uri -ApiKey $Key
        } -ArgumentList $manifest, $baseUri, $apiKey | Receive-Job -Wait -AutoRemoveJob
    }

    It 'gives back a deserialized image that keeps its Prompt and Format but not its bytes' {
        $fromJob | Should -HaveCount 1
        $fromJob.PSObject.TypeNames[0] | Should -Be 'Deserialized.ModelverseImage.Output.MvImage'
        $fromJob.Prompt | Should -Be 'a job kite'
        $fromJob.Format | Should -Be 'png'
        $fromJob.Bytes | Should -BeNullOrEmpty
    }

    It 'Save-MvImage on that image gives NoImageBytes and writes nothing' {
        $dir = Join-Path $TestDrive 'from-job'

        $files = $fromJob | Save-MvImage -Directory $dir -ErrorVariable jobSaveErrors -ErrorAction SilentlyContinue

        $files | Should -BeNullOrEmpty
        $jobSaveErrors | Should -HaveCount 1
        $jobSaveErrors[0].FullyQualifiedErrorId | Should -BeLike 'NoImageBytes,*'
        Get-ChildItem -LiteralPath $dir -File -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}
