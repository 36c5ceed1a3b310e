#!/bin/sh
# pg-server.sh - a throwaway PostgreSQL cluster on loopback, for tests and benchmarks.
#
#   scripts/pg-server.sh start DIR PORT   create a cluster in DIR/data (if not there yet),
#                                         start it, wait until it accepts connections
#   scripts/pg-server.sh stop DIR         stop the server started in DIR (by its pid)
#   scripts/pg-server.sh url DIR PORT     print the connection URL
#
# The cluster: superuser "postgres", trust authentication (test clusters only),
# listen_addresses=127.0.0.1, the unix socket in DIR, fsync off. Connect with
#   postgresql://postgres@127.0.0.1:PORT/postgres
# PostgreSQL refuses to run as root, so as root the server runs as the "postgres" user
# (DIR is handed to that user). Nothing but DIR is touched; stop removes nothing.
set -eu

die() { echo "pg-server.sh: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 start DIR PORT | stop DIR | url DIR PORT" >&2
    exit 2
}

# Directory of initdb/pg_ctl: PG_BINDIR, else the newest /usr/lib/postgresql/N/bin, else PATH.
find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        echo "$PG_BINDIR"
        return
    fi
    best=""
    bestv=0
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] || continue
        v=$(basename "$(dirname "$d")")
        case "$v" in
            *[!0-9]*) continue ;;
        esac
        if [ "$v" -gt "$bestv" ]; then
            bestv=$v
            best=$d
        fi
    done
    if [ -n "$best" ]; then
        echo "$best"
        return
    fi
    p=$(command -v initdb 2>/dev/null) || die "initdb not found (install postgresql or set PG_BINDIR)"
    dirname "$p"
}

# Run a command as the cluster owner (postgres when we are root, else ourselves).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            # su needs one command string; quote each argument.
            cmd=""
            for a in "$@"; do
                cmd="$cmd '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"
            done
            su postgres -s /bin/sh -c "$cmd"
        fi
    else
        "$@"
    fi
}

cmd_start() {
    dir=$1
    port=$2
    case "$port" in
        ''|*[!0-9]*) die "bad port '$port'" ;;
    esac
    bindir=$(find_bindir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    as_owner test -w "$dir" || die "the postgres user cannot write $dir (a parent directory is not searchable?)"
    data="$dir/data"
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
            --no-sync >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            die "initdb failed"
        }
        cat >>"$data/postgresql.conf" <<EOF
# pg-server.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
shared_buffers = 128MB
max_wal_size = 2GB
logging_collector = off
EOF
    else
        # Existing cluster: make sure the port is the one asked for.
        sed -i "s/^port = .*/port = $port/" "$data/postgresql.conf"
    fi
    if [ -f "$data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
    then
        die "a server is already running in $dir"
    fi
    as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir" start >/dev/null || {
        tail -n 30 "$dir/server.log" >&2 || true
        die "server did not start (log: $dir/server.log)"
    }
    # Wait until it accepts TCP connections on loopback.
    i=0
    while ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; do
        i=$((i + 1))
        [ $i -lt 120 ] || die "server in $dir does not accept connections on port $port"
        sleep 0.5
    done
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

cmd_stop() {
    dir=$1
    data="$dir/data"
    pidfile="$data/postmaster.pid"
    [ -f "$pidfile" ] || die "no server running in $dir (no $pidfile)"
    pid=$(head -n 1 "$pidfile")
    case "$pid" in
        ''|*[!0-9]*) die "bad pid in $pidfile" ;;
    esac
    # Fast shutdown by pid (SIGINT), then wait for it to go away.
    if ! kill -INT "$pid" 2>/dev/null; then
        echo "pg-server.sh: server pid $pid in $dir is not running" >&2
        return 0
    fi
    i=0
    while kill -0 "$pid" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -eq 120 ]; then
            kill -QUIT "$pid" 2>/dev/null || true
        fi
        [ $i -lt 200 ] || die "server pid $pid in $dir does not stop"
        sleep 0.1
    done
}

[ $# -ge 1 ] || usage
case "$1" in
    start)
        [ $# -eq 3 ] || usage
        cmd_start "$2" "$3"
        ;;
    stop)
        [ $# -eq 2 ] || usage
        cmd_stop "$2"
        ;;
    url)
        [ $# -eq 3 ] || usage
        echo "postgresql://postgres@127.0.0.1:$3/postgres"
        ;;
    *) usage ;;
esac
