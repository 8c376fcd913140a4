#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# User-level scenarios for New-MvImage and Save-MvImage, against the local API stand-in (tests/FakeApi).
# Run with build.ps1 Test (needs pwsh 7.4+, Pester 5 and the .NET SDK).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $standIn = Connect-ModelverseStandIn -ImportModule
    $testKey = $standIn.ApiKey

    # Everything an error record can show: its message, details, target, exception (with inner ones) and
    # every property, so a secret can be looked for in all of it.
    function Get-ErrorRecordText {
        param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $ErrorRecord)
        @(
            $ErrorRecord.ToString()
            $ErrorRecord.FullyQualifiedErrorId
            $ErrorRecord.CategoryInfo.ToString()
            [string]$ErrorRecord.TargetObject
            $ErrorRecord.ErrorDetails.Message
            $ErrorRecord.ErrorDetails.RecommendedAction
            $ErrorRecord.Exception.ToString()
            $ErrorRecord.ScriptStackTrace
            $ErrorRecord | Format-List -Property * -Force | Out-String -Width 4096
            $ErrorRecord.Exception | Format-List -Property * -Force | Out-String -Width 4096
        ) -join [Environment]::NewLine
    }
}

AfterAll {
    Disconnect-ModelverseStandIn $standIn
}

Describe 'New-MvImage' {
    Context 'generating and saving' {
        It 'saves a generated image as a PNG named after the prompt' {
            $file = New-MvImage -Prompt 'a beautiful flower' -Size 1024x1024 -Quality high | Save-MvImage -Directory TestDrive:\out

            $file | Should -HaveCount 1
            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.Name | Should -Be 'a-beautiful-flower-1.png'
            $file.Directory.Name | Should -Be 'out'
            $file.FullName | Should -Exist
            Get-FileSignature -LiteralPath $file.FullName | Should -Be $pngSignature
        }

        It 'describes the image it made' {
            $image = New-MvImage -Prompt 'a beautiful flower' -Size 1024x1024 -Quality high

            $image | Should -HaveCount 1
            $image.GetType().FullName | Should -Be 'ModelverseImage.Output.MvImage'
            $image.Format | Should -Be 'png'
            $image.Width | Should -Be 1024
            $image.Height | Should -Be 1024
            $image.Size | Should -Be '1024x1024'
            $image.Quality | Should -Be 'high'
            $image.Prompt | Should -Be 'a beautiful flower'
            $image.Index | Should -Be 1
            $image.Length | Should -Be $image.Bytes.Length
            [System.BitConverter]::ToString($image.Bytes, 0, 8) | Should -Be $pngSignature
            $image.Usage.TotalTokens | Should -BeGreaterThan 0
            $image.RequestId | Should -Match '^req_\d+$'
            $image.SourcePath | Should -BeNullOrEmpty
            $image.Path | Should -BeNullOrEmpty
        }

        It '-Count 3 gives three files' {
            $dir = Join-Path $TestDrive 'three'

            $files = New-MvImage -Prompt 'three red tulips' -Count 3 | Save-MvImage -Directory $dir

            $files | Should -HaveCount 3
            $files.Name | Sort-Object | Should -Be @('three-red-tulips-1.png', 'three-red-tulips-2.png', 'three-red-tulips-3.png')
            Get-ChildItem -LiteralPath $dir -File | Should -HaveCount 3
            foreach ($file in $files) {
                Get-FileSignature -LiteralPath $file.FullName | Should -Be $pngSignature
            }
        }
    }

    Context 'Save-MvImage never overwrites without -Force' {
        BeforeAll {
            $image = New-MvImage -Prompt 'a beautiful flower'
            # What Save-MvImage writes for this image: its bytes with the XMP record, the same at every save.
            $imageHash = Get-TestSha256 -LiteralPath ($image | Save-MvImage -Directory (Join-Path $TestDrive 'reference')).FullName
        }

        It 'a second save of the same name creates "name (2).png"' {
            $dir = Join-Path $TestDrive 'twice'

            $first = $image | Save-MvImage -Directory $dir
            $second = $image | Save-MvImage -Directory $dir

            $first.Name | Should -Be 'a-beautiful-flower-1.png'
            $second.Name | Should -Be 'a-beautiful-flower-1 (2).png'
            Get-ChildItem -LiteralPath $dir -File | Should -HaveCount 2
            Get-TestSha256 -LiteralPath $first.FullName | Should -Be $imageHash
            Get-TestSha256 -LiteralPath $second.FullName | Should -Be $imageHash
        }

        It '-Force in a folder replaces the file of the same name' {
            $dir = Join-Path $TestDrive 'forced'
            $null = New-Item -ItemType Directory -Path $dir
            Set-Content -LiteralPath (Join-Path $dir 'a-beautiful-flower-1.png') -Value 'old content' -NoNewline

            $file = $image | Save-MvImage -Directory $dir -Force

            $file.Name | Should -Be 'a-beautiful-flower-1.png'
            Get-ChildItem -LiteralPath $dir -File | Should -HaveCount 1
            Get-TestSha256 -LiteralPath $file.FullName | Should -Be $imageHash
        }

        It '-Path to an existing file gives FileExists and leaves the file alone' {
            $path = Join-Path $TestDrive 'existing.png'
            Set-Content -LiteralPath $path -Value 'keep me' -NoNewline

            $result = $image | Save-MvImage -Path $path -ErrorVariable saveErrors -ErrorAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            $saveErrors | Should -HaveCount 1
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
            $saveErrors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
            Get-Content -LiteralPath $path -Raw | Should -Be 'keep me'
        }

        It '-Path with -Force overwrites the existing file' {
            $path = Join-Path $TestDrive 'replaced.png'
            Set-Content -LiteralPath $path -Value 'replace me' -NoNewline

            $file = $image | Save-MvImage -Path $path -Force

            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.FullName | Should -Be (Get-Item -LiteralPath $path).FullName
            Get-TestSha256 -LiteralPath $path | Should -Be $imageHash
        }
    }

    Context '-WhatIf' {
        It 'New-MvImage -WhatIf sends nothing and nothing is written' {
            $dir = Join-Path $TestDrive 'whatif-new'
            $before = Get-ModelverseStandInRequestNumber

            $result = New-MvImage -Prompt 'a beautiful flower' -WhatIf | Save-MvImage -Directory $dir

            $after = Get-ModelverseStandInRequestNumber
            $result | Should -BeNullOrEmpty
            $after | Should -Be ($before + 1) -Because 'only the second probe request may reach the API'
            $dir | Should -Not -Exist
        }

        It 'Save-MvImage -WhatIf creates no folder and writes no file' {
            $image = New-MvImage -Prompt 'a beautiful flower'
            $missing = Join-Path $TestDrive 'whatif-missing'
            $existing = Join-Path $TestDrive 'whatif-existing'
            $null = New-Item -ItemType Directory -Path $existing

            $intoMissing = $image | Save-MvImage -Directory $missing -WhatIf
            $intoExisting = $image | Save-MvImage -Directory $existing -WhatIf
            $toPath = $image | Save-MvImage -Path (Join-Path $existing 'named.png') -WhatIf

            $intoMissing | Should -BeNullOrEmpty
            $intoExisting | Should -BeNullOrEmpty
            $toPath | Should -BeNullOrEmpty
            $missing | Should -Not -Exist
            Get-ChildItem -LiteralPath $existing -Force | Should -BeNullOrEmpty
        }
    }

    Context 'sizes the model refuses' {
        It 'fails at parameter binding for -Size <Size>' -ForEach @(
            @{ Size = '1000x1000' }   # not multiples of 16
            @{ Size = '512x512' }     # too few pixels
            @{ Size = '3840x1264' }   # wider than 3:1
            @{ Size = 'big' }         # not a size at all
        ) {
            $thrown = { New-MvImage -Prompt 'a beautiful flower' -Size $Size } |
                Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -PassThru

            $thrown.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            $thrown.Exception.Message | Should -BeLike "*'Size'*"
            $thrown.Exception.Message | Should -BeLike "*$Size*"
        }

        It 'suggests the nearest valid size' {
            $thrown = { New-MvImage -Prompt 'a beautiful flower' -Size 1000x1000 } | Should -Throw -PassThru
            $thrown.Exception.Message | Should -BeLike '*992x992*'
        }
    }

    Context 'a wrong API key' {
        It 'gives AuthenticationFailed, and the key passed as a <Form> appears nowhere in the error' -ForEach @(
            @{ Form = 'string' }
            @{ Form = 'SecureString' }
        ) {
            $wrongKey = 'sk-wrong-' + [guid]::NewGuid().ToString('N')
            $apiKey = if ($Form -eq 'SecureString') { ConvertTo-SecureString -String $wrongKey -AsPlainText -Force } else { $wrongKey }

            $images = New-MvImage -Prompt 'a beautiful flower' -ApiKey $apiKey -MaximumRetryCount 0 -ErrorVariable authErrors -ErrorAction SilentlyContinue

            $images | Should -BeNullOrEmpty
            $authErrors | Should -HaveCount 1
            $authError = $authErrors[0]
            $authError.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
            $authError.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::AuthenticationError)
            $authError.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty

            $text = Get-ErrorRecordText -ErrorRecord $authError
            $text | Should -Not -BeNullOrEmpty
            $text | Should -Not -Match ([regex]::Escape($wrongKey))
            $text | Should -Not -Match ([regex]::Escape($testKey))
        }
    }

    Context 'no API key at all' {
        BeforeAll {
            # Taken away for this context only, and put back in AfterAll.
            $savedDefaultKey = $PSDefaultParameterValues['*-MvImage:ApiKey']
            $savedEnvKey = $env:MODELVERSE_API_KEY
            $PSDefaultParameterValues.Remove('*-MvImage:ApiKey')
            Remove-Item -Path Env:MODELVERSE_API_KEY -ErrorAction Ignore
        }

        AfterAll {
            if ($null -ne $savedDefaultKey) { $PSDefaultParameterValues['*-MvImage:ApiKey'] = $savedDefaultKey }
            if ($null -ne $savedEnvKey) { $env:MODELVERSE_API_KEY = $savedEnvKey }
        }

        It 'gives MissingApiKey' {
            $thrown = { New-MvImage -Prompt 'a beautiful flower' } | Should -Throw -ErrorId 'MissingApiKey,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::AuthenticationError)
            $thrown.Exception.Message | Should -BeLike '*MODELVERSE_API_KEY*'
        }

        It 'still allows -WhatIf, which sends nothing' {
            { New-MvImage -Prompt 'a beautiful flower' -WhatIf } | Should -Not -Throw
        }
    }

    Context 'rows from Import-Csv' {
        It 'binds Prompt, Size, Quality and Count from each row' {
            $csv = Join-Path $TestDrive 'prompts.csv'
            @(
                'Prompt,Size,Quality,Count'
                'a red apple,1024x1024,low,1'
                '"a blue car, parked",1536x1024,medium,2'
            ) | Set-Content -LiteralPath $csv -Encoding utf8

            $images = Import-Csv -LiteralPath $csv | New-MvImage

            $images | Should -HaveCount 3
            $apple = @($images | Where-Object Prompt -EQ 'a red apple')
            $apple | Should -HaveCount 1
            $apple[0].Size | Should -Be '1024x1024'
            $apple[0].Quality | Should -Be 'low'
            $apple[0].Width | Should -Be 1024
            $apple[0].Height | Should -Be 1024

            $cars = @($images | Where-Object Prompt -EQ 'a blue car, parked' | Sort-Object Index)
            $cars | Should -HaveCount 2
            $cars.Index | Should -Be @(1, 2)
            $cars.Size | Should -Be @('1536x1024', '1536x1024')
            $cars.Quality | Should -Be @('medium', 'medium')
            $cars.Width | Should -Be @(1536, 1536)
            $cars.Height | Should -Be @(1024, 1024)

            $files = $images | Save-MvImage -Directory (Join-Path $TestDrive 'from-csv')
            $files.Name | Sort-Object | Should -Be @('a-blue-car-parked-1.png', 'a-blue-car-parked-2.png', 'a-red-apple-1.png')
        }

        It 'a row without a Prompt column (a misspelt header) is not sent as text' {
            $before = Get-ModelverseStandInRequestNumber
            $rows = 'Promt,Size', 'a red apple,1024x1024' | ConvertFrom-Csv

            { $rows | New-MvImage -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectMissingMandatory,ModelverseImage.Commands.NewMvImageCommand'

            Get-ModelverseStandInRequestNumber | Should -Be ($before + 1) -Because 'only the second probe reached the stand-in'
        }
    }

    Context 'when the API is slow or failing' {
        BeforeAll {
            $slow = Start-ModelverseStandIn -ApiKey $testKey -DelayMs 5000
            $faulty = Start-ModelverseStandIn -ApiKey $testKey -FaultRate 1
        }

        AfterAll {
            Stop-ModelverseStandIn $slow
            Stop-ModelverseStandIn $faulty
        }

        It 'gives AnswerLost (OperationTimeout) when -TimeoutSec runs out after the request was sent' {
            $images = New-MvImage -Prompt 'a beautiful flower' -BaseUri $slow.BaseUri -TimeoutSec 1 -MaximumRetryCount 0 -ErrorVariable slowErrors -ErrorAction SilentlyContinue

            $images | Should -BeNullOrEmpty
            $slowErrors | Should -HaveCount 1
            $slowErrors[0].FullyQualifiedErrorId | Should -BeLike 'AnswerLost,*'
            $slowErrors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
        }

        It 'reports each failed prompt when the API fails and retries are off' {
            $prompts = 'first prompt', 'second prompt', 'third prompt'

            $images = $prompts | New-MvImage -BaseUri $faulty.BaseUri -MaximumRetryCount 0 -ErrorVariable faultErrors -ErrorAction SilentlyContinue

            $images | Should -BeNullOrEmpty
            $faultErrors | Should -HaveCount 3
            foreach ($faultError in $faultErrors) {
                ($faultError.FullyQualifiedErrorId -split ',')[0] | Should -BeIn @('ServerError', 'RateLimited', 'ConnectionFailed', 'AnswerLost')
            }
            $faultErrors.TargetObject | Sort-Object | Should -Be ($prompts | Sort-Object)
        }
    }
}
