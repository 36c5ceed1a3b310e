#!/bin/sh
# mariadb-server.sh - a throwaway MariaDB server on loopback, for tests and benchmarks.
#
#   scripts/mariadb-server.sh start DIR PORT   create a datadir in DIR/data (if not there yet),
#                                              start mariadbd, wait until it answers
#   scripts/mariadb-server.sh stop DIR         stop the server started in DIR (by its pid)
#   scripts/mariadb-server.sh url DIR PORT     print the connection URL
#
# The server: user root without a password, reachable over TCP from 127.0.0.1 only
# (--bind-address=127.0.0.1, --skip-name-resolve, root@127.0.0.1 created), local_infile on,
# max_allowed_packet 256M (16 MiB blobs in tests), durability relaxed (test data only).
# Connect with
#   mysql://root@127.0.0.1:PORT/
# The socket, pid file and logs live in DIR; nothing outside DIR is touched; no option files
# are read (--no-defaults). Binaries: MARIADB_BINDIR if set, else PATH, /usr/sbin, /usr/bin.
set -eu

die() { echo "mariadb-server.sh: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 start DIR PORT | stop DIR | url DIR PORT" >&2
    exit 2
}

# find_bin NAME...: the first of the names found (MARIADB_BINDIR, PATH, /usr/sbin, /usr/bin).
find_bin() {
    for n in "$@"; do
        if [ -n "${MARIADB_BINDIR:-}" ] && [ -x "$MARIADB_BINDIR/$n" ]; then
            echo "$MARIADB_BINDIR/$n"
            return 0
        fi
        p=$(command -v "$n" 2>/dev/null) && { echo "$p"; return 0; }
        for d in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
            if [ -x "$d/$n" ]; then
                echo "$d/$n"
                return 0
            fi
        done
    done
    return 1
}

cmd_start() {
    dir=$1
    port=$2
    case "$port" in
        ''|*[!0-9]*) die "bad port '$port'" ;;
    esac
    installdb=$(find_bin mariadb-install-db mysql_install_db) ||
        die "mariadb-install-db not found (install mariadb-server or set MARIADB_BINDIR)"
    server=$(find_bin mariadbd mysqld) || die "mariadbd not found (install mariadb-server)"
    client=$(find_bin mariadb mysql) || die "mariadb client not found (install mariadb-client)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    data="$dir/data"
    sock="$dir/mysqld.sock"
    pidfile="$dir/mysqld.pid"
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile" 2>/dev/null || true)
        case "$pid" in
            ''|*[!0-9]*) ;;
            *) if kill -0 "$pid" 2>/dev/null; then die "a server is already running in $dir"; fi ;;
        esac
        rm -f "$pidfile"
    fi
    if [ ! -d "$data/mysql" ]; then
        "$installdb" --no-defaults --user="$(id -un)" --datadir="$data" \
            --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
            >"$dir/install.log" 2>&1 || {
            cat "$dir/install.log" >&2
            die "mariadb-install-db failed (log: $dir/install.log)"
        }
        fresh=1
    else
        fresh=0
    fi
    # A unix socket path is limited to ~107 bytes.
    [ ${#sock} -lt 100 ] || die "socket path too long: $sock (use a shorter DIR)"
    "$server" --no-defaults --user="$(id -un)" --datadir="$data" --socket="$sock" \
        --pid-file="$pidfile" --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
        --local-infile=1 --max-allowed-packet=256M --log-error="$dir/server.log" \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --sync-binlog=0 \
        --innodb-buffer-pool-size=256M --innodb-log-file-size=256M \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        --event-scheduler=OFF --skip-log-bin \
        >"$dir/mariadbd.out" 2>&1 &
    spid=$!
    # Wait until it answers on the socket (root has no password).
    i=0
    while ! "$client" --no-defaults --protocol=socket --socket="$sock" -uroot \
        -e 'SELECT 1' >/dev/null 2>&1; do
        i=$((i + 1))
        if ! kill -0 "$spid" 2>/dev/null; then
            tail -n 30 "$dir/server.log" >&2 || true
            die "server did not start (log: $dir/server.log)"
        fi
        [ $i -lt 240 ] || die "server in $dir does not answer after 60 s"
        sleep 0.25
    done
    if [ "$fresh" -eq 1 ]; then
        # Root over TCP from loopback without a password (name resolution is off, so
        # root@localhost does not match 127.0.0.1).
        "$client" --no-defaults --protocol=socket --socket="$sock" -uroot -e "
            CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
            GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
            CREATE USER IF NOT EXISTS 'root'@'::1' IDENTIFIED BY '';
            GRANT ALL PRIVILEGES ON *.* TO 'root'@'::1' WITH GRANT OPTION;
            FLUSH PRIVILEGES;" || die "cannot create root@127.0.0.1"
    fi
    "$client" --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot -e 'SELECT 1' \
        >/dev/null 2>&1 || die "server in $dir does not accept root over TCP on port $port"
    echo "mysql://root@127.0.0.1:$port/"
}

cmd_stop() {
    dir=$1
    pidfile="$dir/mysqld.pid"
    [ -f "$pidfile" ] || die "no server running in $dir (no $pidfile)"
    pid=$(cat "$pidfile")
    case "$pid" in
        ''|*[!0-9]*) die "bad pid in $pidfile" ;;
    esac
    # SIGTERM is a normal shutdown for mariadbd; wait for it to go away.
    kill -TERM "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    i=0
    while kill -0 "$pid" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -eq 600 ]; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        [ $i -lt 700 ] || die "server pid $pid in $dir does not stop"
        sleep 0.1
    done
    rm -f "$pidfile"
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
        echo "mysql://root@127.0.0.1:$3/"
        ;;
    *) usage ;;
esac
