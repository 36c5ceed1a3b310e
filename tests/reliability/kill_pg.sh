#!/usr/bin/env bash
# kill_pg.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# dbrestore killed with SIGKILL in the middle of loading into PostgreSQL: it cannot clean up,
# so the server's transaction must be what protects the target. The archive arrives through a
# FIFO whose writer stops halfway; once the server reports rows copied into the target
# (pg_stat_progress_copy), dbrestore gets SIGKILL. Then, after the server has ended the
# orphaned session, the target is exactly as before (pg_dump fingerprint):
#  - an existing database restored with --clean (its tables were being dropped and reloaded);
#  - an empty database (still empty).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
feeder="" restorer=""
stop_children() {
    [ -n "$restorer" ] && kill -KILL "$restorer" 2>/dev/null || true
    [ -n "$feeder" ] && kill "$feeder" 2>/dev/null || true
    cleanup_dbs
}
trap stop_children EXIT
need_pg

P=dbt_rel_kill_$$
pg_newdb "${P}_src"
pg_db "${P}_src" -c "
    CREATE TABLE small (id int PRIMARY KEY, v text);
    INSERT INTO small SELECT i, 'v' || i FROM generate_series(1, 100) i;
    CREATE TABLE big (id bigint PRIMARY KEY, h text, b bytea);
    INSERT INTO big SELECT i, md5(i::text), decode(md5((-i)::text), 'hex')
        FROM generate_series(1, 300000) i;
    CREATE INDEX big_h ON big (h);"
"$DBDUMP" -q "$(pg_url "${P}_src")" -o "$WORK/a.dbd"
half=$(( $(stat -c %s "$WORK/a.dbd") / 2 ))

# kill_midway DB [OPTIONS]: restore half the archive into DB, SIGKILL dbrestore mid-COPY.
kill_midway() {
    local db=$1 copied="" st=0
    shift
    rm -f "$WORK/fifo"
    mkfifo "$WORK/fifo"
    { head -c "$half" "$WORK/a.dbd"; exec sleep 60; } >"$WORK/fifo" &
    feeder=$!
    "$DBRESTORE" -q "$@" -i "$WORK/fifo" "$(pg_url "$db")" 2>"$WORK/err" &
    restorer=$!
    for _ in $(seq 200); do
        copied=$(pg_db postgres -c "SELECT tuples_processed FROM pg_stat_progress_copy
                                    WHERE datname = '$db' AND tuples_processed > 0")
        [ -n "$copied" ] && break
        kill -0 "$restorer" 2>/dev/null || fail "dbrestore ended early: $(cat "$WORK/err")"
        sleep 0.05
    done
    [ -n "$copied" ] || fail "no COPY into $db seen within 10 s"
    kill -KILL "$restorer"
    wait "$restorer" || st=$?
    restorer=""
    kill "$feeder" 2>/dev/null || true
    wait "$feeder" 2>/dev/null || true
    feeder=""
    [ "$st" = 137 ] || fail "dbrestore exit status $st after SIGKILL"
    # the server notices the dead client and rolls back; wait for the session to end
    for _ in $(seq 200); do
        [ "$(pg_db postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'")" = 0 ] &&
            break
        sleep 0.05
    done
    [ "$(pg_db postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'")" = 0 ] ||
        fail "the killed restore's session into $db is still there after 10 s"
    note "killed after $copied rows copied into $db"
}

# An existing database: the full archive restored, then changed, plus a table of its own.
pg_newdb "${P}_existing"
"$DBRESTORE" -q -i "$WORK/a.dbd" "$(pg_url "${P}_existing")"
pg_db "${P}_existing" -c "DELETE FROM big WHERE id > 250000; UPDATE small SET v = 'changed';
    CREATE TABLE mine (x text); INSERT INTO mine VALUES ('keep me');"
pg_fp "${P}_existing" >"$WORK/existing.fp"
kill_midway "${P}_existing" --clean
pg_fp "${P}_existing" | cmp -s - "$WORK/existing.fp" || {
    pg_fp "${P}_existing" | diff "$WORK/existing.fp" - | head -20 >&2
    fail "existing target changed by a restore killed with SIGKILL"
}

pg_newdb "${P}_empty"
pg_fp "${P}_empty" >"$WORK/empty.fp"
kill_midway "${P}_empty"
pg_fp "${P}_empty" | cmp -s - "$WORK/empty.fp" || {
    pg_fp "${P}_empty" | diff "$WORK/empty.fp" - | head -20 >&2
    fail "empty target changed by a restore killed with SIGKILL"
}
# and the full archive still restores into it afterwards (nothing half-created in the way)
expect 0 "$DBRESTORE" -q -i "$WORK/a.dbd" "$(pg_url "${P}_empty")"
[ "$(pg_db "${P}_empty" -c 'SELECT count(*) FROM big')" = 300000 ] || fail "rows after reload"

# The source's server ends dbdump's session mid-stream in `dbdump | dbrestore`: the stream
# carries dbdump's error (ABORT), so the last line, dbrestore's, gives the server's reason.
rm -f "$WORK/piped.db"
{ "$DBDUMP" "$(pg_url "${P}_src")" | "$DBRESTORE" "$WORK/piped.db"; } >"$WORK/both" 2>&1 &
pipeline=$!
killed=""
for _ in $(seq 500); do
    killed=$(pg_db postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = '${P}_src' AND application_name = 'dbdump' AND query LIKE 'COPY%big%'")
    [ -n "$killed" ] && break
    sleep 0.01
done
wait "$pipeline" || true
[ "$killed" = t ] || fail "dbdump's COPY of big not seen: $(cat "$WORK/both")"
first=$(grep '^dbdump: ' "$WORK/both" | sed 's/^dbdump: //')
[ -n "$first" ] && tail -n 1 "$WORK/both" | grep -qF "dbrestore: the program that wrote the archive failed: $first (last complete table: " &&
    tail -n 1 "$WORK/both" | grep -Eq "^dbrestore: .*PostgreSQL: .*(server closed the connection|terminating connection).*; nothing was restored$" ||
    fail "dbdump killed mid-stream: $(cat "$WORK/both")"
[ ! -e "$WORK/piped.db" ] || fail "piped.db created from an aborted stream"
finish
