#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# New-MvImage as users type it: positional prompts and pipelines, what is sent, what -WhatIf and -Verbose show,
# and errors caught with try/catch; against the local API stand-in (tests/FakeApi). The rest: NewMvImage.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
    $testKey = $standIn.ApiKey
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'New-MvImage as users type it' {
    Context 'as users type it' {
        BeforeEach {
            $work = Enter-TestFolder
        }

        AfterEach {
            Pop-Location
        }

        It 'takes the prompt as its first positional argument: New-MvImage ''a lighthouse at dawn'' | Save-MvImage' {
            $file = New-MvImage 'a lighthouse at dawn' | Save-MvImage

            $file.Name | Should -Be 'a-lighthouse-at-dawn-1.png'
            Join-Path $work 'a-lighthouse-at-dawn-1.png' | Should -Exist
        }

        It 'takes prompts from the pipeline, one image each, in any order' {
            $images = 'a red kite', 'a blue kite', 'a green kite' | New-MvImage -ThrottleLimit 2

            $images | Should -HaveCount 3
            $images.Prompt | Sort-Object | Should -Be @('a blue kite', 'a green kite', 'a red kite')
        }

        It 'saves a -Size 1536x1024 image as a PNG that is 1536 by 1024' {
            $file = New-MvImage 'a wide valley' -Size 1536x1024 | Save-MvImage

            Get-FileSignature -LiteralPath $file.FullName | Should -Be $pngSignature
            $dimension = Get-PngDimension $file.FullName
            $dimension.Width | Should -Be 1536
            $dimension.Height | Should -Be 1024
        }

        It '-Confirm:$false generates without asking' {
            $image = New-MvImage 'a quiet harbour' -Confirm:$false

            $image | Should -HaveCount 1
            $image.Prompt | Should -Be 'a quiet harbour'
        }
    }

    Context 'what is sent' {
        BeforeEach {
            $null = Get-ModelverseRecordedRequest $standIn
        }

        It 'sends -Size <Size> -Quality <Quality> as size and quality' -ForEach @(
            @{ Size = '1024x1536'; Quality = 'low' }
            @{ Size = '2048x1152'; Quality = 'high' }
            @{ Size = '1536x1024'; Quality = 'medium' }
        ) {
            $null = New-MvImage 'a red kite' -Size $Size -Quality $Quality -BaseUri $standIn.BaseUri

            $sent = @(Get-ModelverseRecordedRequest $standIn)
            $sent | Should -HaveCount 1
            $sent[0].Path | Should -Be '/v1/images/generations'
            $sent[0].Json.prompt | Should -Be 'a red kite'
            $sent[0].Json.size | Should -Be $Size
            $sent[0].Json.quality | Should -Be $Quality
            $sent[0].Json.model | Should -Be 'gpt-image-2'
        }

        It 'sends only the prompt and the model when nothing else is set' {
            $null = New-MvImage 'a red kite' -BaseUri $standIn.BaseUri

            $sent = @(Get-ModelverseRecordedRequest $standIn)
            $sent | Should -HaveCount 1
            @($sent[0].Json.PSObject.Properties.Name) | Sort-Object | Should -Be @('model', 'prompt')
        }

        It 'sends -Count 3 as n = 3 and gets three images' {
            $images = New-MvImage 'three red tulips' -Count 3 -BaseUri $standIn.BaseUri

            $images | Should -HaveCount 3
            $sent = @(Get-ModelverseRecordedRequest $standIn)
            ($sent.Json.n | Measure-Object -Sum).Sum | Should -Be 3
        }

        It 'uses $PSDefaultParameterValues[''New-MvImage:Quality''] when -Quality is not given' {
            $PSDefaultParameterValues['New-MvImage:Quality'] = 'high'
            try {
                $image = New-MvImage 'a red kite' -BaseUri $standIn.BaseUri
            }
            finally {
                $PSDefaultParameterValues.Remove('New-MvImage:Quality')
            }

            $image.Quality | Should -Be 'high'
            (Get-ModelverseRecordedRequest $standIn).Json.quality | Should -Be 'high'
        }

        It 'sends a Chinese prompt as typed' {
            $prompt = -join [char[]](0x4E00, 0x53EA, 0x732B)

            $image = New-MvImage $prompt -BaseUri $standIn.BaseUri

            $image.Prompt | Should -Be $prompt
            (Get-ModelverseRecordedRequest $standIn).Json.prompt | Should -Be $prompt
        }
    }

    Context '-WhatIf and -Verbose show the prompt as typed' {
        BeforeAll {
            $prompt = -join [char[]](0x4E00, 0x53EA, 0x732B)   # "a cat" in Chinese
        }

        It '-WhatIf shows the Chinese prompt itself, not \u escapes, and sends nothing' {
            $before = Get-ModelverseStandInRequestNumber

            $shown = Get-HostText { New-MvImage $prompt -WhatIf }

            $after = Get-ModelverseStandInRequestNumber
            $shown | Should -Match 'What if:'
            $shown | Should -Match ([regex]::Escape($prompt))
            $shown | Should -Not -Match '\\u4E00'
            $after | Should -Be ($before + 1)
        }

        It '-Verbose shows the Chinese prompt itself, not \u escapes' {
            $verbose = @(New-MvImage $prompt -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })

            $verbose | Should -Not -BeNullOrEmpty
            ($verbose.Message -join "`n") | Should -Match ([regex]::Escape($prompt))
            ($verbose.Message -join "`n") | Should -Not -Match '\\u4E00'
        }

        It '-WhatIf shows the size and quality that would be sent' {
            $shown = Get-HostText { New-MvImage 'a quiet harbour' -Size 2048x1152 -Quality high -WhatIf }

            $shown | Should -Match '2048x1152'
            $shown | Should -Match 'high'
            $shown | Should -Not -Match ([regex]::Escape($testKey))
        }
    }

    Context 'errors caught with try/catch and -ErrorAction Stop' {
        It 'a wrong key stops with AuthenticationFailed, and the key is not in $_ | Out-String, Get-Error or the exception' {
            $wrongKey = 'sk-wrong-' + [guid]::NewGuid().ToString('N')
            $caught = $null

            try {
                New-MvImage 'a red kite' -ApiKey $wrongKey -ErrorAction Stop
            }
            catch {
                $caught = $_
                $shown = $_ | Out-String -Width 300
                $exceptionText = $_.Exception.ToString()
            }
            $errorView = Get-Error -Newest 1 | Out-String -Width 300

            $caught.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
            $errorView | Should -Match 'AuthenticationFailed'
            foreach ($text in $shown, $exceptionText, $errorView) {
                $text | Should -Not -BeNullOrEmpty
                $text | Should -Not -Match ([regex]::Escape($wrongKey))
                $text | Should -Not -Match ([regex]::Escape($testKey))
            }
        }

        It 'a missing key stops with MissingApiKey before anything is sent' {
            $savedDefault = $PSDefaultParameterValues['*-MvImage:ApiKey']
            $savedEnv = $env:MODELVERSE_API_KEY
            $PSDefaultParameterValues.Remove('*-MvImage:ApiKey')
            Remove-Item Env:MODELVERSE_API_KEY -ErrorAction Ignore
            try {
                try {
                    New-MvImage 'a red kite' -ErrorAction Stop
                    $reached = $true
                }
                catch {
                    $caught = $_
                }
            }
            finally {
                $PSDefaultParameterValues['*-MvImage:ApiKey'] = $savedDefault
                if ($null -ne $savedEnv) { $env:MODELVERSE_API_KEY = $savedEnv }
            }

            $reached | Should -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'MissingApiKey,*'
            "$caught" | Should -Match 'MODELVERSE_API_KEY'
        }

        It 'the key from $env:MODELVERSE_API_KEY is used when no -ApiKey is given' {
            $savedDefault = $PSDefaultParameterValues['*-MvImage:ApiKey']
            $savedEnv = $env:MODELVERSE_API_KEY
            $PSDefaultParameterValues.Remove('*-MvImage:ApiKey')
            $env:MODELVERSE_API_KEY = $testKey
            try {
                $image = New-MvImage 'a red kite' -ErrorAction Stop
            }
            finally {
                $PSDefaultParameterValues['*-MvImage:ApiKey'] = $savedDefault
                if ($null -ne $savedEnv) { $env:MODELVERSE_API_KEY = $savedEnv } else { Remove-Item Env:MODELVERSE_API_KEY -ErrorAction Ignore }
            }

            $image | Should -HaveCount 1
        }

        It 'a bad -Size is caught as a parameter binding error that names the suggested size' {
            try {
                New-MvImage 'a red kite' -Size 1000x1000 -ErrorAction Stop
                $reached = $true
            }
            catch {
                $caught = $_
            }

            $reached | Should -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*New*MvImage*'
            $caught.Exception | Should -BeOfType ([System.Management.Automation.ParameterBindingException])
            "$caught" | Should -Match '992x992'
        }

        It 'one bad -Size in Import-Csv rows does not stop the good rows' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'a good one'; Size = '1024x1024' }
                [pscustomobject]@{ Prompt = 'a bad one'; Size = '1000x1000' }
                [pscustomobject]@{ Prompt = 'another good one'; Size = '1536x1024' }
            )

            $images = $rows | New-MvImage -ErrorVariable rowErrors -ErrorAction SilentlyContinue

            $images.Prompt | Sort-Object | Should -Be @('a good one', 'another good one')
            $rowErrors | Should -HaveCount 1
            "$($rowErrors[0])" | Should -Match '1000x1000'
        }
    }
}
