<#
.SYNOPSIS
    Stop and remove the Saring Scheduled Task installed by install.ps1.

.DESCRIPTION
    Stops the running server started by the task and unregisters "\Saring\Saring Server".
    Removing a task registered with -AllUsers needs an elevated PowerShell.
    The Python environment is left alone (delete "C:\Program Files\Saring" yourself if wanted).

.PARAMETER Purge
    Also delete the current user's Saring data (%LOCALAPPDATA%\Saring: logs, statistics) and
    per-user configuration (%APPDATA%\Saring).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File uninstall.ps1
.NOTES
    Exit codes: 0 done (also when no task was installed), 1 failed.
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [switch]$Purge
)

$ErrorActionPreference = 'Stop'
$TaskPath = '\Saring\'
$TaskName = 'Saring Server'

try {
    $task = Get-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName -ErrorAction SilentlyContinue
    if ($null -eq $task) {
        Write-Output "no task $TaskPath$TaskName (nothing to remove)"
    } elseif ($PSCmdlet.ShouldProcess("$TaskPath$TaskName", 'stop and unregister')) {
        Stop-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName -ErrorAction SilentlyContinue
        Unregister-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName -Confirm:$false
        Write-Output "removed task $TaskPath$TaskName"
    }
    if ($Purge) {
        foreach ($dir in @((Join-Path $env:LOCALAPPDATA 'Saring'), (Join-Path $env:APPDATA 'Saring'))) {
            if ((Test-Path -LiteralPath $dir) -and $PSCmdlet.ShouldProcess($dir, 'delete')) {
                Remove-Item -LiteralPath $dir -Recurse -Force
                Write-Output "deleted $dir"
            }
        }
    }
    exit 0
} catch {
    Write-Error -Message "uninstall failed: $($_.Exception.Message)" -ErrorAction Continue
    exit 1
}
