#!/usr/bin/env bash
# dbrestore stopped mid-load. The archive arrives through a pipe whose writer pauses halfway,
# so dbrestore is certainly inside the load when the signal comes.
#  - SIGKILL: an existing target is unchanged afterwards (SQLite rolls the hot journal back),
#    a new target does not exist.
#  - SIGTERM/SIGINT: dbrestore rolls back, removes its temporary file and exits non-zero.
set -euo pipefail
dbdump=$1 dbrestore=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sqlite3 "$work/src.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000)
    INSERT INTO t SELECT i, 'row ' || i, randomblob(16) FROM c;"
"$dbdump" -q "$work/src.db" -o "$work/a.dbd"
half=$(( $(wc -c <"$work/a.dbd") / 2 ))

sqlite3 "$work/existing.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB);
    INSERT INTO t VALUES (1, 'old', NULL); CREATE TABLE keep(x); INSERT INTO keep VALUES (42);"
sqlite3 "$work/existing.db" .dump >"$work/existing.sql"

# stop_midway SIGNAL TARGET [OPTIONS]: feed half the archive, signal dbrestore, report status.
stop_midway() {
    local sig=$1 target=$2
    shift 2
    mkfifo "$work/pipe"
    ( head -c "$half" "$work/a.dbd"; sleep 30 ) >"$work/pipe" &
    local feeder=$!
    "$dbrestore" -q "$@" "$target" <"$work/pipe" 2>"$work/err" &
    local pid=$!
    # wait until it has loaded rows (the temp file or the journal grows), at most 60 s
    local seen=""
    for _ in $(seq 600); do
        sleep 0.1
        seen=$(find "$work" -maxdepth 1 \( -name '*.tmp.*' -size +100k -o -name '*-journal' \))
        [ -n "$seen" ] && break
        kill -0 "$pid" 2>/dev/null || break
    done
    kill -0 "$pid" 2>/dev/null || fail "dbrestore ended before the signal: $(cat "$work/err")"
    [ -n "$seen" ] || fail "dbrestore never started loading (no growing file or journal)"
    kill "-$sig" "$pid"
    status=0
    wait "$pid" || status=$?
    kill "$feeder" 2>/dev/null || true
    wait "$feeder" 2>/dev/null || true
    rm -f "$work/pipe"
}

stop_midway KILL "$work/new.db"
[ "$status" = 137 ] || fail "SIGKILL status $status"
[ ! -e "$work/new.db" ] || fail "new.db exists after SIGKILL"
rm -f "$work"/new.db.tmp.*

stop_midway KILL "$work/existing.db" --clean
[ "$status" = 137 ] || fail "SIGKILL status $status"
sqlite3 "$work/existing.db" .dump | cmp -s - "$work/existing.sql" ||
    fail "existing target changed by a killed restore"
[ "$(sqlite3 "$work/existing.db" 'PRAGMA integrity_check')" = ok ] || fail integrity_check

for sig in TERM INT; do
    # the README: exit 1 when interrupted by SIGINT/SIGTERM, after cleaning up
    stop_midway "$sig" "$work/new.db"
    [ "$status" = 1 ] || fail "SIG$sig: exit $status, want 1"
    grep -q "interrupted" "$work/err" || fail "SIG$sig message: $(cat "$work/err")"
    [ ! -e "$work/new.db" ] || fail "new.db exists after SIG$sig"
    ! compgen -G "$work/*.tmp.*" >/dev/null || fail "temporary file left after SIG$sig"
    stop_midway "$sig" "$work/existing.db" --clean
    [ "$status" = 1 ] || fail "SIG$sig: exit $status, want 1"
    sqlite3 "$work/existing.db" .dump | cmp -s - "$work/existing.sql" ||
        fail "existing target changed after SIG$sig"
    [ ! -e "$work/existing.db-journal" ] || fail "journal left after SIG$sig"
done
echo ok
