#!/bin/sh
# Install Saring's launchd agent (macOS) so the server starts at login and restarts on failure.
# Run with --help for the options. POSIX sh.
set -eu

PROG=install.sh
HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
LABEL=id.saring.server
TEMPLATE="$HERE/$LABEL.plist"

usage() {
    cat <<USAGE
Usage: $PROG [options]

Install the Saring server as a launchd agent: it starts when the user logs in and is started
again if it exits with an error.

Options:
  --exec PATH        the 'saring' program to run (default: 'saring' on PATH, else
                     "/Library/Application Support/Saring/venv/bin/saring")
  --global           install for every user (needs root): /Library/LaunchAgents/$LABEL.plist,
                     loaded at each user's next login (default: this user, ~/Library/LaunchAgents)
  --port N           port to listen on (default: from the configuration, else 8731)
  --config FILE      an extra configuration file, read after the standard ones
  --log-level LEVEL  debug, info, warning or error
  --agents-dir DIR   write the plist into DIR instead (packaging, tests)
  --no-start         write the plist but do not load it now
  --dry-run          print the plist and the commands, change nothing
  -h, --help         show this help

Exit status: 0 done, 1 failed, 2 bad usage. Undo with: uninstall.sh
USAGE
}
die_usage() { echo "$PROG: $1" >&2; echo "Try '$PROG --help'." >&2; exit 2; }
die() { echo "$PROG: $1" >&2; exit 1; }
need_arg() {
    [ $# -ge 2 ] && [ -n "$2" ] || die_usage "option $1 needs a value"
    case "$2" in --*) die_usage "option $1 needs a value (got '$2')" ;; esac
}

EXEC=""; GLOBAL=0; PORT=""; CONFIG=""; LOGLEVEL=""; AGENTS_DIR=""; START=1; DRY=0
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
        --agents-dir) need_arg "$@"; AGENTS_DIR=$2; shift 2 ;;
        --agents-dir=*) AGENTS_DIR=${1#*=}; shift ;;
        --no-start) START=0; shift ;;
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
    [ -n "$EXEC" ] || EXEC="/Library/Application Support/Saring/venv/bin/saring"
fi
case "$EXEC" in /*) ;; *) EXEC=$(pwd)/$EXEC ;; esac
if [ "$DRY" -eq 0 ] && [ ! -x "$EXEC" ]; then
    die "$EXEC is not an executable file. Install Saring first (pip install --no-index --find-links BUNDLE saring) or give --exec."
fi
if [ -n "$CONFIG" ]; then case "$CONFIG" in /*) ;; *) CONFIG=$(pwd)/$CONFIG ;; esac; fi
if [ -z "$AGENTS_DIR" ]; then
    if [ "$GLOBAL" -eq 1 ]; then AGENTS_DIR=/Library/LaunchAgents; else AGENTS_DIR=$HOME/Library/LaunchAgents; fi
fi
if [ "$GLOBAL" -eq 1 ] && [ "$DRY" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then die "--global needs root (sudo)."; fi
[ -f "$TEMPLATE" ] || die "template $TEMPLATE not found"

xml_escape() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
ARGS_XML="    <string>$(xml_escape "$EXEC")</string>
    <string>serve</string>"
[ -n "$PORT" ] && ARGS_XML="$ARGS_XML
    <string>--port</string>
    <string>$PORT</string>"
[ -n "$CONFIG" ] && ARGS_XML="$ARGS_XML
    <string>--config</string>
    <string>$(xml_escape "$CONFIG")</string>"
[ -n "$LOGLEVEL" ] && ARGS_XML="$ARGS_XML
    <string>--log-level</string>
    <string>$LOGLEVEL</string>"

# Replace the <array> after <key>ProgramArguments</key> with ours.
PLIST=$(ARGS_XML="$ARGS_XML" awk '
    /<key>ProgramArguments<\/key>/ { print; inargs = 1; next }
    inargs == 1 && /<array>/ { print; print ENVIRON["ARGS_XML"]; inargs = 2; next }
    inargs == 2 { if ($0 ~ /<\/array>/) { print; inargs = 0 } ; next }
    { print }' "$TEMPLATE")

DEST="$AGENTS_DIR/$LABEL.plist"
UID_NOW=$(id -u)
if [ "$GLOBAL" -eq 1 ]; then
    CMDS=""   # loaded by launchd at each user's next login
else
    CMDS="launchctl bootout gui/$UID_NOW/$LABEL
launchctl bootstrap gui/$UID_NOW $DEST
launchctl enable gui/$UID_NOW/$LABEL"
fi

if [ "$DRY" -eq 1 ]; then
    echo "# would write $DEST:"
    printf '%s\n' "$PLIST"
    [ -n "$CMDS" ] && [ "$START" -eq 1 ] && { echo "# would run:"; printf '%s\n' "$CMDS"; }
    exit 0
fi

mkdir -p "$AGENTS_DIR" || die "cannot create $AGENTS_DIR"
printf '%s\n' "$PLIST" > "$DEST.tmp.$$" && chmod 0644 "$DEST.tmp.$$" && mv -f "$DEST.tmp.$$" "$DEST" || die "cannot write $DEST"
[ "$GLOBAL" -eq 1 ] && chown root:wheel "$DEST" 2>/dev/null || true
echo "wrote $DEST"
if [ -n "$CMDS" ] && [ "$START" -eq 1 ]; then
    LAUNCHCTL=${LAUNCHCTL:-launchctl}
    "$LAUNCHCTL" bootout "gui/$UID_NOW/$LABEL" 2>/dev/null || true   # not loaded yet: fine
    "$LAUNCHCTL" bootstrap "gui/$UID_NOW" "$DEST" || die "launchctl bootstrap failed"
    "$LAUNCHCTL" enable "gui/$UID_NOW/$LABEL" || true
    echo "loaded; check with: launchctl print gui/$UID_NOW/$LABEL   and   saring doctor"
elif [ "$GLOBAL" -eq 1 ]; then
    echo "every user gets the server at their next login"
fi
exit 0
