<#
.SYNOPSIS
    Remove Saring from this Windows PC: what install.ps1 and setup.ps1 put there.

.DESCRIPTION
    As administrator (a machine set up with setup.ps1 or install.ps1 -AllUsers), it removes:
      - the running Saring servers of every logged-on user (stopped first, so files can go);
      - the logon task "\Saring\Saring Server" and the config-sync task "\Saring\Saring config sync";
      - the `saring` command: C:\Program Files\Saring\bin\saring.cmd and its machine PATH entry
        (and the current user's %LOCALAPPDATA%\Saring\bin entry in the user PATH);
      - the Python environment (-VenvDir, default C:\Program Files\Saring\venv) and
        C:\Program Files\Saring\extension (the Firefox xpi);
      - the machine-wide configuration folder %ProgramData%\Saring (saring.toml, install record);
      - the browser policies Saring set: its entries in Chrome's and Edge's ExtensionSettings
        (other extensions' entries stay), its managed settings (3rdparty\extensions\<id>), the
        enrolment tokens setup.ps1 set, and its entries in Firefox's policies.json.
    The extension ids come from %ProgramData%\Saring\install-record.json (written by setup.ps1),
    else from -ExtensionId, else Saring's own id.
    Python itself is left installed (other programs may use it); remove it in Settings > Apps.

    Without administrator rights it removes what a per-user install.ps1 set: the current user's
    task, user PATH entry and %LOCALAPPDATA%\Saring\venv, and says what is left for an admin.

.PARAMETER Purge
    Also delete the users' own Saring data (logs, statistics: %LOCALAPPDATA%\Saring) and per-user
    configuration (%APPDATA%\Saring): of every user profile on the machine as administrator, of
    the current user otherwise.
.PARAMETER TaskOnly
    Remove only the logon task (the behaviour of earlier versions), e.g. before re-registering it.
.PARAMETER KeepConfig
    Keep %ProgramData%\Saring\saring.toml (the machine-wide configuration).
.PARAMETER VenvDir
    Saring's Python environment, if it is not where setup.ps1 / install.ps1 put it.
.PARAMETER ExtensionId
    Chrome/Edge extension ids whose policies to remove, when there is no install record.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File uninstall.ps1 -Purge
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File uninstall.ps1 -WhatIf
.NOTES
    Exit codes: 0 done (also when there was nothing to remove), 1 failed. Running it twice is fine.
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [switch]$Purge,
    [switch]$TaskOnly,
    [switch]$KeepConfig,
    [string]$VenvDir,
    [ValidatePattern('^[a-p]{32}$')][string[]]$ExtensionId = @('ldjhkggihnbfhglcndojbckekmpmlmff')
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
$TaskPath = '\Saring\'
$TaskName = 'Saring Server'
$SyncTaskName = 'Saring config sync'
$SaringDir = Join-Path $env:ProgramFiles 'Saring'
$MachineDir = Join-Path $env:ProgramData 'Saring'
$RecordPath = Join-Path $MachineDir 'install-record.json'
$FirefoxId = 'saring@saring.id'
$PolicyRoots = @{ Chrome = 'HKLM:\SOFTWARE\Policies\Google\Chrome'; Edge = 'HKLM:\SOFTWARE\Policies\Microsoft\Edge' }
$TokenValues = @{ Chrome = 'CloudManagementEnrollmentToken'; Edge = 'EdgeManagementEnrollmentToken' }

function Remove-Task([string]$Name) {
    $task = Get-ScheduledTask -TaskPath $TaskPath -TaskName $Name -ErrorAction SilentlyContinue
    if ($null -eq $task) {
        Write-Output "no task $TaskPath$Name (nothing to remove)"
    } elseif (-not $isAdmin -and ($task.Principal.GroupId -or $task.Principal.UserId -eq 'SYSTEM')) {
        Write-Output "task $TaskPath$Name is installed for all users: removing it needs an elevated PowerShell"
    } elseif ($PSCmdlet.ShouldProcess("$TaskPath$Name", 'stop and unregister')) {
        Stop-ScheduledTask -TaskPath $TaskPath -TaskName $Name -ErrorAction SilentlyContinue
        Unregister-ScheduledTask -TaskPath $TaskPath -TaskName $Name -Confirm:$false
        Write-Output "removed task $TaskPath$Name"
    }
}

function Remove-Folder([string]$Path) {
    if ($Path -and (Test-Path -LiteralPath $Path) -and $PSCmdlet.ShouldProcess($Path, 'delete')) {
        Remove-Item -LiteralPath $Path -Recurse -Force
        Write-Output "deleted $Path"
    }
}

function Remove-FromPath([string]$Dir, [string]$Scope) {
    $envKey = if ($Scope -eq 'Machine') { 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment' } else { 'HKCU:\Environment' }
    $current = (Get-Item -LiteralPath $envKey).GetValue('Path', '', 'DoNotExpandEnvironmentNames')
    $parts = @($current -split ';' | Where-Object { $_ -ne '' })
    if ($parts -contains $Dir -and $PSCmdlet.ShouldProcess("$Scope PATH", "remove $Dir")) {
        Set-ItemProperty -LiteralPath $envKey -Name Path -Value (($parts | Where-Object { $_ -ne $Dir }) -join ';') -Type ExpandString
        [Environment]::SetEnvironmentVariable('SARING_PATH_CHANGED', $null, $Scope)
        Write-Output "removed $Dir from the $($Scope.ToLower()) PATH"
    }
}

function Stop-SaringServers([string[]]$Venvs) {
    # A venv's pythonw.exe is a launcher whose child (the base interpreter) is the server itself:
    # stop the children first, then the launchers.
    $all = @(Get-CimInstance -ClassName Win32_Process -Filter "Name = 'pythonw.exe' OR Name = 'python.exe'")
    $launchers = @()
    foreach ($venv in $Venvs) {
        $prefix = [System.IO.Path]::GetFullPath($venv).TrimEnd('\') + '\'
        $launchers += @($all | Where-Object { $_.ExecutablePath -and $_.CommandLine -match '-m server serve' -and
            $_.ExecutablePath.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) })
    }
    $ids = @($launchers | ForEach-Object { $_.ProcessId })
    $children = @($all | Where-Object { $ids -contains $_.ParentProcessId })
    foreach ($p in @($children) + @($launchers)) {
        if ($PSCmdlet.ShouldProcess("process $($p.ProcessId)", 'stop the Saring server')) {
            Stop-Process -Id $p.ProcessId -Force -ErrorAction SilentlyContinue
            Write-Output "stopped server process $($p.ProcessId)"
        }
    }
}

function Remove-BrowserPolicy([string]$Browser, [string[]]$Ids) {
    $key = $PolicyRoots[$Browser]
    if (-not (Test-Path -LiteralPath $key)) { return }
    $current = (Get-ItemProperty -LiteralPath $key -Name ExtensionSettings -ErrorAction SilentlyContinue).ExtensionSettings
    if ($current) {
        try { $settings = $current | ConvertFrom-Json } catch { $settings = $null; Write-Warning "$key\ExtensionSettings is not valid JSON; left alone" }
        if ($settings) {
            $kept = New-Object PSObject
            foreach ($prop in $settings.PSObject.Properties) {
                if ($Ids -notcontains $prop.Name) { $kept | Add-Member -NotePropertyName $prop.Name -NotePropertyValue $prop.Value }
            }
            $left = @($kept.PSObject.Properties).Count
            if ($left -ne @($settings.PSObject.Properties).Count -and $PSCmdlet.ShouldProcess("$key\ExtensionSettings", "remove $($Ids -join ', ')")) {
                if ($left -eq 0) {
                    Remove-ItemProperty -LiteralPath $key -Name ExtensionSettings
                } else {
                    Set-ItemProperty -LiteralPath $key -Name ExtensionSettings -Value (ConvertTo-Json -InputObject $kept -Depth 10 -Compress) -Type String
                }
                Write-Output "$Browser`: removed Saring from ExtensionSettings"
            }
        }
    }
    foreach ($id in $Ids) {
        $managed = "$key\3rdparty\extensions\$id"
        if ((Test-Path -LiteralPath $managed) -and $PSCmdlet.ShouldProcess($managed, 'delete')) {
            Remove-Item -LiteralPath $managed -Recurse -Force
            Write-Output "$Browser`: removed managed settings of $id"
        }
    }
}

function Remove-FirefoxPolicy([string]$PolicyFile) {
    if (-not $PolicyFile -or -not (Test-Path -LiteralPath $PolicyFile)) { return }
    try { $doc = Get-Content -LiteralPath $PolicyFile -Raw -Encoding UTF8 | ConvertFrom-Json } catch { Write-Warning "$PolicyFile is not valid JSON; left alone"; return }
    $changed = $false
    if ($doc.policies.ExtensionSettings -and $doc.policies.ExtensionSettings.PSObject.Properties[$FirefoxId]) {
        $doc.policies.ExtensionSettings.PSObject.Properties.Remove($FirefoxId); $changed = $true
    }
    if ($doc.policies.'3rdparty' -and $doc.policies.'3rdparty'.Extensions -and $doc.policies.'3rdparty'.Extensions.PSObject.Properties[$FirefoxId]) {
        $doc.policies.'3rdparty'.Extensions.PSObject.Properties.Remove($FirefoxId); $changed = $true
    }
    if ($changed -and $PSCmdlet.ShouldProcess($PolicyFile, "remove $FirefoxId")) {
        [System.IO.File]::WriteAllText($PolicyFile, (ConvertTo-Json -InputObject $doc -Depth 20), (New-Object System.Text.UTF8Encoding($false)))
        Write-Output "Firefox: removed Saring from $PolicyFile"
    }
}

function Get-ProfileFolders {
    # Every user profile of the machine (not only those logged on), from the registry's ProfileList.
    $list = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList'
    Get-ChildItem -LiteralPath $list | ForEach-Object { $_.GetValue('ProfileImagePath') } |
        Where-Object { $_ -and (Test-Path -LiteralPath $_) }
}

try {
    $isAdmin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
    Remove-Task $TaskName
    if ($TaskOnly) { exit 0 }

    $record = $null
    if (Test-Path -LiteralPath $RecordPath) {
        try { $record = Get-Content -LiteralPath $RecordPath -Raw -Encoding UTF8 | ConvertFrom-Json } catch { Write-Warning "$RecordPath unreadable; using defaults" }
    }
    $venvs = @()
    if ($VenvDir) { $venvs += $VenvDir }
    if ($record -and $record.venv) { $venvs += [string]$record.venv }
    $venvs += @((Join-Path $SaringDir 'venv'), (Join-Path $env:LOCALAPPDATA 'Saring\venv'))
    $venvs = @($venvs | Select-Object -Unique)
    Stop-SaringServers $venvs

    # the current user's own parts (a per-user install.ps1)
    Remove-FromPath (Join-Path $env:LOCALAPPDATA 'Saring\bin') 'User'
    Remove-Folder (Join-Path $env:LOCALAPPDATA 'Saring\bin')
    Remove-Folder (Join-Path $env:LOCALAPPDATA 'Saring\venv')

    if ($isAdmin) {
        Remove-Task $SyncTaskName
        Remove-FromPath (Join-Path $SaringDir 'bin') 'Machine'
        foreach ($venv in $venvs) { if (-not $venv.StartsWith($env:LOCALAPPDATA)) { Remove-Folder $venv } }
        Remove-Folder (Join-Path $SaringDir 'bin')
        Remove-Folder (Join-Path $SaringDir 'extension')
        if ((Test-Path -LiteralPath $SaringDir) -and -not (Get-ChildItem -LiteralPath $SaringDir -Force)) { Remove-Folder $SaringDir }

        foreach ($browser in @('Chrome', 'Edge')) {
            $ids = @($ExtensionId)
            if ($record -and $record.browsers -and $record.browsers.$browser) { $ids = @($record.browsers.$browser) + $ids | Select-Object -Unique }
            Remove-BrowserPolicy $browser $ids
            $tokenName = "$($browser.ToLower())_token"
            if ($record -and $record.$tokenName -and $PSCmdlet.ShouldProcess("$($PolicyRoots[$browser])\$($TokenValues[$browser])", 'delete')) {
                Remove-ItemProperty -LiteralPath $PolicyRoots[$browser] -Name $TokenValues[$browser] -ErrorAction SilentlyContinue
                Write-Output "$browser`: removed the enrolment token"
            }
        }
        $firefoxPolicy = if ($record -and $record.firefox_policy) { [string]$record.firefox_policy } else { Join-Path $env:ProgramFiles 'Mozilla Firefox\distribution\policies.json' }
        Remove-FirefoxPolicy $firefoxPolicy

        if ($KeepConfig) {
            if ((Test-Path -LiteralPath $RecordPath) -and $PSCmdlet.ShouldProcess($RecordPath, 'delete')) { Remove-Item -LiteralPath $RecordPath -Force }
            Write-Output "kept $MachineDir\saring.toml (-KeepConfig)"
        } else {
            Remove-Folder $MachineDir
        }
    } else {
        Write-Output ("not administrator: the machine-wide parts (C:\Program Files\Saring, $MachineDir, the config-sync task, " +
                      'the browser policies, the all-users logon task) need an elevated PowerShell')
    }

    if ($Purge) {
        $homes = if ($isAdmin) { @(Get-ProfileFolders) } else { @($env:USERPROFILE) }
        foreach ($userHome in $homes) {
            Remove-Folder (Join-Path $userHome 'AppData\Local\Saring')
            Remove-Folder (Join-Path $userHome 'AppData\Roaming\Saring')
        }
    }
    exit 0
} catch {
    Write-Error -Message "uninstall failed: $($_.Exception.Message)" -ErrorAction Continue
    exit 1
}
