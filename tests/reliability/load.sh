#!/usr/bin/env bash
# load.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# Many tables and wide tables, SQLite and PostgreSQL: 200 tables in one archive (each with
# an index and a few rows of several types) and one table of 500 columns (1000 rows, every
# column filled). Dump, restore into a new database, and compare with the engine's own
# tools (sqlite3 .dump, pg_dump): identical.
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
trap cleanup_dbs EXIT
need_pg

# load_sql BLOBTYPE: the schema and rows (SQLite and PostgreSQL share the syntax used here)
load_sql() {
    local blob=$1 i c cols="" vals=""
    echo "BEGIN;"
    for i in $(seq -w 1 200); do
        echo "CREATE TABLE tab_$i (id INTEGER PRIMARY KEY, name TEXT NOT NULL, r REAL, b $blob);"
        echo "CREATE INDEX tab_${i}_name ON tab_$i (name);"
        echo "INSERT INTO tab_$i VALUES (1, 'one of $i', 1.5, NULL), (2, 'two of $i', -0.25, NULL),"
        echo "    ($((10#$i + 2)), 'n $i', NULL, NULL);"
    done
    for c in $(seq 1 499); do
        cols="$cols, c$c $([ $((c % 3)) = 0 ] && echo TEXT || echo INTEGER)"
    done
    echo "CREATE TABLE wide (id INTEGER PRIMARY KEY$cols);"
    for c in $(seq 1 499); do
        if [ $((c % 3)) = 0 ]; then vals="$vals, 'v$c-' || g"; else vals="$vals, g * $c"; fi
    done
    echo "INSERT INTO wide SELECT g$vals FROM gen;"
    echo "COMMIT;"
}

# ------------------------------------------------------------------- SQLite
{
    echo "CREATE TEMP VIEW gen AS WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1"
    echo "    FROM c WHERE g < 1000) SELECT g FROM c;"
    load_sql BLOB
} | sqlite3 -bail "$WORK/src.db"
[ "$(sqlite3 "$WORK/src.db" "SELECT count(*) FROM sqlite_master WHERE type = 'table'")" = 201 ] ||
    fail "SQLite source: want 201 tables"
[ "$(sqlite3 "$WORK/src.db" "SELECT count(*) FROM pragma_table_info('wide')")" = 500 ] ||
    fail "SQLite source: want 500 columns"
T0=$(now)
expect 0 "$DBDUMP" -q "$WORK/src.db" -o "$WORK/sq.dbd"
expect 0 "$DBRESTORE" -q -i "$WORK/sq.dbd" "$WORK/dst.db"
note "SQLite: 201 tables, 500 columns: dump + restore $(elapsed_ms) ms, archive $(stat -c %s "$WORK/sq.dbd") bytes"
sq_fp "$WORK/src.db" >"$WORK/src.fp"
sq_fp "$WORK/dst.db" | cmp -s - "$WORK/src.fp" || {
    sq_fp "$WORK/dst.db" | diff "$WORK/src.fp" - | cut -c1-200 | head -10 >&2
    defect "SQLite: the restored database differs"
}
expect 0 "$DBRESTORE" --check -i "$WORK/sq.dbd"
grep -q "201 tables, 1600 rows" "$WORK/out" || defect "SQLite --check: $(cat "$WORK/out")"

# --------------------------------------------------------------- PostgreSQL
P=dbt_rel_load_$$
pg_newdb "${P}_src"
pg_newdb "${P}_dst"
{
    echo "CREATE TEMP VIEW gen AS SELECT g FROM generate_series(1, 1000) g;"
    load_sql bytea
} | sed 's/ REAL/ double precision/g' | pg_db "${P}_src" >/dev/null
[ "$(pg_db "${P}_src" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 201 ] ||
    fail "PostgreSQL source: want 201 tables"
T0=$(now)
expect 0 "$DBDUMP" -q "$(pg_url "${P}_src")" -o "$WORK/pg.dbd"
expect 0 "$DBRESTORE" -q -i "$WORK/pg.dbd" "$(pg_url "${P}_dst")"
note "PostgreSQL: 201 tables, 500 columns: dump + restore $(elapsed_ms) ms, archive $(stat -c %s "$WORK/pg.dbd") bytes"
pg_fp "${P}_src" >"$WORK/pg_src.fp"
pg_fp "${P}_dst" | cmp -s - "$WORK/pg_src.fp" || {
    pg_fp "${P}_dst" | diff "$WORK/pg_src.fp" - | cut -c1-200 | head -10 >&2
    defect "PostgreSQL: the restored database differs"
}
finish
