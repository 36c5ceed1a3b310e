#!/usr/bin/env bash
# server_stop.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# The source server goes away during `dbdump -o FILE`: a private PostgreSQL and a private
# MariaDB server (started here with scripts/pg-server.sh and scripts/mariadb-server.sh, so
# the shared test servers are not touched) are stopped, or restarted, while dbdump streams a
# table of 1M rows. dbdump must exit non-zero with a one-line message about the lost
# connection, and leave no archive under the final name (nor its temporary file).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
# The PostgreSQL server runs as user postgres: its directory must be reachable by it.
SRV=$(mktemp -d /tmp/dbt-rel-srv.XXXXXX)
chmod 755 "$SRV"
pg_up=0 my_up=0 bg=""
cleanup() {
    [ -n "$bg" ] && kill "$bg" 2>/dev/null || true
    [ $pg_up = 1 ] && { "$SRCDIR/scripts/pg-server.sh" stop "$SRV/pg" >/dev/null 2>&1 || true; }
    [ $my_up = 1 ] && { "$SRCDIR/scripts/mariadb-server.sh" stop "$SRV/my" >/dev/null 2>&1 || true; }
    rm -rf "$SRV"
}
trap cleanup EXIT

# dump_and_break ENGINE URL ACTION: start dbdump URL -o FILE; once its temporary file grows
# past 1 MB, ACTION (stop or restart) the private server; check the outcome.
dump_and_break() {
    local engine=$1 url=$2 action=$3 seen="" st=0 script dir port
    rm -f "$WORK/a.dbd"
    "$DBDUMP" -q "$url" -o "$WORK/a.dbd" 2>"$WORK/err" &
    bg=$!
    for _ in $(seq 1000); do
        seen=$(find "$WORK" -maxdepth 1 -name 'a.dbd.tmp.*' -size +1M)
        [ -n "$seen" ] && break
        kill -0 "$bg" 2>/dev/null || break
        sleep 0.01
    done
    [ -n "$seen" ] || fail "$engine: dbdump did not start writing: $(cat "$WORK/err")"
    if [ "$engine" = pg ]; then
        script=$SRCDIR/scripts/pg-server.sh dir=$SRV/pg port=$PG_PORT
    else
        script=$SRCDIR/scripts/mariadb-server.sh dir=$SRV/my port=$MYP_PORT
    fi
    "$script" stop "$dir" >/dev/null
    [ "$action" = restart ] && "$script" start "$dir" "$port" >/dev/null
    wait "$bg" || st=$?
    bg=""
    # a lost connection is a database error: exit 9 (README, exit codes)
    [ "$st" = 9 ] || fail "$engine ($action): dbdump exited $st, want 9, when the server went away"
    one_line "$WORK/err" "$engine ($action)"
    grep -Eqi "connection|server|terminat|shut" "$WORK/err" ||
        fail "$engine ($action): the message does not say the server went away: $(cat "$WORK/err")"
    [ ! -e "$WORK/a.dbd" ] || fail "$engine ($action): an archive under the final name"
    [ -z "$(find "$WORK" -maxdepth 1 -name 'a.dbd*')" ] || fail "$engine ($action): files left"
    note "$engine: server $action mid-dump: exit $st: $(cat "$WORK/err")"
}

# --------------------------------------------------------------- PostgreSQL
pg_up=1
server_start pg "$SRV/pg"
PG_PORT=$SERVER_PORT PGURL=$SERVER_URL
psql -X -q -v ON_ERROR_STOP=1 -d "$PGURL" -c "CREATE TABLE big AS SELECT i::bigint AS id,
    md5(i::text) AS h, i * 0.5 AS r FROM generate_series(1, 1000000) i"
dump_and_break pg "$PGURL" stop
"$SRCDIR/scripts/pg-server.sh" start "$SRV/pg" "$PG_PORT" >/dev/null
dump_and_break pg "$PGURL" restart
# the server is fine afterwards, and a dump of it works
expect 0 "$DBDUMP" -q "$PGURL" -o "$WORK/ok.dbd"
"$SRCDIR/scripts/pg-server.sh" stop "$SRV/pg" >/dev/null
pg_up=0

# -------------------------------------------------------------------- MariaDB
my_up=1
server_start my "$SRV/my"
MYP_PORT=$SERVER_PORT MYURL=$SERVER_URL
MYCLIENT=$(command -v mariadb || command -v mysql) || fail "no mariadb client"
"$MYCLIENT" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$MYP_PORT" -uroot -e "
    CREATE DATABASE src; USE src;
    CREATE TABLE d (i INT); INSERT INTO d VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
    CREATE TABLE big (id INT PRIMARY KEY, h CHAR(32), r DOUBLE) ENGINE=InnoDB;
    INSERT INTO big SELECT i, MD5(i), i * 0.5 FROM (SELECT 1 + a.i + 10 * b.i + 100 * c.i
        + 1000 * e.i + 10000 * f.i + 100000 * g.i AS i FROM d a, d b, d c, d e, d f, d g) s;
    DROP TABLE d;"
dump_and_break my "${MYURL}src" stop
"$SRCDIR/scripts/mariadb-server.sh" start "$SRV/my" "$MYP_PORT" >/dev/null
dump_and_break my "${MYURL}src" restart
expect 0 "$DBDUMP" -q "${MYURL}src" -o "$WORK/ok.dbd"
finish
