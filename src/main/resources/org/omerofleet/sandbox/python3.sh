#!/bin/sh
# Simulated python3 of a sandbox host (omero-fleet stand-in, not Python): enough to create the virtualenvs
# that the sandbox's offline pip installs into. A virtualenv's bin/python3 is a symlink to this file, and,
# as with the real one, where it was called from (not where it resolves to) tells which environment it is.
#   python3 --version   python3 -m venv DIR   python3 -m pip ARGS (only inside a virtualenv)
# Anything else runs the machine's own python3 when there is one.
set -u
BIN=$(cd "$(dirname "$0")" && pwd) || exit 1
PYPI=$HOME/.sandbox-pypi
case "${1-}" in
    --version|-V) echo "Python 3.12.3"; exit 0 ;;
    -m)
        case "${2-}" in
            venv)
                shift 2
                [ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: venv ENV_DIR (sandbox stand-in: one directory, no options)" >&2; exit 2; }
                mkdir -p -- "$1/bin" "$1/lib" || exit 1
                dir=$(cd -P -- "$1" && pwd -P) || exit 1
                printf 'home = %s\ninclude-system-site-packages = false\nversion = 3.12.3\n' "$BIN" > "$dir/pyvenv.cfg"
                ln -sf "$BIN/python3" "$dir/bin/python3" && ln -sf python3 "$dir/bin/python" || exit 1
                cp "$PYPI/pip" "$dir/bin/pip" && chmod 755 "$dir/bin/pip" || { echo "Error: ensurepip failed (no $PYPI/pip)" >&2; exit 1; }
                touch "$dir/lib/sandbox-site-packages"
                exit 0 ;;
            pip)
                shift 2
                if [ -f "$BIN/../pyvenv.cfg" ]; then exec "$BIN/pip" "$@"; fi
                echo "$0: No module named pip" >&2
                exit 1 ;;
        esac ;;
esac
real=$(PATH=$(printf '%s' "$PATH" | sed "s|$BIN:||g") command -v python3) || { echo "python3 (sandbox stand-in): only --version, -m venv, -m pip" >&2; exit 1; }
exec "$real" "$@"
