# Found by a first-use trial of -Resume and Import-MvImage, each with its test: -WhatIf sends nothing and says so,
# saving into another folder than -Resume is warned about, streamed final images can be resumed, and imported
# images keep the answer they came in.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
}

AfterAll { Disconnect-ModelverseStandIn $standIn }

Describe '-Resume, as a first-time user meets it' {
    BeforeEach { $work = Enter-TestFolder }
    AfterEach { Pop-Location }

    It '-WhatIf counts nothing as sent' {
        $null = New-Item -ItemType Directory -Path ./r
        $info = 'a red kite' | New-MvImage -Resume ./r -WhatIf 6>&1 | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }
        "$info" | Should -Match '0 already saved, 0 sent'
    }

    It 'warns when the images are saved into another folder than -Resume names' {
        $null = New-Item -ItemType Directory -Path ./m1
        $null = 'mismatch' | New-MvImage -Resume ./m1 | Save-MvImage -Directory ./m2 -WarningVariable warned -WarningAction SilentlyContinue
        ($warned -join "`n") | Should -Match 'will send \(and pay for\) them again'
        $null = 'matched' | New-MvImage -Resume ./m1 | Save-MvImage -Directory ./m1 -WarningVariable quiet -WarningAction SilentlyContinue
        $quiet | Should -BeNullOrEmpty
    }

    It 'resumes a streamed request: its final image carries the rerun record, its partials do not' {
        $null = New-Item -ItemType Directory -Path ./s
        $first = @('a streamed cat' | New-MvImage -PartialImages 1 -Resume ./s | Save-MvImage -Directory ./s)
        $first.Count | Should -Be 2
        $before = @(Get-ModelverseRecordedRequest $standIn).Count
        $info = 'a streamed cat' | New-MvImage -PartialImages 1 -Resume ./s 6>&1 | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }
        "$info" | Should -Match '1 already saved, 0 sent'
        @(Get-ModelverseRecordedRequest $standIn).Count | Should -Be 0 -Because 'the rerun sent nothing (the probe before cleared the list)'
    }

    It 'gives imported images the AnswerId they were saved with, and a file without a record one of its own' {
        $saved = New-MvImage 'a kite' -Count 2 | Save-MvImage -PassThru
        $imported = @(Get-ChildItem -Filter 'a-kite-*.png' | Import-MvImage)
        $imported.Count | Should -Be 2
        $imported.AnswerId | Should -Not -Contain ''
        ($imported.AnswerId | Sort-Object -Unique) | Should -Be ($saved[0].AnswerId)
        Copy-Item -LiteralPath $imported[0].Path -Destination ./plain.png
        $plain = New-MvImage 'x' | Save-MvImage -Path ./bare.png -NoMetadata -PassThru
        (Import-MvImage ./bare.png).AnswerId | Should -Be 'file:bare.png'
    }
}

Describe 'Import-MvImage resolves its paths as Edit-MvImage does' {
    BeforeEach { $work = Enter-TestFolder }
    AfterEach { Pop-Location }

    It 'says FileNotFound for a wildcard that matches nothing, and takes a file whose name only looks like a pattern' {
        Import-MvImage ./nothing*.png -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
        $null = New-MvImage 'a kite' | Save-MvImage -Path './my photo [1].png'
        (Import-MvImage './my photo [1].png').Prompt | Should -Be 'a kite'
    }

    It 'refuses a -LiteralPath of another provider in both cmdlets' {
        Import-MvImage -LiteralPath 'Env:\PATH' -ErrorVariable importErr -ErrorAction SilentlyContinue
        Edit-MvImage 'x' -LiteralPath 'Env:\PATH' -ErrorVariable editErr -ErrorAction SilentlyContinue
        $importErr[0].FullyQualifiedErrorId | Should -BeLike 'NotAFileSystemPath,*'
        $editErr[0].FullyQualifiedErrorId | Should -BeLike 'NotAFileSystemPath,*'
    }
}
