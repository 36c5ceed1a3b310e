#!/usr/bin/env bash
# regress_db.sh DBDUMP DBRESTORE WORKDIR CACHEDIR
# regress_db.sh --build WORKDIR CACHEDIR
#
# A database written by PostgreSQL's own developers: the "regression" database their
# regression suite leaves behind (the one pg_upgrade's tests dump and restore; 217 tests,
# 616 tables and partitions, ~414k rows, ~1,800 schema objects of every kind, 3 large
# objects), built on the test server by scripts/pg-regress-db.sh from Debian's source
# package of the installed server (kept in CACHEDIR for the next run). Then, against what
# PostgreSQL's own tools give on the same database (pg_dump -Fc | pg_restore):
#   1. dbdump exits 0 and warns of nothing left out;
#   2. dbrestore into an empty database exits 0; pg_dump --schema-only of the copy equals
#      that of pg_restore's copy (every object, comment, grant, owner, in the same form);
#      every table, partition and materialized view holds the same rows (order-independent
#      digests of to_jsonb, so that a column order pg_dump itself changes does not count),
#      every sequence the same state, every large object the same bytes, owner and comment;
#   3. dbrestore --clean over that copy gives the same again;
#   4. dbrestore --to-sql postgresql, loaded by psql in one transaction, gives the same.
#
# Building the database runs PostgreSQL's own tests, some of which lock shared catalogs: other
# tests connecting meanwhile can time out. scripts/test.sh therefore builds it first, alone
# (--build), and marks it complete (a comment on the database); the test then uses it as it is
# and leaves it for the next tree's run. Without the mark the test builds it itself.
set -euo pipefail

if [ "${1:-}" = --build ]; then
    set -- "" "" "$2" "$3"
    BUILD_ONLY=1
fi

DBDUMP=$1
DBRESTORE=$2
WORK=$3
CACHE=${DBT_REGRESS_CACHE:-$4} # scripts/test.sh: one cache for its build trees
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
TEST_NAME=pg_regress_db
# shellcheck source=../../lib/common.sh
. "$HERE/../../lib/common.sh"

[ -n "${DBT_PG_URL:-}" ] || fail "DBT_PG_URL is not set (scripts/test.sh starts the server)"
rm -rf "$WORK"
mkdir -p "$WORK" "$CACHE"

url() { dbt_pg_url "$1"; }
admin() { psql -X -q -v ON_ERROR_STOP=1 -d "$DBT_PG_URL" "$@"; }
PREFIX="dbt_regress_$$"
CREATED=()
newdb() {
    admin -c "CREATE DATABASE \"${PREFIX}_$1\" TEMPLATE template0" >/dev/null
    CREATED+=("${PREFIX}_$1")
}
cleanup() {
    for db in "${CREATED[@]}"; do
        admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

MARK="dbt: built by scripts/pg-regress-db.sh, complete"
marked() {
    [ "$(psql -X -qAt -d "$DBT_PG_URL" -c "SELECT pg_catalog.shobj_description(oid,
        'pg_database') FROM pg_database WHERE datname = 'regression'")" = "$MARK" ]
}
if ! marked; then
    "$ROOT/scripts/pg-regress-db.sh" "$DBT_PG_URL" "$CACHE" >"$WORK/build.log" 2>&1 ||
        { tail -20 "$WORK/build.log" >&2; fail "building the regression database failed"; }
    grep -q "^summary: All [0-9]* tests passed" "$WORK/build.log" ||
        { grep "^summary\|^failed" "$WORK/build.log" >&2; fail "pg_regress did not pass"; }
    admin -c "COMMENT ON DATABASE regression IS '$MARK'" >/dev/null
fi
if [ -n "${BUILD_ONLY:-}" ]; then
    echo "regress_db.sh: the regression database is built"
    exit 0
fi
SRC=$(url regression)

# What a database holds, compared as text:
#  schema   pg_dump --schema-only without psql's random \restrict lines
#  rows     per relation (tables, partitions, materialized views): row count and the md5 of
#           its rows as to_jsonb text, sorted; then every sequence's last_value, is_called
#  los      every large object: oid, owner, comment, md5 of its bytes
schema() { pg_dump --schema-only -d "$1" | grep -v -e '^\\restrict ' -e '^\\unrestrict '; }
rows() {
    psql -X -qAt -v ON_ERROR_STOP=1 -d "$1" -c "
      SELECT format('SELECT %L, pg_catalog.count(*), pg_catalog.md5(coalesce(pg_catalog.string_agg(
               pg_catalog.to_jsonb(t)::text, '','' ORDER BY pg_catalog.to_jsonb(t)::text), ''''))
             FROM ONLY %s t;', c.oid::regclass, c.oid::regclass)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND n.nspname !~ '^pg_(toast|temp)'
      UNION ALL
      SELECT format('SELECT %L, last_value, is_called FROM %s;', c.oid::regclass, c.oid::regclass)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       ORDER BY 1" >"$WORK/rows.sql"
    psql -X -qAt -F ' ' -v ON_ERROR_STOP=1 -d "$1" -f "$WORK/rows.sql"
}
los() {
    psql -X -qAt -v ON_ERROR_STOP=1 -d "$1" -c "
      SELECT oid, pg_get_userbyid(lomowner), lomacl, obj_description(oid, 'pg_largeobject'),
             md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY oid"
}
fingerprint() { # fingerprint DB NAME: the three into $WORK/NAME.*
    schema "$(url "$1")" >"$WORK/$2.schema" || fail "pg_dump of $1 failed"
    rows "$(url "$1")" >"$WORK/$2.rows" || fail "reading the rows of $1 failed"
    los "$(url "$1")" >"$WORK/$2.los" || fail "reading the large objects of $1 failed"
}
same_as_base() { # same_as_base NAME WHAT
    for part in schema rows los; do
        if ! diff "$WORK/base.$part" "$WORK/$1.$part" >"$WORK/$1.$part.diff"; then
            head -40 "$WORK/$1.$part.diff" >&2
            fail "$2: $part differs from pg_restore's copy ($(grep -c '^[<>]' \
                "$WORK/$1.$part.diff") lines)"
        fi
    done
}

# PostgreSQL's own tools on the same database: what a complete copy is
newdb base
pg_dump -Fc -d "$SRC" -f "$WORK/regression.pgdump" || fail "pg_dump -Fc failed"
pg_restore -d "$(url "${PREFIX}_base")" "$WORK/regression.pgdump" 2>"$WORK/pg_restore.err" ||
    { head "$WORK/pg_restore.err" >&2; fail "pg_restore failed"; }
fingerprint "${PREFIX}_base" base
[ "$(wc -l <"$WORK/base.rows")" -ge 650 ] || fail "only $(wc -l <"$WORK/base.rows") relations"
[ "$(wc -l <"$WORK/base.los")" = 3 ] || fail "$(wc -l <"$WORK/base.los") large objects, want 3"

# 1. dump: exit 0, nothing reported left out
expect 0 "$DBDUMP" -o "$WORK/a.dbd" "$SRC"
if grep -i "not carried\|skipped" "$WORK/err"; then fail "dbdump left something out"; fi
grep -q "tables, 41[0-9][0-9][0-9][0-9] rows" "$WORK/err" || { cat "$WORK/err" >&2; fail "rows?"; }

# 2. restore into an empty database
newdb copy
expect 0 "$DBRESTORE" -i "$WORK/a.dbd" "$(url "${PREFIX}_copy")"
fingerprint "${PREFIX}_copy" copy
same_as_base copy "dbdump | dbrestore"
echo "ok dbdump | dbrestore: the same schema, rows, sequences and large objects as pg_restore"

# 3. --clean over the copy (pg_dump's own drops), after changing it
psql -X -q -d "$(url "${PREFIX}_copy")" -c "DELETE FROM public.tenk1 WHERE unique1 < 100" \
    -c "SELECT lo_unlink(min(oid)) FROM pg_largeobject_metadata" >/dev/null
expect 0 "$DBRESTORE" --clean --yes -i "$WORK/a.dbd" "$(url "${PREFIX}_copy")"
fingerprint "${PREFIX}_copy" clean
same_as_base clean "dbrestore --clean"
echo "ok dbrestore --clean over a changed copy: the same again"

# 4. the SQL script, as psql loads it, in one transaction
expect 0 "$DBRESTORE" --to-sql postgresql -i "$WORK/a.dbd"
mv "$WORK/out" "$WORK/a.sql"
newdb sql
psql -X -q -v ON_ERROR_STOP=1 -1 -d "$(url "${PREFIX}_sql")" -f "$WORK/a.sql" \
    >/dev/null 2>"$WORK/psql.err" || { head "$WORK/psql.err" >&2; fail "psql refused the script"; }
fingerprint "${PREFIX}_sql" sql
same_as_base sql "--to-sql postgresql | psql"
echo "ok --to-sql postgresql | psql -1: the same"

# 5. -j 4: the schema committed first, each table's rows on one of four connections, the
#    indexes and key constraints built on four at once, the rest after on one
newdb j4
expect 0 "$DBRESTORE" -j 4 -i "$WORK/a.dbd" "$(url "${PREFIX}_j4")"
grep -q "PostgreSQL: -j 4: the schema is committed first" "$WORK/err" ||
    { cat "$WORK/err" >&2; fail "-j 4 did not say how it restores"; }
fingerprint "${PREFIX}_j4" j4
same_as_base j4 "dbrestore -j 4"
echo "ok dbrestore -j 4: the same schema, rows, sequences and large objects"

# 6. -j 4 failing after the schema is committed: an index the archive builds after the data
#    (public.onek_unique1) has its name taken by a sequence of the target. The clean-up drops
#    everything the restore made (pg_dump's own drops) and keeps what was there: the
#    sequence, a schema, a function, and the extension plpgsql.
newdb j4fail
psql -X -q -v ON_ERROR_STOP=1 -d "$(url "${PREFIX}_j4fail")" \
    -c "CREATE SEQUENCE public.onek_unique1" -c "CREATE SCHEMA keep" \
    -c "CREATE FUNCTION keep.f() RETURNS int LANGUAGE sql AS 'SELECT 1'" >/dev/null
fingerprint "${PREFIX}_j4fail" before
expect 9 "$DBRESTORE" -j 4 -i "$WORK/a.dbd" "$(url "${PREFIX}_j4fail")"
grep -q "onek_unique1.*already exists.*; cleaned up: what this restore created was dropped, the target is as it was$" "$WORK/err" ||
    { cat "$WORK/err" >&2; fail "-j 4: the failure and its clean-up are not said"; }
fingerprint "${PREFIX}_j4fail" after
for part in schema rows los; do
    diff "$WORK/before.$part" "$WORK/after.$part" >&2 ||
        fail "-j 4 failed restore: the target's $part is not as it was"
done
echo "ok dbrestore -j 4 failing in its index builds: the target exactly as it was"
