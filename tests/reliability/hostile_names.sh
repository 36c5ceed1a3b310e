#!/usr/bin/env bash
# hostile_names.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# Hostile identifiers on every engine: tables, columns, an index and a view named with a
# double quote, a backquote, a single quote, a backslash, "x; DROP TABLE t; --", a newline,
# printf conversions, non-ASCII letters and reserved words, holding values shaped like
# injections. Each engine: a source database made with the engine's own client, dbdump,
# dbrestore --force into a database that already holds a canary table `t` (the one the
# injections would drop). Afterwards the canary is intact, the source is unchanged, and the
# restored objects are the source's (sqlite3 .dump / pg_dump / mysqldump compared), so every
# name arrived as a literal name and no injected SQL ran.
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
trap cleanup_dbs EXIT
need_pg
need_mysql

NL=$'\n'
NAMES=('a"b' 'a`b' "it's" 'back\slash' 'x; DROP TABLE t; --' "new${NL}line" 'pct%s%n%x'
       'ünïcödé 表' 'select' 'order' 'table')
VALUE="it's; DROP TABLE t; -- \"q\" \`b\` %s%n"

# qi Q NAME: NAME quoted as an identifier with quote character Q (doubled inside)
qi() { local q=$1 n=$2; printf '%s%s%s' "$q" "${n//"$q"/"$q$q"}" "$q"; }
# ql TEXT: a string literal ('' doubled; callers avoid backslashes in MySQL literals)
ql() { printf "'%s'" "${1//\'/\'\'}"; }

# schema_sql Q BLOBTYPE: the hostile schema and rows in the dialect of quote Q
schema_sql() {
    local q=$1 blob=$2 i=0 n tn
    for n in "${NAMES[@]}"; do
        i=$((i + 1))
        tn=$(qi "$q" "$n")
        echo "CREATE TABLE $tn ($(qi "$q" id) INT PRIMARY KEY, $(qi "$q" "$n") TEXT,"
        echo "    $(qi "$q" from) TEXT, $(qi "$q" "y; DROP TABLE t; --") INT, $(qi "$q" "b\"\`") $blob);"
        echo "INSERT INTO $tn VALUES (1, $(ql "$VALUE"), $(ql "$n"), 7, NULL),"
        echo "    ($((i + 1)), $(ql "row of $n"), NULL, NULL, NULL);"
    done
    tn=$(qi "$q" "${NAMES[4]}")
    echo "CREATE INDEX $(qi "$q" "i\"; DROP TABLE t; --") ON $tn ($(qi "$q" "y; DROP TABLE t; --"));"
    echo "CREATE VIEW $(qi "$q" "v\`'; DROP TABLE t; --") AS SELECT $(qi "$q" id),"
    echo "    $(qi "$q" from) AS $(qi "$q" "a\"b") FROM $tn;"
}

# ------------------------------------------------------------------- SQLite
schema_sql '"' BLOB >"$WORK/sqlite.sql"
sqlite3 -bail "$WORK/src.db" <"$WORK/sqlite.sql"
[ "$(sqlite3 "$WORK/src.db" "SELECT count(*) FROM sqlite_master WHERE type = 'table'")" = \
    "${#NAMES[@]}" ] || fail "SQLite source: not every table was created"
sq_fp "$WORK/src.db" >"$WORK/src.fp"
sqlite3 -bail "$WORK/target.db" "CREATE TABLE t (x); INSERT INTO t VALUES (42);"
expect 0 "$DBDUMP" -v "$WORK/src.db" -o "$WORK/sq.dbd"
expect 0 "$DBRESTORE" -v --force -i "$WORK/sq.dbd" "$WORK/target.db"
[ "$(sqlite3 "$WORK/target.db" 'SELECT x FROM t')" = 42 ] || defect "SQLite: canary t lost"
sq_fp "$WORK/src.db" | cmp -s - "$WORK/src.fp" || defect "SQLite: the source changed"
# the target is the source plus t: drop t and compare .dump
sqlite3 -bail "$WORK/target.db" "DROP TABLE t"
sq_fp "$WORK/target.db" | cmp -s - "$WORK/src.fp" || {
    sq_fp "$WORK/target.db" | diff "$WORK/src.fp" - | head -20 >&2
    defect "SQLite: the restored objects differ from the source"
}
note "SQLite: ${#NAMES[@]} hostile tables round trip"

# --------------------------------------------------------------- PostgreSQL
P=dbt_rel_names_$$
pg_newdb "${P}_src"
schema_sql '"' bytea >"$WORK/pg.sql"
pg_db "${P}_src" -f "$WORK/pg.sql" >/dev/null
[ "$(pg_db "${P}_src" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = \
    "${#NAMES[@]}" ] || fail "PostgreSQL source: not every table was created"
pg_fp "${P}_src" >"$WORK/pg_src.fp"
pg_newdb "${P}_dst"
pg_db "${P}_dst" -c "CREATE TABLE t (x int); INSERT INTO t VALUES (42);"
expect 0 "$DBDUMP" -v "$(pg_url "${P}_src")" -o "$WORK/pg.dbd"
expect 0 "$DBRESTORE" -v --force -i "$WORK/pg.dbd" "$(pg_url "${P}_dst")"
[ "$(pg_db "${P}_dst" -c 'SELECT x FROM t')" = 42 ] || defect "PostgreSQL: canary t lost"
pg_fp "${P}_src" | cmp -s - "$WORK/pg_src.fp" || defect "PostgreSQL: the source changed"
pg_db "${P}_dst" -c "DROP TABLE t"
pg_fp "${P}_dst" | cmp -s - "$WORK/pg_src.fp" || {
    pg_fp "${P}_dst" | diff "$WORK/pg_src.fp" - | head -20 >&2
    defect "PostgreSQL: the restored objects differ from the source"
}
note "PostgreSQL: ${#NAMES[@]} hostile tables round trip"

# -------------------------------------------------------------------- MySQL
my_newdb "${P}_src"
schema_sql '`' BLOB >"$WORK/my.sql"
# the client must not read backslashes in the literals as escapes
{ echo "SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES');"; cat "$WORK/my.sql"; } |
    my "${P}_src"
[ "$(myq information_schema "SELECT count(*) FROM TABLES WHERE TABLE_SCHEMA = '${P}_src'
      AND TABLE_TYPE = 'BASE TABLE'")" = "${#NAMES[@]}" ] ||
    fail "MySQL source: not every table was created"
# compare with the database name taken out
my_fp_norm() { my_fp "$1" | sed -e "s/$1/@DB@/g"; }
my_fp_norm "${P}_src" >"$WORK/my_src.fp"
my_newdb "${P}_dst"
my "${P}_dst" -e "CREATE TABLE t (x INT); INSERT INTO t VALUES (42);"
expect 0 "$DBDUMP" -v "$(my_url "${P}_src")" -o "$WORK/my.dbd"
expect 0 "$DBRESTORE" -v --force -i "$WORK/my.dbd" "$(my_url "${P}_dst")"
[ "$(myq "${P}_dst" 'SELECT x FROM t')" = 42 ] || defect "MySQL: canary t lost"
my_fp_norm "${P}_src" | cmp -s - "$WORK/my_src.fp" || defect "MySQL: the source changed"
my "${P}_dst" -e "DROP TABLE t"
my_fp_norm "${P}_dst" | cmp -s - "$WORK/my_src.fp" || {
    my_fp_norm "${P}_dst" | diff "$WORK/my_src.fp" - | head -20 >&2
    defect "MySQL: the restored objects differ from the source"
}
note "MySQL: ${#NAMES[@]} hostile tables round trip"
finish
