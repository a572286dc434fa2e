#!/bin/sh
# Simulated apachectl (sandbox stand-in, not the real server): enough of `apachectl configtest` and
# `apachectl graceful` for the upgrade's web server step. Needs only /bin/sh and awk.
#
# The configuration is $HOME/etc/apache2/apache2.conf; its `IncludeOptional` lines name the stanza
# files. configtest checks each file: sections (<VirtualHost>, <Location>, ...) opened and closed in
# order, every directive known, with Apache's messages and exit 1 on an error, "Syntax OK" otherwise.
# graceful checks the same way (a broken configuration fails it, as the real one refuses to restart),
# then records what it loaded: $HOME/var/apache2/active.conf and a line in $HOME/var/apache2/reloads.log.
set -u

conf=$HOME/etc/apache2/apache2.conf
state=$HOME/var/apache2

# check_file FILE: Apache's message for the first error in FILE, nothing when it is sound
check_file() {
    awk -v file="$1" '
    BEGIN {
        split("ServerName ServerAdmin DocumentRoot Alias RedirectMatch Redirect ProxyPass ProxyPassReverse ProxyPreserveHost " \
              "ProxyTimeout RequestHeader Header SetEnv Options AllowOverride Require ErrorLog CustomLog LogLevel Listen " \
              "IncludeOptional Include LoadModule KeepAlive Timeout", k, " ")
        for (i in k) known[k[i]] = 1
        split("VirtualHost Location LocationMatch Directory DirectoryMatch Files IfModule Proxy", t, " ")
        for (i in t) sections[t[i]] = 1
        depth = 0
    }
    {
        line = $0
        sub(/^[ \t]+/, "", line)
        sub(/[ \t]+$/, "", line)
        if (line == "" || line ~ /^#/) next
        if (line ~ /^<\//) {
            name = substr(line, 3); sub(/>.*/, "", name)
            if (depth == 0 || open[depth] != name) {
                printf "AH00526: Syntax error on line %d of %s:\n</%s> without matching <%s> section\n", NR, file, name, name; bad = 1; exit
            }
            depth--
            next
        }
        if (line ~ /^</) {
            name = substr(line, 2); sub(/[ \t>].*/, "", name)
            if (!(name in sections)) {
                printf "AH00526: Syntax error on line %d of %s:\nInvalid command <%s, perhaps misspelled\n", NR, file, name; bad = 1; exit
            }
            open[++depth] = name
            next
        }
        n = split(line, words, /[ \t]+/)
        if (!(words[1] in known)) {
            printf "AH00526: Syntax error on line %d of %s:\nInvalid command %s, perhaps misspelled or defined by a module not included in the server configuration\n", NR, file, words[1]; bad = 1; exit
        }
    }
    END {
        if (!bad && depth > 0) printf "AH00526: Syntax error on line %d of %s:\n<%s> was not closed.\n", NR, file, open[depth]
    }' "$1"
}

# includes: the files the main configuration includes (glob patterns expanded)
includes() {
    sed -n 's/^[ \t]*IncludeOptional[ \t]\{1,\}\([^ \t]*\).*/\1/p' "$conf" | while IFS= read -r pattern; do
        for f in $pattern; do
            [ -f "$f" ] && printf '%s\n' "$f"
        done
    done
}

check_all() {
    if [ ! -r "$conf" ]; then
        echo "apache2: Could not open configuration file $conf: No such file or directory" >&2
        return 1
    fi
    for f in "$conf" $(includes); do
        out=$(check_file "$f")
        if [ -n "$out" ]; then
            printf '%s\n' "$out" >&2
            return 1
        fi
    done
}

case ${1-} in
    configtest|-t)
        check_all || exit 1
        echo "Syntax OK" >&2
        ;;
    graceful|reload)
        check_all || exit 1
        mkdir -p "$state"
        for f in $(includes); do
            printf '# %s\n' "$f"
            cat "$f"
        done > "$state/active.conf.new" && mv -f "$state/active.conf.new" "$state/active.conf"
        printf '%s graceful %s\n' "$(date '+%Y-%m-%dT%H:%M:%S')" "$(cksum < "$state/active.conf" | cut -d' ' -f1)" >> "$state/reloads.log"
        ;;
    -v|-V) echo "Server version: Apache/2.4.62 (omero-fleet sandbox stand-in)" ;;
    *) echo "apachectl: the sandbox stand-in only checks (configtest) and reloads (graceful)" >&2; exit 1 ;;
esac
