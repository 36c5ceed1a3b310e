#!/usr/bin/env bash
# rss.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# Memory stays flat with table size: peak RSS (getrusage ru_maxrss of the process, i.e.
# VmHWM, measured by dbt_maxrss) of dbdump, dbrestore --check and dbrestore into a new
# SQLite file, for a table of 100,000 rows and one of 1,000,000 rows (same row shape, with
# a 1 KiB blob every 100th row). Asserted: every figure under 64 MiB, and the 1M-row figure
# at most 8 MiB above the 100k-row one. The figures are printed. (Plain build only: under
# ASan the sanitizer's own memory is what would be measured.)
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
M=$HELPERS/dbt_maxrss

for rows in 100000 1000000; do
    sqlite3 -bail "$WORK/$rows.db" "
        CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, r REAL, n INTEGER, b BLOB);
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $rows)
          INSERT INTO t SELECT i, 'row number ' || i, i * 0.25, i % 977,
                               CASE WHEN i % 100 = 0 THEN randomblob(1024) END FROM c;"
    T0=$(now)
    "$M" "$WORK/dump.$rows" "$DBDUMP" -q "$WORK/$rows.db" -o "$WORK/$rows.dbd" ||
        fail "dbdump of $rows rows failed"
    t_dump=$(elapsed_ms)
    "$M" "$WORK/check.$rows" "$DBRESTORE" -q --check -i "$WORK/$rows.dbd" ||
        fail "--check of $rows rows failed"
    T0=$(now)
    "$M" "$WORK/restore.$rows" "$DBRESTORE" -q -i "$WORK/$rows.dbd" "$WORK/$rows.copy.db" ||
        fail "restore of $rows rows failed"
    t_restore=$(elapsed_ms)
    [ "$(sqlite3 "$WORK/$rows.copy.db" 'SELECT count(*), sum(length(b)) FROM t')" = \
        "$(sqlite3 "$WORK/$rows.db" 'SELECT count(*), sum(length(b)) FROM t')" ] ||
        fail "restored table of $rows rows differs"
    note "$rows rows ($(stat -c %s "$WORK/$rows.db") bytes of SQLite file):" \
        "peak RSS dbdump $(cat "$WORK/dump.$rows") KiB ($t_dump ms)," \
        "--check $(cat "$WORK/check.$rows") KiB," \
        "restore $(cat "$WORK/restore.$rows") KiB ($t_restore ms)"
    rm -f "$WORK/$rows.copy.db"
done
for what in dump check restore; do
    small=$(cat "$WORK/$what.100000") big=$(cat "$WORK/$what.1000000")
    [ "$big" -lt 65536 ] || defect "$what: peak RSS $big KiB for 1M rows (limit 64 MiB)"
    [ "$big" -le $((small + 8192)) ] ||
        defect "$what: peak RSS grows with the table: $small KiB (100k rows) -> $big KiB (1M rows)"
done
finish
