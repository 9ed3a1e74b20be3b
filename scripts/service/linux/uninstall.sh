#!/bin/sh
# Remove Saring's systemd user unit. Run with --help for the options.
set -eu

PROG=uninstall.sh
UNIT_NAME=saring.service

usage() {
    cat <<USAGE
Usage: $PROG [options]

Stop and remove the Saring user service installed by install.sh.

Options:
  --global        remove the unit installed for every user (/etc/systemd/user; needs root)
  --unit-dir DIR  remove the unit from DIR instead
  --purge         also delete this user's Saring data (~/.local/share/saring: logs, statistics)
                  and per-user configuration (~/.config/saring)
  --no-systemctl  only delete files; run no systemctl command
  --dry-run       print what would be done, change nothing
  -h, --help      show this help

The Python environment (e.g. /opt/saring) is left alone: remove it with 'rm -rf' if wanted.
Exit status: 0 done (also when nothing was installed), 1 failed, 2 bad usage.
USAGE
}
die_usage() { echo "$PROG: $1" >&2; echo "Try '$PROG --help'." >&2; exit 2; }

GLOBAL=0; UNIT_DIR=""; PURGE=0; SYSTEMCTL_ON=1; DRY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --global) GLOBAL=1; shift ;;
        --unit-dir) [ $# -ge 2 ] && [ -n "$2" ] || die_usage "option --unit-dir needs a value"; UNIT_DIR=$2; shift 2 ;;
        --unit-dir=*) UNIT_DIR=${1#*=}; shift ;;
        --purge) PURGE=1; shift ;;
        --no-systemctl) SYSTEMCTL_ON=0; shift ;;
        --dry-run) DRY=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die_usage "unknown option '$1'" ;;
    esac
done
if [ -z "$UNIT_DIR" ]; then
    if [ "$GLOBAL" -eq 1 ]; then UNIT_DIR=/etc/systemd/user; else UNIT_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user; fi
fi
SYSTEMCTL=${SYSTEMCTL:-systemctl}

run() {
    echo "+ $*"
    [ "$DRY" -eq 1 ] && return 0
    "$@" || echo "$PROG: '$*' failed (continuing)" >&2
}

if [ "$SYSTEMCTL_ON" -eq 1 ]; then
    if [ "$GLOBAL" -eq 1 ]; then
        run "$SYSTEMCTL" --global disable "$UNIT_NAME"
    else
        run "$SYSTEMCTL" --user disable --now "$UNIT_NAME"
    fi
fi
if [ -e "$UNIT_DIR/$UNIT_NAME" ]; then
    run rm -f "$UNIT_DIR/$UNIT_NAME"
else
    echo "no unit at $UNIT_DIR/$UNIT_NAME (nothing to remove)"
fi
if [ "$SYSTEMCTL_ON" -eq 1 ] && [ "$GLOBAL" -eq 0 ]; then
    run "$SYSTEMCTL" --user daemon-reload
fi
if [ "$PURGE" -eq 1 ]; then
    run rm -rf "${XDG_DATA_HOME:-$HOME/.local/share}/saring" "${XDG_CONFIG_HOME:-$HOME/.config}/saring"
fi
exit 0
