#!/bin/sh
# Simulated OMERO.server command line (sandbox stand-in, not the real CLI).
# Needs only /bin/sh, coreutils, grep, sed, awk and psql.
#
# Exit codes: 0 ok; 1 "not running" for status; 2 usage; 43 startup failed
# (DB missing, unreachable or at the wrong version); 108 = 876 mod 256,
# "Server already running" (the real CLI also exits 876); 111 config lock held.
set -u

prg=$0
while [ -h "$prg" ]; do
    link=$(readlink "$prg")
    case $link in
        /*) prg=$link ;;
        *) prg=$(dirname "$prg")/$link ;;
    esac
done
BIN_DIR=$(cd -P "$(dirname "$prg")" && pwd -P) || exit 1
# Installed in a Python 3 virtualenv (pyvenv.cfg one level up), this is omero-py's `omero` entry point
# as OMERO 5.6 deploys it: it knows no server of its own, `version` prints omero-py's version, and every
# other command works on the server (or OMERO.web install) that OMERODIR names.
VENV=
if [ -f "$BIN_DIR/../pyvenv.cfg" ]; then
    VENV=$(cd -P "$BIN_DIR/.." && pwd -P)
    if [ "${1-}" = version ]; then
        sed -n 's/^omero-py==//p' "$VENV/lib/sandbox-site-packages"
        exit 0
    fi
    if [ -z "${OMERODIR-}" ]; then
        printf '%s\n' "ERROR: OMERODIR not set" >&2
        exit 101
    fi
    OMERO_DIR=$(cd -P "$OMERODIR" 2>/dev/null && pwd -P) || { printf '%s\n' "ERROR: OMERODIR $OMERODIR is not a directory" >&2; exit 101; }
else
    OMERO_DIR=$(cd -P "$BIN_DIR/.." && pwd -P) || exit 1
fi
CONFIG=$OMERO_DIR/etc/grid/config.xml
PROPS=$OMERO_DIR/etc/omero.properties
MASTER_PID=$OMERO_DIR/var/master/master.pid
SESSION_PID=$OMERO_DIR/var/master/session.pid
WEB_PID=$OMERO_DIR/var/django.pid
LOG_DIR=$OMERO_DIR/var/log

err() { printf '%s\n' "$*" >&2; }

usage() {
    err "usage: omero <command> [args]"
    err "commands: version | admin start|stop|status|diagnostics |"
    err "          config get [--show-password] [KEY] | config set KEY [VALUE] | config load FILE |"
    err "          web start|stop|status|config nginx|apache"
    exit 2
}

prop() {
    awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$PROPS"
}

# --- etc/grid/config.xml ----------------------------------------------------
# One <property .../> per line; values are stored XML-escaped, so they never
# contain a double quote and a line-oriented awk parser is enough.

CFG_AWK_LIB='
function attr(line, a,   i, rest) {
    i = index(line, " " a "=\"")
    if (i == 0) return ""
    rest = substr(line, i + length(a) + 3)
    return substr(rest, 1, index(rest, "\"") - 1)
}
function unesc(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
    gsub(/&apos;/, "'"'"'", s); gsub(/&#10;/, "\n", s); gsub(/&amp;/, "\\&", s)
    return s
}
function esc(s) {
    gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
    gsub(/"/, "\\&quot;", s); gsub(/\n/, "\\&#10;", s)
    return s
}
/<properties id="default"/ { indef = 1 }
'

cfg_list() {
    awk "$CFG_AWK_LIB"'
    indef && /<\/properties>/ { indef = 0 }
    indef && /<property / { print attr($0, "name") "=" unesc(attr($0, "value")) }
    ' "$CONFIG"
}

cfg_value() {
    OMERO_CFG_KEY=$1 awk "$CFG_AWK_LIB"'
    indef && /<\/properties>/ { indef = 0 }
    indef && /<property / && unesc(attr($0, "name")) == ENVIRON["OMERO_CFG_KEY"] { v = unesc(attr($0, "value")); found = 1 }
    END { if (found) print v }
    ' "$CONFIG"
}

cfg_lock() {
    if ! mkdir "$CONFIG.lock" 2>/dev/null; then
        err "Could not acquire lock on $CONFIG"
        exit 111
    fi
}

cfg_unlock() { rmdir "$CONFIG.lock" 2>/dev/null; }

# cfg_write KEY [VALUE]: VALUE absent means remove the key.
cfg_write() {
    if [ $# -ge 2 ]; then mode=set; else mode=remove; fi
    tmp=$CONFIG.tmp.$$
    OMERO_CFG_KEY=$1 OMERO_CFG_VALUE=${2-} OMERO_CFG_MODE=$mode awk "$CFG_AWK_LIB"'
    BEGIN { key = ENVIRON["OMERO_CFG_KEY"]; val = esc(ENVIRON["OMERO_CFG_VALUE"]); mode = ENVIRON["OMERO_CFG_MODE"] }
    indef && /<\/properties>/ {
        if (mode == "set" && !done) print "    <property name=\"" esc(key) "\" value=\"" val "\"/>"
        indef = 0; print; next
    }
    indef && /<property / && unesc(attr($0, "name")) == key {
        if (mode == "set" && !done) print "    <property name=\"" esc(key) "\" value=\"" val "\"/>"
        done = 1; next
    }
    { print }
    ' "$CONFIG" > "$tmp" && mv "$tmp" "$CONFIG"
}

config_get() {
    show=0
    if [ "${1-}" = "--show-password" ]; then show=1; shift; fi
    if [ $# -ge 1 ]; then
        cfg_value "$1"
        return 0
    fi
    cfg_list | sort | while IFS= read -r line; do
        k=${line%%=*}
        case $k in
            *pass|*password|*.pass.*)
                if [ "$show" -eq 0 ]; then line="$k=********"; fi ;;
        esac
        printf '%s\n' "$line"
    done
}

config_load() {
    [ $# -eq 1 ] && [ -r "$1" ] || { err "Cannot read file: ${1-}"; exit 2; }
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
            ''|'#'*) continue ;;
            *=*) cfg_write "${line%%=*}" "${line#*=}" ;;
        esac
    done < "$1"
}

config_cmd() {
    [ $# -ge 1 ] || usage
    sub=$1; shift
    case $sub in
        get) config_get "$@" ;;
        set)
            [ $# -ge 1 ] && [ $# -le 2 ] || usage
            cfg_lock; trap cfg_unlock EXIT
            cfg_write "$@"
            ;;
        load)
            cfg_lock; trap cfg_unlock EXIT
            config_load "$@"
            ;;
        *) usage ;;
    esac
}

# --- processes --------------------------------------------------------------

# running PID: a killed orphan stays a zombie until init reaps it; count that as gone.
running() {
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/stat" ]; then
        state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
        [ "$state" != Z ] && [ "$state" != X ]
    fi
}

alive() {
    [ -f "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null)
    [ -n "$pid" ] && running "$pid"
}

# spawn PIDFILE: a detached long-lived stand-in process, its cwd inside the install.
spawn() {
    mkdir -p "$(dirname "$1")"
    (cd "$OMERO_DIR/var" && nohup sleep 2147483647 </dev/null >/dev/null 2>&1 & echo $! > "$1")
}

# hold_session: the running server holds a database session (application_name OMERO.server), as
# Blitz's connection pool does; the sandbox's upgrade scripts refuse to run while one is open.
# client_connection_check_interval (PostgreSQL 14+) ends the backend soon after psql is killed.
hold_session() {
    PGPASSWORD=$(cfg_value omero.db.pass)
    [ -n "$PGPASSWORD" ] || PGPASSWORD=omero
    export PGPASSWORD
    (cd "$OMERO_DIR/var" && PGAPPNAME=OMERO.server nohup psql -X -w -q \
        -h "$(cfg_value omero.db.host | sed 's/^$/localhost/')" -p "$(cfg_value omero.db.port | sed 's/^$/5432/')" \
        -U "$(cfg_value omero.db.user | sed 's/^$/omero/')" -d "$(cfg_value omero.db.name | sed 's/^$/omero/')" \
        -c "SET client_connection_check_interval = '200ms'" -c "SELECT pg_sleep(2147483)" \
        </dev/null >/dev/null 2>&1 & echo $! > "$SESSION_PID")
    # startup completes once the session is open (at most 10 s; a server whose session never opens still runs)
    n=0
    while [ "$n" -lt 100 ]; do
        open=$(session_count)
        [ "${open:-0}" -gt 0 ] 2>/dev/null && break
        sleep 0.1; n=$((n + 1))
    done
    unset PGPASSWORD
}

# session_count: how many sessions the server holds on its database (PGPASSWORD set by the caller)
session_count() {
    psql -X -w -A -t -q -h "$(cfg_value omero.db.host | sed 's/^$/localhost/')" -p "$(cfg_value omero.db.port | sed 's/^$/5432/')" \
        -U "$(cfg_value omero.db.user | sed 's/^$/omero/')" -d "$(cfg_value omero.db.name | sed 's/^$/omero/')" \
        -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'OMERO.server'" 2>/dev/null
}

# release_session: a stopping server closes its connections before the stop returns; wait (at most 30 s)
# until the database no longer shows the session, however slowly the backend notices its client is gone
release_session() {
    terminate "$SESSION_PID"
    PGPASSWORD=$(cfg_value omero.db.pass)
    [ -n "$PGPASSWORD" ] || PGPASSWORD=omero
    export PGPASSWORD
    n=0
    while [ "$n" -lt 300 ]; do
        open=$(session_count)
        [ "${open:-1}" -eq 0 ] 2>/dev/null && break
        [ -z "$open" ] && break # the database cannot be reached: nothing to wait for
        sleep 0.1; n=$((n + 1))
    done
    unset PGPASSWORD
}

terminate() {
    pid=$(cat "$1" 2>/dev/null)
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        n=0
        while running "$pid" && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
        kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$1"
}

log_blitz() {
    mkdir -p "$LOG_DIR"
    printf '%s INFO  [ome.services.util.DBPatchCheck] %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*" >> "$LOG_DIR/Blitz-0.log"
}

# --- admin ------------------------------------------------------------------

db_check() {
    PGPASSWORD=$(cfg_value omero.db.pass)
    [ -n "$PGPASSWORD" ] || PGPASSWORD=omero
    export PGPASSWORD
    host=$(cfg_value omero.db.host); port=$(cfg_value omero.db.port)
    name=$(cfg_value omero.db.name); user=$(cfg_value omero.db.user)
    out=$(psql -X -w -A -t -q -h "${host:-localhost}" -p "${port:-5432}" -U "${user:-omero}" -d "${name:-omero}" \
        -c "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1" 2>&1)
    rc=$?
    unset PGPASSWORD
    if [ $rc -ne 0 ]; then
        case $out in
            *'"dbpatch" does not exist'*) msg="Error connecting to database table dbpatch. You may need to bootstrap." ;;
            *) msg="Cannot connect to the database: $out" ;;
        esac
        err "$msg"; log_blitz "$msg"
        return 1
    fi
    want="$(prop omero.db.version)__$(prop omero.db.patch)"
    if [ "$out" != "$want" ]; then
        msg="DB version ($out) does not match omero.properties ($want). Please apply a db upgrade."
        err "$msg"; log_blitz "$msg"
        return 1
    fi
    log_blitz "Verified database patch: $want"
}

# ice_check: the build's Ice (the ice tag in omero.version) must be the host's (icegridnode --version).
# A host with no icegridnode on PATH is taken as matching (sandbox hosts reached through OpenSSH have none).
ice_check() {
    want=$(prop omero.version | sed -n 's/.*-ice\([0-9]\)\([0-9]\).*/\1.\2/p')
    [ -n "$want" ] || return 0
    command -v icegridnode >/dev/null 2>&1 || return 0
    have=$(icegridnode --version 2>&1 | head -n 1)
    case $have in
        "$want"|"$want".*) return 0 ;;
    esac
    msg="Ice version mismatch: this OMERO.server build needs Ice $want, icegridnode is $have"
    err "$msg"; log_blitz "$msg"
    return 1
}

# data_dir_check: the binary repository (omero.data.dir, default /OMERO) must exist.
data_dir_check() {
    dir=$(cfg_value omero.data.dir)
    [ -n "$dir" ] || dir=/OMERO
    [ -d "$dir" ] && return 0
    msg="omero.data.dir $dir does not exist: Did you create your omero.data.dir?"
    err "$msg"; log_blitz "$msg"
    return 1
}

admin_start() {
    if alive "$MASTER_PID"; then
        err "Server already running"
        exit 876
    fi
    echo "No descriptor given. Using etc/grid/default.xml"
    echo "Waiting on startup. Use CTRL-C to exit"
    if ! ice_check || ! data_dir_check || ! db_check; then
        err "Failed to startup some components after 0 seconds"
        exit 43
    fi
    spawn "$MASTER_PID"
    hold_session
    echo "."
}

admin_stop() {
    if ! alive "$MASTER_PID"; then
        terminate "$SESSION_PID"
        rm -f "$MASTER_PID"
        err "Server not running"
        exit 0
    fi
    echo "Waiting on shutdown. Use CTRL-C to exit"
    release_session
    terminate "$MASTER_PID"
    echo "."
}

admin_status() {
    if alive "$MASTER_PID"; then exit 0; fi
    err "Server not running"
    exit 1
}

admin_diagnostics() {
    bar="================================================================================"
    echo "$bar"
    echo "OMERO Diagnostics (admin) $(prop omero.version)"
    echo "$bar"
    echo
    echo "Commands:   java -version                  (simulated)"
    echo "Commands:   python -V                      (simulated)"
    echo "Commands:   icegridnode --version          (simulated)"
    echo "Commands:   psql --version                 $(psql --version 2>/dev/null || echo 'not found')"
    echo
    echo "Component:  OMERO.server                   $(prop omero.version)"
    echo
    if alive "$MASTER_PID"; then
        echo "Server:     icegridnode                    running"
        echo "Server:     Blitz-0                        active (pid = $(cat "$MASTER_PID"), enabled)"
    else
        echo "Server:     icegridnode                    not started"
        echo "Server:     Blitz-0                        inactive (disabled)"
    fi
    echo
    echo "Log dir:    $LOG_DIR                       exists"
    echo
    echo "Log files:"
    for f in "$LOG_DIR"/*.log; do
        [ -f "$f" ] || continue
        printf '%-40s %s bytes\n' "$(basename "$f")" "$(wc -c < "$f" | tr -d ' ')"
    done
    if grep -q 'password authentication failed' "$LOG_DIR"/*.log 2>/dev/null; then
        echo "Your postgres password seems to be invalid"
    fi
    if grep -q 'Did you create your omero.data.dir' "$LOG_DIR"/*.log 2>/dev/null; then
        echo "Did you create your omero.data.dir?"
    fi
    echo
    echo "Environment:OMERO_HOME=${OMERO_HOME-(unset)}"
    echo "Environment:OMERODIR=${OMERODIR-(unset)}"
    echo "OMERO data dir: '$(cfg_value omero.data.dir)'"
}

admin_cmd() {
    [ $# -ge 1 ] || usage
    case $1 in
        start) admin_start ;;
        stop) admin_stop ;;
        status) admin_status ;;
        diagnostics) admin_diagnostics ;;
        *) usage ;;
    esac
}

# --- web --------------------------------------------------------------------

web_prefix() {
    [ -f "$PROPS" ] || { echo "/omero"; return; } # omero-web (5.6) serves under /omero
    case $(prop omero.version) in
        4.3.*|4.2.*|4.1.*) echo "/" ;;
        *) echo "/omero" ;;
    esac
}

# web_config nginx|apache: the web server stanza of this release, as `bin/omero web config` prints it.
# OMERO.web is mounted on / before 4.4 and on /omero from 4.4, with a redirect from /; 4.x serves it
# over FastCGI, 5.x behind a proxy. The static files are served from this install's own directory, so
# the stanza changes with every release. A release built with omero.sandbox.web.stanza=broken prints
# one whose server block is never closed (nginx -t and apachectl configtest refuse it).
web_config() {
    prefix=$(web_prefix)
    base=${prefix%/}
    if [ -f "$PROPS" ]; then
        version=$(prop omero.version)
        static=$OMERO_DIR/lib/python/omeroweb/static
        broken=$(prop omero.sandbox.web.stanza)
    else
        # OMERO.web installed on its own (5.6): omero-web's static files, in its virtualenv, change with it
        version="omero-web $(sed -n 's/^omero-web==//p' "$VENV/lib/sandbox-site-packages")"
        static=$VENV/lib/python3/site-packages/omeroweb/static
        broken=
    fi
    case $version in
        4.*) backend="fastcgi_pass 127.0.0.1:4080;" ;;
        *) backend="proxy_pass http://127.0.0.1:4080;" ;;
    esac
    case ${1-} in
        nginx)
            echo "# OMERO.web $version: generated by bin/omero web config nginx"
            echo "server {"
            echo "    listen 80;"
            echo "    client_max_body_size 0;"
            if [ "$prefix" != / ]; then
                echo "    location = / {"
                echo "        return 301 $prefix/;"
                echo "    }"
            fi
            echo "    location $base/static {"
            echo "        alias $static;"
            echo "    }"
            echo "    location $prefix {"
            echo "        $backend"
            echo "        proxy_read_timeout 600;"
            echo "    }"
            [ "$broken" = broken ] || echo "}"
            ;;
        apache)
            echo "# OMERO.web $version: generated by bin/omero web config apache"
            echo "<VirtualHost _default_:80>"
            [ "$prefix" = / ] || echo "    RedirectMatch ^/\$ $prefix/"
            echo "    Alias $base/static $static"
            echo "    ProxyPass $prefix http://127.0.0.1:4080$prefix"
            echo "    ProxyPassReverse $prefix http://127.0.0.1:4080$prefix"
            [ "$broken" = broken ] || echo "</VirtualHost>"
            ;;
        *) usage ;;
    esac
}

web_cmd() {
    [ $# -ge 1 ] || usage
    if [ -n "$VENV" ] && ! grep -q '^omero-web==' "$VENV/lib/sandbox-site-packages" 2>/dev/null; then
        err "omero-web is not installed in $VENV: pip install omero-web"
        exit 2
    fi
    case $1 in
        start)
            if alive "$WEB_PID"; then
                echo "OMERO.web is already running (PID $(cat "$WEB_PID"))"
                exit 0
            fi
            spawn "$WEB_PID"
            echo "Starting OMERO.web... [OK]"
            ;;
        stop)
            if alive "$WEB_PID"; then
                terminate "$WEB_PID"
                echo "Stopping OMERO.web... [OK]"
            else
                rm -f "$WEB_PID"
                echo "Stopping OMERO.web... [NOT STARTED]"
            fi
            ;;
        status)
            if alive "$WEB_PID"; then
                echo "OMERO.web status... [RUNNING] (PID $(cat "$WEB_PID"))"
            else
                echo "OMERO.web status... [NOT STARTED]"
                exit 1
            fi
            ;;
        restart) "$prg" web stop && "$prg" web start ;;
        config) shift; web_config "$@" ;;
        *) usage ;;
    esac
}

# OMERO 5.6's CLI needs OMERODIR for the plugins using the server's Java components (admin, config, db)
# and for web.
needs_omerodir() {
    [ -z "$VENV" ] || return 0 # checked above
    case $(prop omero.version) in
        5.6.*|5.[7-9].*) ;;
        *) return 0 ;;
    esac
    if [ -z "${OMERODIR-}" ]; then
        err "ERROR: OMERODIR not set"
        exit 101
    fi
}

# OMERO 5.6's own bin/omero is a Python 3 script that imports omero-py: outside a virtualenv it runs only
# where the python3 first on PATH has omero-py (a sandbox virtualenv's bin ahead on PATH); elsewhere it
# fails as Python does on a missing module, whatever the command.
needs_omero_py() {
    [ -z "$VENV" ] || return 0
    case $(prop omero.version) in
        5.6.*|5.[7-9].*) ;;
        *) return 0 ;;
    esac
    py=$(command -v python3 2>/dev/null) && pyenv=$(dirname "$py")/.. && [ -f "$pyenv/pyvenv.cfg" ] \
        && grep -q '^omero-py==' "$pyenv/lib/sandbox-site-packages" 2>/dev/null && return 0
    err "Traceback (most recent call last):"
    err "  File \"$BIN_DIR/omero\", line 14, in <module>"
    err "    from omero.cli import main"
    err "ModuleNotFoundError: No module named 'omero'"
    exit 1
}

[ $# -ge 1 ] || usage
needs_omero_py
cmd=$1; shift
case $cmd in
    admin|config|db|web) needs_omerodir ;;
esac
case $cmd in
    version) prop omero.version ;;
    admin) admin_cmd "$@" ;;
    config) config_cmd "$@" ;;
    web) web_cmd "$@" ;;
    *) usage ;;
esac
