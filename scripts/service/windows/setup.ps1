<#
.SYNOPSIS
    Set up Saring on one Windows PC (first install or upgrade), without internet access.

.DESCRIPTION
    Everything docs/deploy.md section 7 ("Worked example") does on a Windows PC, in one run, as
    administrator. Run it again with a newer bundle to upgrade; it is safe to run twice.

      1. Python: uses CPython 3.12 or 3.11 (64-bit) through the py launcher; when there is none,
         installs it silently from -PythonInstaller (the python.org installer).
      2. Stops the Saring servers that are running (every logged-on user's), so that pip can
         replace files they hold open; they come back by themselves (step 6).
      3. Installs or upgrades Saring into -VenvDir from the offline bundle (pip --no-index).
      4. Checks -Config with `saring config check` and installs it as the machine-wide
         configuration %ProgramData%\Saring\saring.toml (only when it is valid).
      5. Registers the logon task for all users and puts `saring` on the machine PATH
         (install.ps1 -AllUsers).
      6. Users already logged on: the task's 5-minute repetition starts their server again within
         5 minutes, now the new version; users who log on later get it at logon.
      7. Browser policies (HKLM): force-installs the extension from the Chrome Web Store and from
         Edge Add-ons with the ids in chrome-policy.json / edge-policy.json, and writes their
         managed settings ("3rdparty"). Other extensions' entries in ExtensionSettings are kept.
         Firefox: with -FirefoxXpi, copies the signed xpi and points policies.json at it.
         Optional: -ChromeEnrollmentToken (Chrome Enterprise Core, formerly Chrome Browser Cloud
         Management) and -EdgeEnrollmentToken (Microsoft Edge management service).
      8. Checks that every extension id it force-installs is allowed by the server
         ([server] extension_ids); warns otherwise.
      9. With -SyncConfigFrom: a task running as SYSTEM copies saring.toml from that folder daily
         and at startup ("\Saring\Saring config sync").
     10. Records what it set in %ProgramData%\Saring\install-record.json, for uninstall.ps1.

    Run it under the default execution policy with:
        powershell -ExecutionPolicy Bypass -File \\server\share\setup.ps1 ...
    A script copied from a share or downloaded may carry the "downloaded from the internet" mark:
    Unblock-File .\setup.ps1 (and the bundle's service\windows\*.ps1) removes it.

.PARAMETER Bundle
    The unpacked offline bundle (the folder holding bundle.json and the *.whl files). Default: the
    bundle this script is in, else the newest saring-bundle-* folder next to this script.
.PARAMETER Config
    The organisation's saring.toml to install as machine-wide configuration. Default: saring.toml
    next to this script, if there is one; otherwise the machine's current file is kept (a first
    install without one starts from the bundle's config\saring.example.toml).
.PARAMETER PythonInstaller
    python.org installer (python-3.12.x-amd64.exe) used only when no Python 3.12/3.11 64-bit is
    found. Default: the newest python-3.1[12].*-amd64.exe next to this script.
.PARAMETER VenvDir
    Where Saring's Python environment goes. Default: C:\Program Files\Saring\venv.
.PARAMETER ChromePolicy
    Chrome policy file (JSON, the same file Linux machines use as a managed policy). Default:
    chrome-policy.json next to this script, else the bundle's service\policies\chrome-policy.json.
.PARAMETER EdgePolicy
    Edge policy file. Default: edge-policy.json next to this script, else the bundle's.
.PARAMETER FirefoxPolicy
    Firefox policies.json template for the managed settings. Default: firefox-policies.json next to
    this script, else the bundle's.
.PARAMETER FirefoxXpi
    The Mozilla-signed Saring xpi. Copied to C:\Program Files\Saring\extension\ under its own
    (versioned) file name; Firefox's policies.json is pointed at it, so a new version updates
    Firefox at its next start. Without it, Firefox is left alone.
.PARAMETER NoBrowserPolicy
    Do not write any browser policy.
.PARAMETER ChromeEnrollmentToken
    Enrolment token of Chrome Enterprise Core (Google Admin console); makes Chrome a managed
    browser without a domain.
.PARAMETER EdgeEnrollmentToken
    Profile id of a Microsoft Edge management service configuration profile (Microsoft 365 admin
    center); applied when users sign in to Edge with their work account.
.PARAMETER SyncConfigFrom
    A folder (usually a share) holding saring.toml; a SYSTEM task copies it daily and at startup.
.PARAMETER SyncTime
    Time of the daily copy (HH:mm). Default 07:00.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File \\fileserver\it\saring\setup.ps1 -SyncConfigFrom \\fileserver\it\saring
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\setup.ps1 -WhatIf
.NOTES
    Exit codes: 0 done, 1 failed (the message says which step), 2 a file given is missing or
    invalid. Undo: service\windows\uninstall.ps1. Help: Get-Help .\setup.ps1 -Detailed
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Bundle,
    [string]$Config,
    [string]$PythonInstaller,
    [string]$VenvDir = (Join-Path $env:ProgramFiles 'Saring\venv'),
    [string]$ChromePolicy,
    [string]$EdgePolicy,
    [string]$FirefoxPolicy,
    [string]$FirefoxXpi,
    [switch]$NoBrowserPolicy,
    [string]$ChromeEnrollmentToken,
    [string]$EdgeEnrollmentToken,
    [string]$SyncConfigFrom,
    [ValidatePattern('^([01][0-9]|2[0-3]):[0-5][0-9]$')][string]$SyncTime = '07:00'
)

# A 32-bit PowerShell on 64-bit Windows (some RMM agents start one) sees "C:\Program Files (x86)"
# and a redirected HKLM\SOFTWARE (WOW6432Node), where the browsers never look for policies:
# start this script again in the 64-bit PowerShell, with the same parameters.
if ($env:PROCESSOR_ARCHITEW6432 -eq 'AMD64') {
    # -Command, not -File: -File cannot pass a list (-ExtensionId a, b) to the script
    function Quote([string]$Text) { "'" + $Text.Replace("'", "''") + "'" }
    $call = '& ' + (Quote $PSCommandPath)
    foreach ($entry in $PSBoundParameters.GetEnumerator()) {
        if ($entry.Value -is [System.Management.Automation.SwitchParameter]) {
            if ($entry.Value.IsPresent) { $call += " -$($entry.Key)" }
        } else {
            $call += " -$($entry.Key) " + ((@($entry.Value) | ForEach-Object { Quote ([string]$_) }) -join ',')
        }
    }
    if ($WhatIfPreference) { $call += ' -WhatIf' }
    $call += '; exit $LASTEXITCODE'
    & (Join-Path $env:SystemRoot 'sysnative\WindowsPowerShell\v1.0\powershell.exe') -NoProfile -ExecutionPolicy Bypass -Command $call
    exit $LASTEXITCODE
}

$ErrorActionPreference = 'Stop'
$Here = $PSScriptRoot
$MachineDir = Join-Path $env:ProgramData 'Saring'
$SaringDir = Join-Path $env:ProgramFiles 'Saring'
$RecordPath = Join-Path $MachineDir 'install-record.json'
$ExtensionIdPattern = '^[a-p]{32}$'
$FirefoxId = 'saring@saring.id'
$Browsers = @(
    @{ Name = 'Chrome'; Key = 'HKLM:\SOFTWARE\Policies\Google\Chrome'; File = 'chrome-policy.json';
       UpdateUrl = 'https://clients2.google.com/service/update2/crx'; TokenValue = 'CloudManagementEnrollmentToken' },
    @{ Name = 'Edge'; Key = 'HKLM:\SOFTWARE\Policies\Microsoft\Edge'; File = 'edge-policy.json';
       UpdateUrl = 'https://edge.microsoft.com/extensionwebstorebase/v1/crx'; TokenValue = 'EdgeManagementEnrollmentToken' }
)

function Fail([string]$Message, [int]$Code = 1) {
    Write-Error -Message "setup: $Message" -ErrorAction Continue
    exit $Code
}
function Step([string]$Message) { Write-Output "== $Message" }
function Ensure-Key([string]$Key) {
    # New-Item -Force on a registry key that exists would empty it (every other policy gone):
    # create it only when it is missing.
    if (-not (Test-Path -LiteralPath $Key)) { New-Item -Path $Key -Force | Out-Null }
}

function Find-Default([string]$Name) {
    # next to this script (the share), then in the bundle's service\policies folder
    foreach ($candidate in @((Join-Path $Here $Name), (Join-Path $Here "..\policies\$Name"))) {
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return (Resolve-Path -LiteralPath $candidate).Path }
    }
    return $null
}

function Get-BundleVersion([string]$Name) {
    # saring-bundle-0.10.0 is newer than saring-bundle-0.9.2: compare versions, not text
    $text = ($Name -replace '^saring-bundle-', '') -replace '[^0-9.].*$', ''
    try { return [version]$text } catch { return [version]'0.0' }
}

function Find-Bundle {
    $inside = Join-Path $Here '..\..'
    if (Test-Path -LiteralPath (Join-Path $inside 'bundle.json')) { return (Resolve-Path -LiteralPath $inside).Path }
    $found = Get-ChildItem -LiteralPath $Here -Directory -Filter 'saring-bundle-*' -ErrorAction SilentlyContinue |
        Where-Object { Test-Path -LiteralPath (Join-Path $_.FullName 'bundle.json') } |
        Sort-Object -Property @{ Expression = { Get-BundleVersion $_.Name } } -Descending | Select-Object -First 1
    if ($found) { return $found.FullName }
    return $null
}

function Find-Python {
    # The py launcher (installed with Include_launcher=1) knows every registered Python.
    $py = Get-Command py.exe -ErrorAction SilentlyContinue
    $launcher = if ($py) { $py.Source } else { Join-Path $env:SystemRoot 'py.exe' }
    if (-not (Test-Path -LiteralPath $launcher -PathType Leaf)) { return $null }
    foreach ($version in @('3.12', '3.11')) {
        # (no quotes inside the code: Windows PowerShell 5.1 mangles them on a native command line)
        $exe = & $launcher "-$version" -c 'import sys; print(sys.executable if sys.maxsize > 2**32 else str())' 2>$null
        if ($LASTEXITCODE -eq 0 -and $exe -and (Test-Path -LiteralPath $exe.Trim() -PathType Leaf)) { return $exe.Trim() }
    }
    return $null
}

function Stop-SaringServers([string]$Venv) {
    # Every user's server started by the logon task: pythonw.exe from this venv running
    # `-m server serve`. On Windows a venv's pythonw.exe is a small launcher that starts the base
    # interpreter as its child: the child is the server (it holds the port and the venv's files),
    # so the children go first, then the launchers.
    $prefix = [System.IO.Path]::GetFullPath($Venv).TrimEnd('\') + '\'
    $all = @(Get-CimInstance -ClassName Win32_Process -Filter "Name = 'pythonw.exe' OR Name = 'python.exe'")
    $launchers = @($all | Where-Object { $_.ExecutablePath -and $_.CommandLine -match '-m server serve' -and
        $_.ExecutablePath.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) })
    $ids = @($launchers | ForEach-Object { $_.ProcessId })
    $children = @($all | Where-Object { $ids -contains $_.ParentProcessId })
    foreach ($p in @($children) + @($launchers)) {
        if ($PSCmdlet.ShouldProcess("process $($p.ProcessId) ($($p.ExecutablePath))", 'stop the running Saring server')) {
            Stop-Process -Id $p.ProcessId -Force -ErrorAction SilentlyContinue
        }
    }
    return @($launchers).Count   # one per user whose server ran
}

function Read-PolicyFile([string]$Path, [string]$Browser) {
    try {
        $policy = Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json
    } catch {
        Fail "$Path is not valid JSON: $($_.Exception.Message)" 2
    }
    if (-not $policy.ExtensionSettings) { Fail "$Path has no ExtensionSettings" 2 }
    foreach ($prop in $policy.ExtensionSettings.PSObject.Properties) {
        if ($prop.Name -cnotmatch $ExtensionIdPattern) {
            Fail ("${Path}: '$($prop.Name)' is not a $Browser extension id (32 letters a to p). Put the id of " +
                  "Saring's store listing there (the last part of the listing's address), and add the same id to " +
                  "[server] extension_ids in saring.toml. See deploy.md, 'Store ids'.") 2
        }
    }
    return $policy
}

function ConvertTo-RegistryValue($Value) {
    # Chrome/Edge read extension policies from the registry: strings as REG_SZ, booleans and
    # integers as REG_DWORD, lists and objects as a JSON string.
    if ($Value -is [bool]) { return @{ Type = 'DWord'; Data = [int]$Value } }
    if ($Value -is [int] -or $Value -is [long]) { return @{ Type = 'DWord'; Data = [int]$Value } }
    if ($Value -is [string]) { return @{ Type = 'String'; Data = $Value } }
    return @{ Type = 'String'; Data = (ConvertTo-Json -InputObject $Value -Depth 10 -Compress) }
}

function Set-BrowserPolicy($Browser, $Policy) {
    $key = $Browser.Key
    $ids = @($Policy.ExtensionSettings.PSObject.Properties | ForEach-Object { $_.Name })
    if (-not $PSCmdlet.ShouldProcess("$key\ExtensionSettings", "force-install $($ids -join ', ') from the store")) { return $ids }
    Ensure-Key $key
    # Merge into the ExtensionSettings already there: other extensions' entries stay.
    $current = (Get-ItemProperty -LiteralPath $key -Name ExtensionSettings -ErrorAction SilentlyContinue).ExtensionSettings
    $merged = New-Object PSObject
    if ($current) {
        try {
            $old = $current | ConvertFrom-Json
            foreach ($prop in $old.PSObject.Properties) { $merged | Add-Member -NotePropertyName $prop.Name -NotePropertyValue $prop.Value -Force }
        } catch {
            Write-Warning "$key\ExtensionSettings held invalid JSON; it is replaced"
        }
    }
    foreach ($prop in $Policy.ExtensionSettings.PSObject.Properties) {
        $merged | Add-Member -NotePropertyName $prop.Name -NotePropertyValue $prop.Value -Force
    }
    Set-ItemProperty -LiteralPath $key -Name ExtensionSettings -Value (ConvertTo-Json -InputObject $merged -Depth 10 -Compress) -Type String
    # Managed settings of the extension (extension/managed_schema.json)
    $third = $Policy.'3rdparty'
    if ($third -and $third.extensions) {
        foreach ($ext in $third.extensions.PSObject.Properties) {
            $policyKey = "$key\3rdparty\extensions\$($ext.Name)\policy"
            # Saring's own key: replaced whole, so a setting dropped from the file goes away too
            if (Test-Path -LiteralPath $policyKey) { Remove-Item -LiteralPath $policyKey -Recurse -Force }
            Ensure-Key $policyKey
            foreach ($setting in $ext.Value.PSObject.Properties) {
                $reg = ConvertTo-RegistryValue $setting.Value
                New-ItemProperty -LiteralPath $policyKey -Name $setting.Name -Value $reg.Data -PropertyType $reg.Type -Force | Out-Null
            }
        }
    }
    Write-Host "$($Browser.Name): force-installs $($ids -join ', ') ($key)"
    return $ids
}

function Set-FirefoxPolicy([string]$Template, [string]$Xpi) {
    $firefoxDir = @((Join-Path $env:ProgramFiles 'Mozilla Firefox'), (Join-Path ${env:ProgramFiles(x86)} 'Mozilla Firefox')) |
        Where-Object { $_ -and (Test-Path -LiteralPath (Join-Path $_ 'firefox.exe')) } | Select-Object -First 1
    if (-not $firefoxDir) { Write-Host 'Firefox: not installed, skipped'; return $null }
    $extDir = Join-Path $SaringDir 'extension'
    $name = Split-Path -Leaf $Xpi
    $target = Join-Path $extDir $name
    if (-not $PSCmdlet.ShouldProcess("$firefoxDir\distribution\policies.json", "force-install $name")) { return $null }
    New-Item -ItemType Directory -Force -Path $extDir | Out-Null
    Copy-Item -LiteralPath $Xpi -Destination $target -Force
    # older xpi files are no longer referenced once policies.json names the new one
    Get-ChildItem -LiteralPath $extDir -Filter '*.xpi' | Where-Object { $_.Name -ne $name } | Remove-Item -Force
    $url = 'file:///' + ($target -replace '\\', '/' -replace ' ', '%20')
    $template = Get-Content -LiteralPath $Template -Raw -Encoding UTF8 | ConvertFrom-Json
    $entry = $template.policies.ExtensionSettings.$FirefoxId
    $entry | Add-Member -NotePropertyName install_url -NotePropertyValue $url -Force
    $policyFile = Join-Path $firefoxDir 'distribution\policies.json'
    $doc = $null
    if (Test-Path -LiteralPath $policyFile) {
        try { $doc = Get-Content -LiteralPath $policyFile -Raw -Encoding UTF8 | ConvertFrom-Json } catch { Fail "$policyFile is not valid JSON; fix it first" 1 }
    }
    if (-not $doc) { $doc = New-Object PSObject }
    if (-not $doc.policies) { $doc | Add-Member -NotePropertyName policies -NotePropertyValue (New-Object PSObject) -Force }
    if (-not $doc.policies.ExtensionSettings) { $doc.policies | Add-Member -NotePropertyName ExtensionSettings -NotePropertyValue (New-Object PSObject) -Force }
    $doc.policies.ExtensionSettings | Add-Member -NotePropertyName $FirefoxId -NotePropertyValue $entry -Force
    $managed = $template.policies.'3rdparty'.Extensions.$FirefoxId
    if ($managed) {
        if (-not $doc.policies.'3rdparty') { $doc.policies | Add-Member -NotePropertyName '3rdparty' -NotePropertyValue (New-Object PSObject) -Force }
        if (-not $doc.policies.'3rdparty'.Extensions) { $doc.policies.'3rdparty' | Add-Member -NotePropertyName Extensions -NotePropertyValue (New-Object PSObject) -Force }
        $doc.policies.'3rdparty'.Extensions | Add-Member -NotePropertyName $FirefoxId -NotePropertyValue $managed -Force
    }
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $policyFile) | Out-Null
    $json = ConvertTo-Json -InputObject $doc -Depth 20
    [System.IO.File]::WriteAllText($policyFile, $json, (New-Object System.Text.UTF8Encoding($false)))
    Write-Host "Firefox: force-installs $name ($policyFile)"
    return $policyFile
}

function Get-AllowedExtensionIds([string]$Saring) {
    # What the server accepts: `saring config show` prints the merged configuration as JSON after
    # its '#' source lines; without [server] extension_ids the default (Saring's own id) applies.
    $lines = & $Saring config show 2>$null
    if ($LASTEXITCODE -ne 0) { return $null }
    $json = ($lines | Where-Object { $_ -notmatch '^\s*#' }) -join "`n"
    try { $merged = $json | ConvertFrom-Json } catch { return $null }
    if ($merged.server -and $merged.server.extension_ids) { return @($merged.server.extension_ids) }
    return @('ldjhkggihnbfhglcndojbckekmpmlmff')
}

# ------------------------------------------------------------------------------------ main
try {
    $isAdmin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
    if (-not $isAdmin -and -not $WhatIfPreference) { Fail 'run it as administrator (PowerShell: Run as administrator).' 1 }

    if (-not $Bundle) { $Bundle = Find-Bundle }
    if (-not $Bundle -or -not (Test-Path -LiteralPath (Join-Path $Bundle 'bundle.json'))) {
        Fail "no offline bundle found (a folder with bundle.json). Give -Bundle <unpacked saring-bundle-x.y.z folder>." 2
    }
    $Bundle = (Resolve-Path -LiteralPath $Bundle).Path
    if (-not $Config) { $Config = Find-Default 'saring.toml' }
    if ($Config -and -not (Test-Path -LiteralPath $Config -PathType Leaf)) { Fail "configuration file '$Config' not found" 2 }
    if (-not $PythonInstaller) {
        $found = Get-ChildItem -LiteralPath $Here -Filter 'python-3.1*-amd64.exe' -ErrorAction SilentlyContinue |
            Where-Object { $_.Name -match '^python-3\.1[12]\.\d+-amd64\.exe$' } | Sort-Object -Property Name -Descending | Select-Object -First 1
        if ($found) { $PythonInstaller = $found.FullName }
    }
    if (-not $NoBrowserPolicy) {
        if (-not $ChromePolicy) { $ChromePolicy = Find-Default 'chrome-policy.json' }
        if (-not $EdgePolicy) { $EdgePolicy = Find-Default 'edge-policy.json' }
        if (-not $FirefoxPolicy) { $FirefoxPolicy = Find-Default 'firefox-policies.json' }
        if ($FirefoxXpi -and -not (Test-Path -LiteralPath $FirefoxXpi -PathType Leaf)) { Fail "Firefox xpi '$FirefoxXpi' not found" 2 }
        # read and check them before changing anything on the machine
        $policies = @{}
        foreach ($b in $Browsers) {
            $file = if ($b.Name -eq 'Chrome') { $ChromePolicy } else { $EdgePolicy }
            if ($file) { $policies[$b.Name] = Read-PolicyFile $file $b.Name }
        }
    }
    $record = [ordered]@{ venv = $VenvDir; shim_dir = (Join-Path $SaringDir 'bin'); browsers = [ordered]@{}; firefox_policy = $null; sync_task = $null }

    # 1. Python
    Step '1/9 Python'
    $python = Find-Python
    if (-not $python) {
        if (-not $PythonInstaller) { Fail 'no Python 3.12 or 3.11 (64-bit) here, and no python-3.12.x-amd64.exe next to this script (-PythonInstaller).' 1 }
        if ($PSCmdlet.ShouldProcess($PythonInstaller, 'install Python for all users')) {
            $p = Start-Process -FilePath $PythonInstaller -ArgumentList '/quiet', 'InstallAllUsers=1', 'PrependPath=0', 'Include_launcher=1' -Wait -PassThru
            if ($p.ExitCode -ne 0) { Fail "the Python installer exited with $($p.ExitCode)" 1 }
            $python = Find-Python
            if (-not $python) { Fail 'Python was installed but the py launcher does not find it' 1 }
        }
    }
    Write-Output "Python: $python"

    # 2. stop running servers (they hold files pip must replace)
    Step '2/9 stopping running Saring servers'
    $saringExe = Join-Path $VenvDir 'Scripts\saring.exe'
    $before = $null
    if (Test-Path -LiteralPath $saringExe) { $before = (& $saringExe --version 2>$null) -join ' ' }
    $stopped = Stop-SaringServers $VenvDir
    Write-Output "stopped $stopped running server(s)"

    # 3. Saring from the bundle
    Step "3/9 Saring from $Bundle"
    if ($PSCmdlet.ShouldProcess($VenvDir, 'install or upgrade Saring (pip --no-index)')) {
        if (-not (Test-Path -LiteralPath (Join-Path $VenvDir 'Scripts\python.exe'))) {
            & $python -m venv $VenvDir
            if ($LASTEXITCODE -ne 0) { Fail "python -m venv $VenvDir failed" 1 }
        }
        & (Join-Path $VenvDir 'Scripts\python.exe') -m pip install --upgrade --no-index --find-links $Bundle saring
        if ($LASTEXITCODE -ne 0) { Fail "pip install from $Bundle failed (is this machine's Python in the bundle? build_bundle.py --check)" 1 }
        $after = (& $saringExe --version) -join ' '
        if ($before -and $before -ne $after) { Write-Output "upgraded: $before -> $after" } else { Write-Output "installed: $after" }
    }

    # 4. machine-wide configuration
    Step '4/9 configuration'
    New-Item -ItemType Directory -Force -Path $MachineDir | Out-Null
    $machineConfig = Join-Path $MachineDir 'saring.toml'
    if (-not $Config -and -not (Test-Path -LiteralPath $machineConfig)) { $Config = Join-Path $Bundle 'config\saring.example.toml' }
    if ($Config) {
        if (Test-Path -LiteralPath $saringExe) {
            & $saringExe config check $Config
            if ($LASTEXITCODE -ne 0) { Fail "$Config is not valid (saring config check above); nothing else was changed after step 3" 2 }
        }
        if ($PSCmdlet.ShouldProcess($machineConfig, "copy $Config")) {
            # copy then rename: a running server never reads half a file
            $tmp = Join-Path $MachineDir '.saring.toml.new'
            Copy-Item -LiteralPath $Config -Destination $tmp -Force
            Move-Item -LiteralPath $tmp -Destination $machineConfig -Force
            Write-Output "machine configuration: $machineConfig"
        }
    } else {
        Write-Output "machine configuration kept: $machineConfig"
    }

    # 5. logon task for all users, and `saring` on the machine PATH
    Step '5/9 logon task and PATH'
    # the bundle's install.ps1 (same version as the wheels), else the one next to this script
    $installer = Join-Path $Bundle 'service\windows\install.ps1'
    if (-not (Test-Path -LiteralPath $installer)) { $installer = Join-Path $Here 'install.ps1' }
    $installArgs = @{ AllUsers = $true; VenvDir = $VenvDir; NoStart = $true }
    if ($WhatIfPreference) { $installArgs['WhatIf'] = $true }
    & $installer @installArgs
    if ($LASTEXITCODE -ne 0) { Fail "install.ps1 failed (exit $LASTEXITCODE); run $installer -AllUsers by hand to see why" 1 }

    # 6. users already logged on
    Step '6/9 running sessions'
    if ($stopped -gt 0) {
        Write-Output "the $stopped server(s) stopped in step 2 start again within 5 minutes (the task repeats every 5 minutes in each session)"
    } else {
        Write-Output 'no server was running; each user gets one at the next logon (or within 5 minutes if already logged on)'
    }

    # 7. browser policies
    Step '7/9 browser policies'
    $forced = @()
    if ($NoBrowserPolicy) {
        Write-Output 'skipped (-NoBrowserPolicy)'
    } else {
        foreach ($b in $Browsers) {
            if ($policies.ContainsKey($b.Name)) {
                $ids = Set-BrowserPolicy $b $policies[$b.Name]
                $record.browsers[$b.Name] = @($ids)
                $forced += $ids
            } else {
                Write-Output "$($b.Name): no $($b.File), skipped"
            }
        }
        if ($FirefoxXpi) {
            if (-not $FirefoxPolicy) { Fail 'firefox-policies.json not found (-FirefoxPolicy)' 2 }
            $record.firefox_policy = Set-FirefoxPolicy $FirefoxPolicy $FirefoxXpi
        }
    }
    foreach ($b in $Browsers) {
        $token = if ($b.Name -eq 'Chrome') { $ChromeEnrollmentToken } else { $EdgeEnrollmentToken }
        if ($token -and $PSCmdlet.ShouldProcess("$($b.Key)\$($b.TokenValue)", 'set the enrolment token')) {
            Ensure-Key $b.Key
            Set-ItemProperty -LiteralPath $b.Key -Name $b.TokenValue -Value $token -Type String
            $record["$($b.Name.ToLower())_token"] = $b.TokenValue
            Write-Output "$($b.Name): enrolment token set ($($b.TokenValue))"
        }
    }

    # 8. does the server accept the extensions it force-installs?
    Step '8/9 extension ids allowed by the server'
    if ($forced.Count -gt 0 -and (Test-Path -LiteralPath $saringExe)) {
        $allowed = Get-AllowedExtensionIds $saringExe
        if ($null -eq $allowed) {
            Write-Warning 'could not read the configuration with `saring config show`; check [server] extension_ids yourself'
        } else {
            $missing = @($forced | Where-Object { $allowed -notcontains $_ })
            if ($missing.Count -gt 0) {
                Write-Warning ("the server refuses these extension ids (403 forbidden_origin): $($missing -join ', '). " +
                               "Add them to [server] extension_ids in saring.toml, e.g. extension_ids = [`"$(($allowed + $missing) -join '", "')`"]")
            } else {
                Write-Output "OK: $($forced -join ', ')"
            }
        }
    }

    # 9. daily copy of the configuration from the share
    Step '9/9 configuration sync'
    if ($SyncConfigFrom) {
        if ($PSCmdlet.ShouldProcess('\Saring\Saring config sync', "copy saring.toml from $SyncConfigFrom daily at $SyncTime and at startup")) {
            # no trailing backslash before a closing quote: robocopy would read \" as a quote
            $from = $SyncConfigFrom.TrimEnd('\')
            $action = New-ScheduledTaskAction -Execute 'robocopy.exe' -Argument "`"$from`" `"$MachineDir`" saring.toml /R:1 /W:5 /NP"
            $triggers = @((New-ScheduledTaskTrigger -Daily -At $SyncTime), (New-ScheduledTaskTrigger -AtStartup))
            Register-ScheduledTask -TaskName 'Saring config sync' -TaskPath '\Saring\' -Action $action -Trigger $triggers -User 'SYSTEM' -RunLevel Highest -Force | Out-Null
            $record.sync_task = '\Saring\Saring config sync'
            Write-Output "task \Saring\Saring config sync: $SyncConfigFrom\saring.toml -> $MachineDir"
        }
    } else {
        Write-Output 'skipped (no -SyncConfigFrom)'
    }

    if ($PSCmdlet.ShouldProcess($RecordPath, 'write what was set, for uninstall.ps1')) {
        Set-Content -LiteralPath $RecordPath -Value (ConvertTo-Json -InputObject $record -Depth 5) -Encoding UTF8
    }
    Write-Output 'done. Check with: saring doctor   (in a new PowerShell window; the PATH changed)'
    exit 0
} catch {
    Fail "failed: $($_.Exception.Message)" 1
}
