#!/bin/sh
# Install Saring's systemd user unit so the server starts at logon and restarts on failure.
# Run with --help for the options. POSIX sh; no bashisms.
set -eu

PROG=install.sh
HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
TEMPLATE="$HERE/saring.service"
UNIT_NAME=saring.service

usage() {
    cat <<USAGE
Usage: $PROG [options]

Install the Saring server as a systemd *user* service: it starts when the user logs on and is
restarted if it fails.

Options:
  --exec PATH        the 'saring' program to run (default: 'saring' on PATH, else /opt/saring/bin/saring)
  --global           install for every user of this machine (needs root): writes
                     /etc/systemd/user/$UNIT_NAME and runs 'systemctl --global enable'
                     (default: only the current user, in ~/.config/systemd/user/)
  --port N           port to listen on (default: from the configuration, else 8731)
  --config FILE      an extra configuration file, read after the standard ones
  --log-level LEVEL  debug, info, warning or error
  --unit-dir DIR     write the unit into DIR instead (packaging, tests)
  --no-start         write and enable the unit, but do not start it now
  --no-systemctl     only write the unit file; run no systemctl command
  --dry-run          print the unit and the commands, change nothing
  -h, --help         show this help

Exit status: 0 done, 1 failed, 2 bad usage.
Undo with: uninstall.sh (same --global / --unit-dir options).
USAGE
}

die_usage() { echo "$PROG: $1" >&2; echo "Try '$PROG --help'." >&2; exit 2; }
die() { echo "$PROG: $1" >&2; exit 1; }

EXEC=""; GLOBAL=0; PORT=""; CONFIG=""; LOGLEVEL=""; UNIT_DIR=""; START=1; SYSTEMCTL_ON=1; DRY=0
need_arg() {
    [ $# -ge 2 ] && [ -n "$2" ] || die_usage "option $1 needs a value"
    case "$2" in --*) die_usage "option $1 needs a value (got '$2')" ;; esac
}
while [ $# -gt 0 ]; do
    case "$1" in
        --exec) need_arg "$@"; EXEC=$2; shift 2 ;;
        --exec=*) EXEC=${1#*=}; shift ;;
        --global) GLOBAL=1; shift ;;
        --port) need_arg "$@"; PORT=$2; shift 2 ;;
        --port=*) PORT=${1#*=}; shift ;;
        --config) need_arg "$@"; CONFIG=$2; shift 2 ;;
        --config=*) CONFIG=${1#*=}; shift ;;
        --log-level) need_arg "$@"; LOGLEVEL=$2; shift 2 ;;
        --log-level=*) LOGLEVEL=${1#*=}; shift ;;
        --unit-dir) need_arg "$@"; UNIT_DIR=$2; shift 2 ;;
        --unit-dir=*) UNIT_DIR=${1#*=}; shift ;;
        --no-start) START=0; shift ;;
        --no-systemctl) SYSTEMCTL_ON=0; shift ;;
        --dry-run) DRY=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die_usage "unknown option '$1'" ;;
    esac
done

if [ -n "$PORT" ]; then
    case "$PORT" in *[!0-9]*|"") die_usage "--port must be a number from 1 to 65535, not '$PORT'" ;; esac
    [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die_usage "--port must be a number from 1 to 65535, not '$PORT'"
fi
if [ -n "$LOGLEVEL" ]; then
    case "$LOGLEVEL" in debug|info|warning|error) ;; *) die_usage "--log-level must be debug, info, warning or error" ;; esac
fi

if [ -z "$EXEC" ]; then
    EXEC=$(command -v saring 2>/dev/null || true)
    [ -n "$EXEC" ] || EXEC=/opt/saring/bin/saring
fi
case "$EXEC" in /*) ;; *) EXEC=$(CDPATH='' cd -- "$(dirname -- "$EXEC")" 2>/dev/null && pwd)/$(basename -- "$EXEC") || die "cannot resolve --exec $EXEC" ;; esac
case "$EXEC" in *" "*|*"%"*) die_usage "--exec path must not contain spaces or '%': $EXEC" ;; esac
if [ "$DRY" -eq 0 ] && [ ! -x "$EXEC" ]; then
    die "$EXEC is not an executable file. Install Saring first (pip install --no-index --find-links BUNDLE saring) or give --exec."
fi
if [ -n "$CONFIG" ]; then
    case "$CONFIG" in /*) ;; *) CONFIG=$(pwd)/$CONFIG ;; esac
    case "$CONFIG" in *" "*|*"%"*) die_usage "--config path must not contain spaces or '%': $CONFIG" ;; esac
fi

if [ -z "$UNIT_DIR" ]; then
    if [ "$GLOBAL" -eq 1 ]; then
        UNIT_DIR=/etc/systemd/user
    else
        UNIT_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
    fi
fi
if [ "$GLOBAL" -eq 1 ] && [ "$DRY" -eq 0 ] && [ "$SYSTEMCTL_ON" -eq 1 ] && [ "$(id -u)" -ne 0 ]; then
    die "--global needs root (sudo)."
fi

ARGS="serve"
[ -n "$PORT" ] && ARGS="$ARGS --port $PORT"
[ -n "$CONFIG" ] && ARGS="$ARGS --config $CONFIG"
[ -n "$LOGLEVEL" ] && ARGS="$ARGS --log-level $LOGLEVEL"

[ -f "$TEMPLATE" ] || die "template $TEMPLATE not found"
UNIT=$(sed "s#^ExecStart=.*#ExecStart=$EXEC $ARGS#" "$TEMPLATE")

if [ "$GLOBAL" -eq 1 ]; then
    CMDS="systemctl --global enable $UNIT_NAME"
    NOTE="Every user gets the server at their next logon (running sessions: systemctl --user start saring)."
else
    CMDS="systemctl --user daemon-reload
systemctl --user enable $UNIT_NAME"
    [ "$START" -eq 1 ] && CMDS="$CMDS
systemctl --user restart $UNIT_NAME"
    NOTE="Check with: systemctl --user status saring   and   saring doctor"
fi

if [ "$DRY" -eq 1 ]; then
    echo "# would write $UNIT_DIR/$UNIT_NAME:"
    printf '%s\n' "$UNIT"
    if [ "$SYSTEMCTL_ON" -eq 1 ]; then
        echo "# would run:"
        printf '%s\n' "$CMDS"
    fi
    exit 0
fi

mkdir -p "$UNIT_DIR" || die "cannot create $UNIT_DIR"
TMP="$UNIT_DIR/.$UNIT_NAME.tmp.$$"
printf '%s\n' "$UNIT" > "$TMP" && chmod 0644 "$TMP" && mv -f "$TMP" "$UNIT_DIR/$UNIT_NAME" || die "cannot write $UNIT_DIR/$UNIT_NAME"
echo "wrote $UNIT_DIR/$UNIT_NAME"

if [ "$SYSTEMCTL_ON" -eq 1 ]; then
    SYSTEMCTL=${SYSTEMCTL:-systemctl}
    printf '%s\n' "$CMDS" | while IFS= read -r line; do
        [ -n "$line" ] || continue
        echo "+ $line"
        # shellcheck disable=SC2086
        set -- ${line#systemctl }
        "$SYSTEMCTL" "$@" || { echo "$PROG: '$line' failed" >&2; exit 1; }
    done
    echo "$NOTE"
fi
exit 0
