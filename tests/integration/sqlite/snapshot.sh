#!/usr/bin/env bash
# dbdump reads one consistent snapshot while the application keeps writing: a WAL database
# is changed (insert, update, delete, commit) while dbdump is blocked mid-dump on a full
# pipe; the archive holds exactly the state from before the change, and the source is intact.
set -euo pipefail
dbdump=$1 dbrestore=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/app.db
sqlite3 "$db" "PRAGMA journal_mode=WAL;
    CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB, n INTEGER);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)
    INSERT INTO t SELECT i, randomblob(4096), 0 FROM c;" >/dev/null
sqlite3 "$db" .dump >"$work/before.sql"

# The reader of the pipe waits until the writer has committed, so dbdump (8 MB of
# incompressible blobs) is blocked on the pipe in the middle of the table meanwhile.
mkfifo "$work/pipe" "$work/go"
( exec 3<"$work/pipe"; read -r _ <"$work/go"; cat <&3 >"$work/a.dbd" ) &
reader_pid=$!
"$dbdump" -q "$db" >"$work/pipe" &
dump_pid=$!
# wait until dbdump is blocked writing into the full pipe (a thread of it waits in the
# kernel's pipe_write): it has its snapshot and is in the middle of the table
blocked=""
for _ in $(seq 600); do
    blocked=$(cat "/proc/$dump_pid"/task/*/wchan 2>/dev/null | grep pipe_write || true)
    [ -n "$blocked" ] && break
    kill -0 "$dump_pid" 2>/dev/null || break
    sleep 0.05
done
kill -0 "$dump_pid" 2>/dev/null || fail "dbdump finished before the writer ran"
[ -n "$blocked" ] || fail "dbdump never blocked on the full pipe"
sqlite3 "$db" "PRAGMA busy_timeout=5000; BEGIN; UPDATE t SET n = 1;
    DELETE FROM t WHERE id % 3 = 0; INSERT INTO t VALUES (5000, x'00', 2); COMMIT;" >/dev/null
echo go >"$work/go"
wait "$dump_pid" || fail "dbdump failed"
wait "$reader_pid" || fail "reader failed"

"$dbrestore" -q -i "$work/a.dbd" "$work/restored.db"
sqlite3 "$work/restored.db" .dump | cmp -s - "$work/before.sql" ||
    fail "the archive does not hold the snapshot taken at the start"
[ "$(sqlite3 "$db" 'SELECT count(*), sum(n) FROM t')" = "1335|1336" ] ||
    fail "the writer's change is missing from the source"
echo ok
