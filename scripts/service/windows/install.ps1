<#
.SYNOPSIS
    Run the Saring server at logon, without a console window, and keep it running.

.DESCRIPTION
    Registers the Scheduled Task "\Saring\Saring Server" from saring-task.xml (next to this
    script). The task runs `pythonw.exe -m server serve` from Saring's Python environment in the
    user's own session (so the browser extension reaches it at http://127.0.0.1:8731), restarts it
    when it fails, and, through a trigger repeating every 5 minutes, starts it again if it stopped.

    Default: for the current user only (no administrator rights needed).
    -AllUsers: for everyone who logs on to this machine (run as administrator); the task runs
    as each user, with that user's rights, never as SYSTEM.

    It also puts the `saring` command on the PATH: a small saring.cmd that runs
    <VenvDir>\Scripts\saring.exe, in "$env:ProgramFiles\Saring\bin" (machine PATH, -AllUsers)
    or "$env:LOCALAPPDATA\Saring\bin" (user PATH). Only that folder is added, never the venv's
    Scripts folder, whose python.exe and pip.exe would shadow the machine's own. Windows
    gives the new PATH to programs started afterwards: open a new PowerShell window.

.PARAMETER VenvDir
    Saring's Python environment (the folder holding Scripts\pythonw.exe). Default:
    "$env:ProgramFiles\Saring\venv" if it exists, else "$env:LOCALAPPDATA\Saring\venv".
.PARAMETER PythonW
    Full path of pythonw.exe to use instead of <VenvDir>\Scripts\pythonw.exe.
.PARAMETER Port
    Port to listen on (1-65535). Default: from the configuration, else 8731.
.PARAMETER Config
    An extra configuration file, read after the standard ones.
.PARAMETER LogLevel
    debug, info, warning or error.
.PARAMETER AllUsers
    Install for every user of the machine (needs an elevated PowerShell).
.PARAMETER NoStart
    Register the task but do not start it now.
.PARAMETER NoPath
    Do not add the `saring` command to the PATH.
.PARAMETER ExportXml
    Write the filled-in task XML to this file (UTF-16, for GPO or `schtasks /Create /XML`) and
    register nothing.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File install.ps1 -AllUsers -VenvDir "C:\Program Files\Saring\venv"
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File install.ps1 -WhatIf
.NOTES
    Exit codes: 0 done, 1 failed (PowerShell itself rejects an invalid -Port or -LogLevel, also
    with a non-zero code). Undo with uninstall.ps1. Help: Get-Help .\install.ps1 -Detailed
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$VenvDir,
    [string]$PythonW,
    [ValidateRange(1, 65535)][int]$Port,
    [string]$Config,
    [ValidateSet('debug', 'info', 'warning', 'error')][string]$LogLevel,
    [switch]$AllUsers,
    [switch]$NoStart,
    [switch]$NoPath,
    [string]$ExportXml
)

$ErrorActionPreference = 'Stop'
$TaskPath = '\Saring\'
$TaskName = 'Saring Server'
$UsersGroupSid = 'S-1-5-32-545'   # BUILTIN\Users, whatever the Windows display language

function Fail([string]$Message, [int]$Code = 1) {
    Write-Error -Message $Message -ErrorAction Continue
    exit $Code
}
function Escape-Xml([string]$Text) { [System.Security.SecurityElement]::Escape($Text) }

function Add-SaringToPath([string]$SaringExe, [string]$ShimDir, [string]$Scope) {
    # A .cmd shim rather than the venv's Scripts folder: only `saring` joins the PATH.
    New-Item -ItemType Directory -Force -Path $ShimDir | Out-Null
    $shim = "@echo off`r`n`"$SaringExe`" %*`r`nexit /b %ERRORLEVEL%`r`n"
    [System.IO.File]::WriteAllText((Join-Path $ShimDir 'saring.cmd'), $shim, (New-Object System.Text.UTF8Encoding($false)))
    # Read and write the registry value itself, unexpanded and as REG_EXPAND_SZ: going through
    # [Environment]::SetEnvironmentVariable would store every %SystemRoot% expanded.
    $envKey = if ($Scope -eq 'Machine') { 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment' } else { 'HKCU:\Environment' }
    $current = (Get-Item -LiteralPath $envKey).GetValue('Path', '', 'DoNotExpandEnvironmentNames')
    $parts = @($current -split ';' | Where-Object { $_ -ne '' })
    if ($parts -notcontains $ShimDir) {
        Set-ItemProperty -LiteralPath $envKey -Name Path -Value (($parts + $ShimDir) -join ';') -Type ExpandString
        # tell running programs (Explorer, hence new windows) that the environment changed
        [Environment]::SetEnvironmentVariable('SARING_PATH_CHANGED', $null, $Scope)
        Write-Output "added $ShimDir to the $($Scope.ToLower()) PATH (open a new window to use: saring doctor)"
    }
    if (($env:Path -split ';') -notcontains $ShimDir) { $env:Path = "$env:Path;$ShimDir" }
}

try {
    if (-not $PythonW) {
        if (-not $VenvDir) {
            $machine = Join-Path $env:ProgramFiles 'Saring\venv'
            $VenvDir = if (Test-Path (Join-Path $machine 'Scripts\pythonw.exe')) { $machine } else { Join-Path $env:LOCALAPPDATA 'Saring\venv' }
        }
        $PythonW = Join-Path $VenvDir 'Scripts\pythonw.exe'
    }
    if (-not $ExportXml -and -not $WhatIfPreference -and -not (Test-Path -LiteralPath $PythonW -PathType Leaf)) {
        Fail "pythonw.exe not found at '$PythonW'. Install Saring first: py -3.12 -m venv `"$VenvDir`"; & `"$VenvDir\Scripts\pip.exe`" install --no-index --find-links <bundle> saring. Or give -VenvDir / -PythonW."
    }
    if ($Config) {
        if (-not (Test-Path -LiteralPath $Config -PathType Leaf)) { Fail "configuration file '$Config' not found" 1 }
        $Config = (Resolve-Path -LiteralPath $Config).Path
    }

    # pythonw.exe has no console window; `-m server` runs Saring's CLI (server/__main__.py).
    $arguments = '-m server serve'
    if ($Port) { $arguments += " --port $Port" }
    if ($Config) { $arguments += " --config `"$Config`"" }
    if ($LogLevel) { $arguments += " --log-level $LogLevel" }

    if ($AllUsers) {
        $triggerUser = ''
        $principal = "<GroupId>$UsersGroupSid</GroupId>"
        $isAdmin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
        if (-not $isAdmin -and -not $ExportXml -and -not $WhatIfPreference) { Fail '-AllUsers needs an elevated PowerShell (Run as administrator).' 1 }
    } else {
        $who = Escape-Xml "$env:USERDOMAIN\$env:USERNAME"
        $triggerUser = "<UserId>$who</UserId>"
        $principal = "<UserId>$who</UserId><LogonType>InteractiveToken</LogonType>"
    }

    $template = Join-Path $PSScriptRoot 'saring-task.xml'
    if (-not (Test-Path -LiteralPath $template)) { Fail "task template '$template' not found next to install.ps1" 1 }
    $xml = Get-Content -LiteralPath $template -Raw -Encoding UTF8
    $xml = $xml.Replace('{{TRIGGER_USER}}', $triggerUser).Replace('{{PRINCIPAL}}', $principal)
    $xml = $xml.Replace('{{COMMAND}}', (Escape-Xml $PythonW)).Replace('{{ARGUMENTS}}', (Escape-Xml $arguments))
    $xml = $xml.Replace('{{WORKDIR}}', (Escape-Xml (Split-Path -Parent $PythonW)))

    if ($ExportXml) {
        Set-Content -LiteralPath $ExportXml -Value $xml -Encoding Unicode
        Write-Output "wrote $ExportXml (import with: schtasks /Create /XML `"$ExportXml`" /TN `"$TaskPath$TaskName`")"
        exit 0
    }

    if ($PSCmdlet.ShouldProcess("$TaskPath$TaskName", "register task running '$PythonW $arguments' at logon ($(if ($AllUsers) {'all users'} else {'current user'}))")) {
        Register-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName -Xml $xml -Force | Out-Null
        Write-Output "registered task $TaskPath$TaskName"
        $saringExe = Join-Path (Split-Path -Parent $PythonW) 'saring.exe'
        if (-not $NoPath -and (Test-Path -LiteralPath $saringExe -PathType Leaf)) {
            if ($AllUsers) {
                Add-SaringToPath $saringExe (Join-Path $env:ProgramFiles 'Saring\bin') 'Machine'
            } else {
                Add-SaringToPath $saringExe (Join-Path $env:LOCALAPPDATA 'Saring\bin') 'User'
            }
        }
        if (-not $NoStart) {
            # With -AllUsers the task belongs to the Users group: it surely starts at each user's next
            # logon; starting it now may not reach sessions that are already open.
            Start-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName
            Write-Output 'started; check with: saring doctor   (or Get-ScheduledTaskInfo -TaskPath "\Saring\" -TaskName "Saring Server")'
            if ($AllUsers) { Write-Output 'users already logged on get the server at their next logon' }
        }
    }
    exit 0
} catch {
    Fail "install failed: $($_.Exception.Message)" 1
}
