#!/bin/sh
# Simulated systemctl of a sandbox host (omero-fleet stand-in, not systemd): the host's units are
# files NAME.service under ~/.sandbox-systemd with Type=forking, PIDFile=, Environment=KEY=VALUE,
# ExecStart= and ExecStop= lines, as the OME Ansible roles write omero-server and omero-web. Every call
# is appended to ~/.sandbox-systemd/calls.
#   systemctl start|stop|restart|is-active|status UNIT   systemctl show -p LoadState UNIT
set -u
UNITS=$HOME/.sandbox-systemd
mkdir -p "$UNITS"
printf '%s\n' "$*" >> "$UNITS/calls"

[ $# -ge 1 ] || { echo "usage: systemctl COMMAND UNIT" >&2; exit 2; }
cmd=$1; shift
if [ "$cmd" = show ]; then
    [ "${1-}" = -p ] && [ "${2-}" = LoadState ] || { echo "stand-in: only show -p LoadState UNIT" >&2; exit 2; }
    shift 2
fi
unit=${1-}; unit=${unit%.service}
file=$UNITS/$unit.service

key() { sed -n "s/^$1=//p" "$file" | tail -n 1; }

active() {
    pidfile=$(key PIDFile)
    [ -n "$pidfile" ] && [ -f "$pidfile" ] || return 1
    pid=$(cat "$pidfile" 2>/dev/null)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
    [ "$state" != Z ]
}

# run KEY: the unit's command line, as the unit's user would, with only the unit's environment
run() {
    line=$(key "$1")
    [ -n "$line" ] || return 0
    envs=$(sed -n 's/^Environment=//p' "$file")
    # shellcheck disable=SC2086
    (cd / && env -i HOME="$HOME" PATH="$PATH" LANG=C $envs $line) >> "$UNITS/$unit.journal" 2>&1
}

if [ "$cmd" = show ]; then
    if [ -f "$file" ]; then echo "LoadState=loaded"; else echo "LoadState=not-found"; fi
    exit 0
fi
if [ ! -f "$file" ]; then
    echo "Unit $unit.service could not be found." >&2
    [ "$cmd" = is-active ] && { echo inactive; exit 3; }
    exit 5
fi
start() {
    active && return 0
    if ! run ExecStart || ! active; then
        echo "Job for $unit.service failed because the control process exited with error code." >&2
        echo "See \"systemctl status $unit.service\" and \"journalctl -xeu $unit.service\" for details." >&2
        echo failed > "$UNITS/$unit.state"
        return 1
    fi
    echo active > "$UNITS/$unit.state"
}
stop() {
    if active; then run ExecStop; fi
    echo inactive > "$UNITS/$unit.state"
    ! active
}
case $cmd in
    start) start ;;
    stop) stop ;;
    restart) stop && start ;;
    is-active)
        if active; then echo active; exit 0; fi
        cat "$UNITS/$unit.state" 2>/dev/null || echo inactive
        exit 3 ;;
    status)
        echo "* $unit.service - $(key Description)"
        echo "     Loaded: loaded ($file; enabled)"
        if active; then echo "     Active: active (running)"; else echo "     Active: $(cat "$UNITS/$unit.state" 2>/dev/null || echo inactive) (dead)"; fi
        tail -n 10 "$UNITS/$unit.journal" 2>/dev/null
        active || exit 3 ;;
    *) echo "stand-in systemctl: unknown command $cmd" >&2; exit 2 ;;
esac
