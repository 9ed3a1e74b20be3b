#!/bin/sh
# Remove Saring's launchd agent (macOS). Run with --help for the options.
set -eu

PROG=uninstall.sh
LABEL=id.saring.server
usage() {
    cat <<USAGE
Usage: $PROG [options]

Unload and remove the Saring launchd agent installed by install.sh.

Options:
  --global          remove /Library/LaunchAgents/$LABEL.plist (all users; needs root)
  --agents-dir DIR  remove the plist from DIR instead
  --purge           also delete this user's Saring data and configuration
                    (~/Library/Application Support/Saring)
  --dry-run         print what would be done, change nothing
  -h, --help        show this help

Exit status: 0 done (also when nothing was installed), 1 failed, 2 bad usage.
USAGE
}
die_usage() { echo "$PROG: $1" >&2; echo "Try '$PROG --help'." >&2; exit 2; }

GLOBAL=0; AGENTS_DIR=""; PURGE=0; DRY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --global) GLOBAL=1; shift ;;
        --agents-dir) [ $# -ge 2 ] && [ -n "$2" ] || die_usage "option --agents-dir needs a value"; AGENTS_DIR=$2; shift 2 ;;
        --agents-dir=*) AGENTS_DIR=${1#*=}; shift ;;
        --purge) PURGE=1; shift ;;
        --dry-run) DRY=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die_usage "unknown option '$1'" ;;
    esac
done
if [ -z "$AGENTS_DIR" ]; then
    if [ "$GLOBAL" -eq 1 ]; then AGENTS_DIR=/Library/LaunchAgents; else AGENTS_DIR=$HOME/Library/LaunchAgents; fi
fi
LAUNCHCTL=${LAUNCHCTL:-launchctl}
run() { echo "+ $*"; [ "$DRY" -eq 1 ] && return 0; "$@" || echo "$PROG: '$*' failed (continuing)" >&2; }

run "$LAUNCHCTL" bootout "gui/$(id -u)/$LABEL"
if [ -e "$AGENTS_DIR/$LABEL.plist" ]; then run rm -f "$AGENTS_DIR/$LABEL.plist"; else echo "no agent at $AGENTS_DIR/$LABEL.plist (nothing to remove)"; fi
[ "$PURGE" -eq 1 ] && run rm -rf "$HOME/Library/Application Support/Saring"
exit 0
