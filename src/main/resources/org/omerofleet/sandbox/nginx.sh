#!/bin/sh
# Simulated nginx (sandbox stand-in, not the real server): enough of `nginx -t` and `nginx -s reload`
# for the upgrade's web server step. Needs only /bin/sh and awk.
#
# The configuration is $HOME/etc/nginx/nginx.conf (or -c FILE); its `include` lines name the stanza
# files. -t checks each file: braces balanced, every directive known and ended by ';', as nginx does,
# with its messages and exit 1 on an error. -s reload checks the same way (a broken configuration
# fails the reload, as the real `nginx -s reload` refuses it), then records the reload: the files
# loaded are concatenated into $HOME/var/nginx/active.conf (what the server now serves) and a line
# is appended to $HOME/var/nginx/reloads.log.
set -u

conf=$HOME/etc/nginx/nginx.conf
state=$HOME/var/nginx
test_only=0
signal=
while [ $# -gt 0 ]; do
    case $1 in
        -t) test_only=1 ;;
        -c) shift; conf=${1-} ;;
        -s) shift; signal=${1-} ;;
        -v|-V) echo "nginx version: nginx/1.22.1 (omero-fleet sandbox stand-in)" >&2; exit 0 ;;
        *) echo "nginx: invalid option: \"$1\"" >&2; exit 1 ;;
    esac
    shift
done

# check_file FILE: nginx's messages for the first error in FILE, nothing when it is sound
check_file() {
    awk -v file="$1" '
    BEGIN {
        split("events http server location listen server_name client_max_body_size alias root index return " \
              "proxy_pass proxy_set_header proxy_read_timeout proxy_redirect proxy_buffering fastcgi_pass fastcgi_param " \
              "fastcgi_read_timeout include error_log access_log pid worker_processes worker_connections upstream " \
              "sendfile keepalive_timeout default_type types rewrite try_files add_header gzip user charset", k, " ")
        for (i in k) known[k[i]] = 1
        depth = 0
    }
    {
        line = $0
        sub(/#.*/, "", line)
        gsub(/^[ \t]+|[ \t]+$/, "", line)
        if (line == "") next
        n = split(line, words, /[ \t]+/)
        name = words[1]
        if (name == "}") {
            if (--depth < 0) { printf "nginx: [emerg] unexpected \"}\" in %s:%d\n", file, NR; bad = 1; exit }
            next
        }
        if (!(name in known) && name != "=") {
            printf "nginx: [emerg] unknown directive \"%s\" in %s:%d\n", name, file, NR; bad = 1; exit
        }
        if (line ~ /\{$/) { depth++; next }
        if (line !~ /;$/) {
            printf "nginx: [emerg] directive \"%s\" is not terminated by \";\" in %s:%d\n", name, file, NR; bad = 1; exit
        }
    }
    END {
        if (!bad && depth > 0) printf "nginx: [emerg] unexpected end of file, expecting \"}\" in %s:%d\n", file, NR
    }' "$1"
}

# includes: the files the main configuration includes (glob patterns expanded)
includes() {
    sed -n 's/^[ \t]*include[ \t]\{1,\}\([^;]*\);.*/\1/p' "$conf" | while IFS= read -r pattern; do
        for f in $pattern; do
            [ -f "$f" ] && printf '%s\n' "$f"
        done
    done
}

check_all() {
    if [ ! -r "$conf" ]; then
        echo "nginx: [emerg] open() \"$conf\" failed (2: No such file or directory)" >&2
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

if [ "$test_only" -eq 1 ]; then
    if check_all; then
        echo "nginx: the configuration file $conf syntax is ok" >&2
        echo "nginx: configuration file $conf test is successful" >&2
        exit 0
    fi
    echo "nginx: configuration file $conf test failed" >&2
    exit 1
fi

case $signal in
    reload)
        check_all || exit 1
        mkdir -p "$state"
        for f in $(includes); do
            printf '# %s\n' "$f"
            cat "$f"
        done > "$state/active.conf.new" && mv -f "$state/active.conf.new" "$state/active.conf"
        printf '%s reload %s\n' "$(date '+%Y-%m-%dT%H:%M:%S')" "$(cksum < "$state/active.conf" | cut -d' ' -f1)" >> "$state/reloads.log"
        ;;
    '') echo "nginx: the sandbox stand-in only checks (-t) and reloads (-s reload)" >&2; exit 1 ;;
    *) echo "nginx: [error] invalid value \"$signal\" for -s" >&2; exit 1 ;;
esac
