#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Issue #20, "Nothing paid for is lost, nothing that should be refused is sent": hostile and careless input,
# typed the way users type it, against the local API stand-in (tests/FakeApi).

BeforeDiscovery {
    $canMakeFifo = [bool](Get-Command mkfifo -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule

    . (Join-Path $PSScriptRoot 'BoundedPwsh.ps1')
    $moduleManifest = Get-ModelverseManifestPath
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'Save-MvImage keeps a paid image it could not save in the error record' {
    BeforeEach { $null = Enter-TestFolder }
    AfterEach { Pop-Location }

    It '-Path with three images: the two not saved are the TargetObject of their PathUsedTwice errors, and recoverable' {
        $saved = New-MvImage 'three foxes' -Count 3 | Save-MvImage -Path ./three.png -ErrorVariable failed -ErrorAction SilentlyContinue

        $saved | Should -HaveCount 1
        $failed | Should -HaveCount 2
        foreach ($err in $failed) {
            $err.FullyQualifiedErrorId | Should -BeLike 'PathUsedTwice*'
            $err.TargetObject | Should -BeOfType ([ModelverseImage.Output.MvImage])
            $err.ErrorDetails.Message | Should -Match 'TargetObject'
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
        $recovered = $failed | ForEach-Object TargetObject | Save-MvImage -Directory ./elsewhere
        $recovered | Should -HaveCount 2
        Get-ChildItem ./elsewhere -File | Should -HaveCount 2
    }

    It 'FileExists has the image as TargetObject and says so' {
        Set-Content ./taken.png 'mine'
        $null = New-MvImage 'a fox' | Save-MvImage -Path ./taken.png -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FileExists*'
        $failed[0].TargetObject | Should -BeOfType ([ModelverseImage.Output.MvImage])
        $failed[0].ErrorDetails.Message | Should -Match 'TargetObject'
        Get-Content ./taken.png | Should -Be 'mine'
        ($failed[0].TargetObject | Save-MvImage -Directory ./elsewhere) | Should -HaveCount 1
    }

    It 'AccessDenied has the image as TargetObject and says so' -Skip:($IsWindows -or (id -u) -eq '0') {
        $null = New-Item -ItemType Directory ./locked
        chmod 555 ./locked
        try {
            $null = New-MvImage 'a fox' | Save-MvImage -Path ./locked/fox.png -ErrorVariable failed -ErrorAction SilentlyContinue
        }
        finally {
            chmod 755 ./locked
        }
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AccessDenied*'
        $failed[0].TargetObject | Should -BeOfType ([ModelverseImage.Output.MvImage])
        $failed[0].ErrorDetails.Message | Should -Match 'TargetObject'
    }
}

Describe 'Edit-MvImage and partial images' {
    It 'skips piped partial images, one verbose line each, and edits only the final image' {
        $null = Get-ModelverseRecordedRequest $standIn
        $verbose = New-MvImage 'a house' -PartialImages 2 | Edit-MvImage 'add snow' -Verbose 4>&1
        $edits = @(Get-ModelverseRecordedRequest $standIn | Where-Object Path -Like '*edits*')

        $edits | Should -HaveCount 1
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'partial' }) | Should -HaveCount 2
        @($verbose | Where-Object { $_ -is [ModelverseImage.Output.MvImage] }) | Should -HaveCount 1
    }

    It '-IncludePartial edits them too' {
        $null = Get-ModelverseRecordedRequest $standIn
        $null = New-MvImage 'a house' -PartialImages 2 | Edit-MvImage 'add snow' -IncludePartial
        @(Get-ModelverseRecordedRequest $standIn | Where-Object Path -Like '*edits*') | Should -HaveCount 3
    }
}

Describe 'Edit-MvImage refuses a prompt that names an existing file' {
    BeforeAll {
        Push-Location (Enter-TestFolder)
        $null = New-MvImage 'a cat' | Save-MvImage -Path ./cat.png
        $null = New-MvImage 'a dog' | Save-MvImage -Path ./dog.png
        Pop-Location; Pop-Location
        $folder = Split-Path (Resolve-Path (Join-Path $TestDrive '*/cat.png')).ProviderPath
    }
    BeforeEach { Push-Location -LiteralPath $folder }
    AfterEach { Pop-Location }

    It "Edit-MvImage ./cat.png ./dog.png (both exist) is PromptFirst and sends nothing" {
        $before = Get-ModelverseStandInRequestNumber
        { Edit-MvImage ./cat.png ./dog.png -ErrorAction Stop } | Should -Throw -ErrorId 'PromptFirst*'
        try { Edit-MvImage ./cat.png ./dog.png -ErrorAction Stop } catch { $err = $_ }
        $err.TargetObject | Should -Be './cat.png'
        $err.Exception.Message + $err.ErrorDetails.Message | Should -Match 'add a word'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }

    It 'Get-ChildItem *.png | Edit-MvImage ./cat.png is PromptFirst and sends nothing' {
        $before = Get-ModelverseStandInRequestNumber
        { Get-ChildItem *.png | Edit-MvImage ./cat.png -ErrorAction Stop } | Should -Throw -ErrorId 'PromptFirst*'
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }

    It 'a prompt with a word added is sent' {
        $images = Edit-MvImage 'snow on ./cat.png' ./dog.png
        $images | Should -HaveCount 1
    }
}

Describe 'Save-MvImage -Force never replaces what is not a regular file' {
    BeforeEach { $null = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'a named pipe at -Path is NotAFile, with and without -Force, and stays a pipe' -Skip:(-not $canMakeFifo) {
        mkfifo ./x.png
        $image = New-MvImage 'a fox'
        foreach ($force in $false, $true) {
            $null = $image | Save-MvImage -Path ./x.png -Force:$force -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'NotAFile*'
            $failed[0].TargetObject | Should -BeOfType ([ModelverseImage.Output.MvImage])
            (Get-Item ./x.png).UnixStat.ItemType | Should -Be 'NamedPipe'
        }
    }

    It 'a character device at -Path is NotAFile with -Force (skipped where mknod is not allowed)' {
        $made = $false
        if (-not $IsWindows -and (Get-Command mknod -CommandType Application -ErrorAction Ignore)) {
            # A copy of /dev/null's kind (1,3) in the test folder; /dev/null itself is never touched.
            mknod ./dev.png c 1 3 2>$null
            $made = $LASTEXITCODE -eq 0 -and (Test-Path ./dev.png)
        }
        if (-not $made) { Set-ItResult -Skipped -Because 'mknod is not allowed here (it needs root or CAP_MKNOD)'; return }
        $null = New-MvImage 'a fox' | Save-MvImage -Path ./dev.png -Force -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'NotAFile*'
        (Get-Item ./dev.png).UnixStat.ItemType | Should -Be 'CharacterDevice'
    }
}

Describe 'Edit-MvImage with a named pipe among its inputs' {
    It 'refuses the pipe as NotAFile, still edits and saves cat.png, and ends' -Skip:(-not $canMakeFifo) {
        $work = Enter-TestFolder
        try {
            $null = New-MvImage 'a cat' | Save-MvImage -Path ./cat.png
            mkfifo ./pipe.png
            mkfifo ./mask.png
            $script = @'
param($Manifest, $BaseUri, $ApiKey)
Import-Module $Manifest
$PSDefaultParameterValues['*-MvImage:BaseUri'] = $BaseUri
$PSDefaultParameterValues['*-MvImage:ApiKey'] = $ApiKey
Get-ChildItem ./cat.png, ./pipe.png | Edit-MvImage 'x' -TimeoutSec 20 -ErrorVariable failed -ErrorAction SilentlyContinue | Save-MvImage -Directory ./out | ForEach-Object { "saved $($_.Name)" }
$failed | ForEach-Object { "error $($_.FullyQualifiedErrorId) $($_.TargetObject)" }
try { Edit-MvImage 'x' ./cat.png -Mask ./mask.png -ErrorAction Stop } catch { "mask $($_.FullyQualifiedErrorId)" }
try { Edit-MvImage 'x' ./cat.png -ReferenceImage ./pipe.png -ErrorAction Stop } catch { "reference $($_.FullyQualifiedErrorId)" }
'done'
'@
            $result = Invoke-BoundedPwsh -Script $script -TimeoutSec 60 -ArgumentList $moduleManifest, $standIn.BaseUri, $standIn.ApiKey

            $result.TimedOut | Should -BeFalse -Because $result.Output
            $result.Output | Should -Match 'saved cat-edit-1\.png'
            $result.Output | Should -Match 'error NotAFile\S* \S*pipe\.png'
            $result.Output | Should -Match 'mask NotAFile'
            $result.Output | Should -Match 'reference NotAFile'
            $result.Output | Should -Match 'done'
            Test-Path (Join-Path $work 'out/cat-edit-1.png') | Should -BeTrue
        }
        finally {
            Pop-Location
        }
    }
}

Describe 'NUL characters in paths are per-item errors, never raw exceptions' {
    BeforeAll {
        $nul = [char]0
        $image = New-MvImage 'a fox'
    }
    BeforeEach { $null = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'Save-MvImage -Path with NUL is InvalidPath with the image as TargetObject' {
        $null = $image | Save-MvImage -Path "./a${nul}b.png" -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPath*'
        $failed[0].TargetObject | Should -BeOfType ([ModelverseImage.Output.MvImage])
    }

    It 'Edit-MvImage -LiteralPath with NUL among good files is one InvalidPath; the good one is edited' {
        $null = $image | Save-MvImage -Path ./good.png
        $out = Edit-MvImage 'x' -LiteralPath "./a${nul}b.png", ./good.png -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPath*'
        $out | Should -HaveCount 1
    }

    It '-<parameter> with NUL is a terminating InvalidPath record' -ForEach @(
        @{ parameter = 'Mask' }
        @{ parameter = 'ReferenceImage' }
    ) {
        $null = $image | Save-MvImage -Path ./good.png
        $splat = @{ $parameter = "./m${nul}.png" }
        { Edit-MvImage 'x' ./good.png @splat -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPath*'
    }
}

Describe 'Edit-MvImage with a wildcard that matches nothing' {
    It 'is FileNotFound, not silence' {
        $null = Enter-TestFolder
        try {
            $null = Edit-MvImage 'x' ./nothing*.png -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
            $failed[0].TargetObject | Should -Be './nothing*.png'
        }
        finally { Pop-Location }
    }
}

Describe 'Save-MvImage with an image file name as its positional folder' {
    BeforeEach { $null = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'Save-MvImage ./fox.png is refused before anything is sent, and makes no folder' {
        $before = Get-ModelverseStandInRequestNumber
        { New-MvImage 'a fox' | Save-MvImage ./fox.png -ErrorAction Stop } | Should -Throw -ErrorId 'DirectoryLooksLikeFile*'
        Test-Path ./fox.png | Should -BeFalse
        Get-ModelverseStandInRequestNumber | Should -Be ($before + 1)
    }

    It 'an existing folder named like an image is still a folder' {
        $null = New-Item -ItemType Directory ./renders.png
        $saved = New-MvImage 'a fox' | Save-MvImage ./renders.png
        $saved | Should -HaveCount 1
        $saved.DirectoryName | Should -BeLike '*renders.png'
    }
}
