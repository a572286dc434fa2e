#!/bin/sh
# Simulated pip of a sandbox virtualenv (omero-fleet stand-in, not the real pip): no network; the
# sandbox's package index is the list below. What is installed is one NAME==VERSION line per package
# in lib/sandbox-site-packages; every call is appended to pip.log in the virtualenv. Installing omero-py
# brings its dependency zeroc-ice and its `omero` entry point (bin/omero, the simulated CLI, from the
# host's ~/.sandbox-pypi when the virtualenv has none yet).
#   pip install [--upgrade|-U] [--] NAME[==VERSION]...   pip show NAME   pip freeze
set -u
VENV=$(cd -P "$(dirname "$0")/.." && pwd -P) || exit 1
DB=$VENV/lib/sandbox-site-packages
printf '%s\n' "$*" >> "$VENV/pip.log"
touch "$DB"

# the sandbox index: every version it offers, oldest first
index() {
    case $1 in
        omero-py) echo "5.8.1 5.11.2 5.13.1 5.19.4" ;;
        omero-web) echo "5.8.1 5.14.0 5.22.1 5.27.1" ;;
        zeroc-ice) echo "3.6.5" ;;
        *) echo "" ;;
    esac
}

installed() { sed -n "s/^$1==//p" "$DB"; }

put() {
    grep -v "^$1==" "$DB" > "$DB.tmp"; printf '%s==%s\n' "$1" "$2" >> "$DB.tmp"; mv "$DB.tmp" "$DB"
}

install_one() {
    name=${1%%==*}; want=
    case $1 in *==*) want=${1#*==} ;; esac
    versions=$(index "$name")
    if [ -z "$versions" ]; then
        echo "ERROR: Could not find a version that satisfies the requirement $1 (from versions: none)" >&2
        echo "ERROR: No matching distribution found for $1" >&2
        return 1
    fi
    newest=${versions##* }
    have=$(installed "$name")
    if [ -n "$want" ]; then
        case " $versions " in
            *" $want "*) ;;
            *) echo "ERROR: Could not find a version that satisfies the requirement $1 (from versions: $versions)" >&2; return 1 ;;
        esac
    elif [ -n "$have" ] && [ "$upgrade" -eq 0 ]; then
        echo "Requirement already satisfied: $name in $VENV/lib/python3/site-packages ($have)"
        return 0
    else
        want=$newest
    fi
    if [ "$have" = "$want" ]; then
        echo "Requirement already satisfied: $name==$want in $VENV/lib/python3/site-packages ($have)"
        return 0
    fi
    if [ -n "$have" ]; then
        echo "  Attempting uninstall: $name"
        echo "    Successfully uninstalled $name-$have"
    fi
    put "$name" "$want"
    echo "Successfully installed $name-$want"
    if [ "$name" = omero-py ]; then
        [ -n "$(installed zeroc-ice)" ] || { echo "Collecting zeroc-ice (from omero-py)"; put zeroc-ice 3.6.5; echo "Successfully installed zeroc-ice-3.6.5"; }
        if [ ! -e "$VENV/bin/omero" ] && [ -f "$HOME/.sandbox-pypi/omero" ]; then
            cp "$HOME/.sandbox-pypi/omero" "$VENV/bin/omero" && chmod 755 "$VENV/bin/omero"
        fi
    fi
}

[ $# -ge 1 ] || { echo "usage: pip install|show|freeze" >&2; exit 2; }
cmd=$1; shift
case $cmd in
    install)
        upgrade=0; rc=0
        for a in "$@"; do
            case $a in
                --upgrade|-U) upgrade=1 ;;
                --) ;;
                -*) echo "no such option: $a" >&2; exit 2 ;;
                *) install_one "$a" || rc=1 ;;
            esac
        done
        exit $rc ;;
    show)
        have=$(installed "${1-}")
        [ -n "$have" ] || { echo "WARNING: Package(s) not found: ${1-}" >&2; exit 1; }
        printf 'Name: %s\nVersion: %s\nLocation: %s/lib/python3/site-packages\n' "$1" "$have" "$VENV" ;;
    freeze) sort "$DB" ;;
    *) echo "ERROR: unknown command \"$cmd\"" >&2; exit 1 ;;
esac
