#!/usr/bin/env bash
# pg_test.sh CASE DBDUMP DBRESTORE CORPUS WORKDIR MSGDUMP
#
# PostgreSQL integration tests against the server in $DBT_PG_URL (a superuser URL such as
# postgresql://postgres@127.0.0.1:55432/postgres, set by scripts/test.sh). Each case creates
# its own databases (unique names), checks exact outcomes with PostgreSQL's own tools (psql,
# pg_dump through pg_compare.sh), and drops them at the end. A missing server is a failure.
#
# Cases:
#   roundtrip-chinook, roundtrip-northwind   corpus -> dbdump -> dbrestore -> pg_compare
#   roundtrip-features                       features.sql (functions, triggers, partitions...)
#   roundtrip-types                          types.sql (every mapped type, edge values)
#   clean                                    non-empty target refused (exit 6, unchanged);
#                                            --clean over a modified copy gives the source back
#   privileges                               owners and grants round trip; missing roles warn
#   large-objects                            bytes, owners, grants, comments of large objects
#                                            restored, verified, in --to-sql; -t leaves them out;
#                                            data-only: refused / kept / replaced by oid
#   skip-object                              a failing pg_dump entry is named; --skip-object
#                                            restores the rest; an unknown title is refused
#   extension-config                         an extension's configuration table and sequence:
#                                            its rows and value come back, as with pg_restore
#   snapshot, snapshot-j4                    a writer inserts during dbdump (-j 4: on four
#                                            connections, tables split in key ranges); the
#                                            archive holds exactly the rows committed before
#                                            the dump began
#   jobs-same                                dbdump -j 4 and -j 1 archives of the same database
#                                            carry the same tables, rows and digests; the two
#                                            restores are identical (pg_dump)
#   restore-j4                               dbrestore -j 4 (stdin): pg_dump of the copy is
#                                            byte-identical to -j 1's; a bad row (across
#                                            engines) and a loading connection killed: exit
#                                            non-zero, what the restore made is dropped, the
#                                            target exactly as before (its own schema,
#                                            function and extension kept); --plan says so;
#                                            --clean with -j 4 refused; progress per
#                                            connection; -j 3 -t across engines
#   fail-truncated                           truncated archive: exit 5, target left empty
#   fail-constraint                          FK violated by the data: exit 7, target left empty
#   fail-pg-dump                             pg_dump missing: exit 7 naming it; pg_dump failing:
#                                            exit 9 with its message; no archive either way
#   fail-connect                             no server on the port: exit 3
set -euo pipefail

case_name=$1
DBDUMP=$2
DBRESTORE=$3
CORPUS=$4
WORK=$5
MSGDUMP=${6:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST_NAME=pg_$case_name
# shellcheck source=../../lib/common.sh
. "$HERE/../../lib/common.sh"

[ -n "${DBT_PG_URL:-}" ] || fail "DBT_PG_URL is not set (scripts/test.sh starts the server)"
command -v psql >/dev/null || fail "psql not found"
command -v pg_dump >/dev/null || fail "pg_dump not found"

rm -rf "$WORK"
mkdir -p "$WORK"

# URL of database $1 on the test server (replace the path of DBT_PG_URL, keep its query).
dburl() { dbt_pg_url "$1"; }

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d "$DBT_PG_URL" "$@"; }
psql_db() { local db=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$(dburl "$db")" "$@"; }

psql_admin -c 'SELECT 1' >/dev/null || fail "cannot connect to the test server $DBT_PG_URL"

PREFIX="dbt_$(echo "$case_name" | tr -c 'a-z0-9\n' '_')_$$"
# Databases made by newdb are listed in a file: newdb runs in $(...) subshells.
CREATED_LIST="$WORK/created-databases"
: >"$CREATED_LIST"
newdb() {
    local db="${PREFIX}_$1"
    echo "$db" >>"$CREATED_LIST"
    psql_admin -c "CREATE DATABASE \"$db\"" >/dev/null
    echo "$db"
}
cleanup() {
    local db
    while read -r db; do
        psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done <"$CREATED_LIST"
    stop_writer
    for role in "${ROLES[@]}"; do
        psql_admin -c "DROP ROLE IF EXISTS \"$role\"" >/dev/null 2>&1 || true
    done
    for ts in "${TABLESPACES[@]}"; do
        psql_admin -c "DROP TABLESPACE IF EXISTS \"$ts\"" >/dev/null 2>&1 || true
    done
}
ROLES=()
TABLESPACES=()
stop_writer() {
    if [ -n "${WRITER_PID:-}" ]; then
        psql_admin -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                       WHERE application_name = '$WRITER_APP'" >/dev/null 2>&1 || true
        wait "$WRITER_PID" 2>/dev/null || true
        WRITER_PID=
    fi
}
trap cleanup EXIT

# Run a program and capture its exit status without tripping set -e.
run() {
    local rc=0
    "$@" >"$WORK/last.out" 2>"$WORK/last.err" || rc=$?
    return $rc
}
expect_rc() { # expect_rc WANT CMD...
    local want=$1 rc=0
    shift
    run "$@" || rc=$?
    if [ "$rc" != "$want" ]; then
        cat "$WORK/last.err" >&2
        fail "'$*' exited $rc, expected $want"
    fi
}

# Objects a restore may have left in a database: user relations, types, functions, schemas.
user_objects() {
    psql_db "$1" -c "
      SELECT 'relation ' || c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      UNION ALL SELECT 'type ' || t.oid::regtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
         AND t.typrelid = 0 AND t.typcategory <> 'A'
      UNION ALL SELECT 'function ' || p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
       WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg\\_%'
      UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
      ORDER BY 1"
}
expect_empty() {
    local left
    left=$(user_objects "$1")
    [ -z "$left" ] || fail "target $1 is not empty after a failed restore: $(echo "$left" | head -5)"
}

load_fixture() { # load_fixture DB NAME
    case $2 in
        chinook | northwind)
            "$CORPUS/load.sh" "$2" "$(dburl "$1")" >"$WORK/load.log" 2>&1 ||
                { tail -20 "$WORK/load.log" >&2; fail "loading the $2 corpus failed"; }
            ;;
        *)
            psql_db "$1" -f "$HERE/$2.sql" >"$WORK/load.log" 2>&1 ||
                { tail -20 "$WORK/load.log" >&2; fail "loading $2.sql failed"; }
            ;;
    esac
}

roundtrip() { # roundtrip FIXTURE
    local src dst
    src=$(newdb src)
    dst=$(newdb dst)
    load_fixture "$src" "$1"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    [ -s "$WORK/a.dbd" ] || fail "no archive written"
    expect_rc 0 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/a.dbd"
    "$HERE/pg_compare.sh" "$(dburl "$src")" "$(dburl "$dst")" "$WORK/cmp" ||
        fail "restored database differs from the source (see above)"
}

case $case_name in
roundtrip-chinook) roundtrip chinook ;;
roundtrip-northwind) roundtrip northwind ;;
roundtrip-features) roundtrip features ;;
roundtrip-types)
    roundtrip types
    # The 16 MiB random bytea and every-plane text arrived byte for byte (checked in SQL too).
    src="${PREFIX}_src" dst="${PREFIX}_dst"
    a=$(psql_db "$src" -c "SELECT md5(by) || md5(tx) FROM t_types WHERE id = 9")
    b=$(psql_db "$dst" -c "SELECT md5(by) || md5(tx) FROM t_types WHERE id = 9")
    [ -n "$a" ] && [ "$a" = "$b" ] || fail "16 MiB bytea differs ($a / $b)"
    n=$(psql_db "$dst" -c "SELECT length(by) FROM t_types WHERE id = 9")
    [ "$n" = 16777216 ] || fail "16 MiB bytea has $n bytes"
    ;;
clean)
    src=$(newdb src)
    dst=$(newdb dst)
    load_fixture "$src" features
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    # Non-empty target (one unrelated table): refused with exit 6, left unchanged.
    psql_db "$dst" -c "CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (42)"
    expect_rc 6 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/a.dbd"
    grep -q keep_me "$WORK/last.err" || fail "refusal does not name the existing table"
    [ "$(user_objects "$dst")" = "relation keep_me" ] || fail "refused restore changed the target"
    [ "$(psql_db "$dst" -c 'SELECT x FROM keep_me')" = 42 ] || fail "keep_me changed"
    # --force loads beside it.
    expect_rc 0 "$DBRESTORE" --force "$(dburl "$dst")" -i "$WORK/a.dbd"
    [ "$(psql_db "$dst" -c 'SELECT x FROM keep_me')" = 42 ] || fail "--force changed keep_me"
    [ "$(psql_db "$dst" -c 'SELECT count(*) FROM app.orders')" = 3 ] || fail "--force did not load"
    # Restore into a fresh database, change it like a failed upgrade would, then --clean.
    psql_admin -c "DROP DATABASE \"$dst\"" -c "CREATE DATABASE \"$dst\"" >/dev/null
    expect_rc 0 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/a.dbd"
    psql_db "$dst" -c "
        ALTER TABLE app.customers ADD COLUMN upgraded boolean DEFAULT true;
        DELETE FROM app.orders WHERE status = 'new';
        INSERT INTO app.customers (email, name) VALUES ('new@example.com', 'New');
        CREATE INDEX customers_name_idx ON app.customers (name);
        DROP VIEW app.big_customers;
        ALTER TYPE app.status ADD VALUE 'returned';"
    expect_rc 6 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/a.dbd"
    expect_rc 0 "$DBRESTORE" --clean "$(dburl "$dst")" -i "$WORK/a.dbd"
    "$HERE/pg_compare.sh" "$(dburl "$src")" "$(dburl "$dst")" "$WORK/cmp" ||
        fail "--clean restore differs from the source"
    ;;
privileges)
    # Owners, grants, column grants, revoked defaults; then the same archive after the roles
    # are gone: restored with a warning per object, data intact.
    own="dbt_own_$$" rd="dbt_rd_$$"
    psql_admin -c "CREATE ROLE \"$own\"" -c "CREATE ROLE \"$rd\"" >/dev/null
    ROLES+=("$own" "$rd")
    src=$(newdb src)
    dst=$(newdb dst)
    load_fixture "$src" features
    psql_db "$src" -c "
        ALTER SCHEMA app OWNER TO $own;
        ALTER TABLE app.orders OWNER TO $own;
        ALTER VIEW app.customer_orders OWNER TO $own;
        ALTER MATERIALIZED VIEW app.status_counts OWNER TO $own;
        ALTER SEQUENCE app.counter OWNER TO $own;
        ALTER FUNCTION app.touch() OWNER TO $own;
        ALTER TYPE app.status OWNER TO $own;
        ALTER DOMAIN app.qty OWNER TO $own;
        GRANT USAGE ON SCHEMA app TO $rd;
        GRANT SELECT, INSERT ON app.customers TO $rd;
        GRANT UPDATE (name, visits) ON app.customers TO $rd WITH GRANT OPTION;
        GRANT SELECT ON app.orders TO $rd;
        GRANT USAGE ON SEQUENCE app.counter TO $rd WITH GRANT OPTION;
        REVOKE EXECUTE ON FUNCTION app.add(integer, integer) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION app.add(integer, integer) TO $rd;
        REVOKE USAGE ON TYPE app.status FROM PUBLIC;
        GRANT ALL ON TABLE app.scratch TO PUBLIC;
        ALTER AGGREGATE app.int_sum(integer) OWNER TO $own;
        REVOKE EXECUTE ON FUNCTION app.int_sum(integer) FROM PUBLIC;
        ALTER COLLATION app.nocase OWNER TO $own;
        ALTER DEFAULT PRIVILEGES FOR ROLE $own IN SCHEMA app GRANT SELECT ON TABLES TO $rd;
        ALTER DEFAULT PRIVILEGES FOR ROLE $own REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
        ALTER DEFAULT PRIVILEGES FOR ROLE $own GRANT USAGE ON SEQUENCES TO $rd;"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    expect_rc 0 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/a.dbd"
    "$HERE/pg_compare.sh" "$(dburl "$src")" "$(dburl "$dst")" "$WORK/cmp" ||
        fail "owners/privileges differ"
    grep -q "OWNER TO $own" "$WORK/cmp/schema_b.sql" || fail "no owner in the restored schema"
    grep -q "GRANT UPDATE(name) ON TABLE app.customers TO $rd WITH GRANT OPTION" \
        "$WORK/cmp/schema_b.sql" || fail "column grant missing"
    psql_admin -c "DROP DATABASE \"$src\"" -c "DROP DATABASE \"$dst\"" \
        -c "DROP ROLE \"$own\"" -c "DROP ROLE \"$rd\"" >/dev/null
    dst2=$(newdb dst2)
    expect_rc 0 "$DBRESTORE" "$(dburl "$dst2")" -i "$WORK/a.dbd"
    # pg_dump's entries: the owner statement and the grants, each named
    grep -q "owner of TABLE app.orders not restored: role \"$own\" does not exist" \
        "$WORK/last.err" || fail "no warning for the missing owner role"
    grep -q "ACL TABLE orders (schema app) not restored: role \"$rd\" does not exist" \
        "$WORK/last.err" ||
        fail "no warning for the missing grantee role"
    [ "$(psql_db "$dst2" -c "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'app.orders'::regclass")" = postgres ] ||
        fail "app.orders not owned by the restoring user"
    [ "$(psql_db "$dst2" -c 'SELECT count(*) FROM app.orders')" = 3 ] || fail "rows missing"
    ;;
large-objects)
    # Large objects: an empty one, a small one with a comment, one of 2.5 MiB (three pieces)
    # with an owner and a grant. Restored with the same oid, bytes, owner, grant and comment;
    # --verify reads them back; --to-sql writes them; -t of a table leaves them all out.
    rd="dbt_lo_$$"
    psql_admin -c "CREATE ROLE \"$rd\"" >/dev/null
    ROLES+=("$rd")
    src=$(newdb src)
    psql_db "$src" -c "
        CREATE TABLE docs (id int PRIMARY KEY, body oid);
        INSERT INTO docs VALUES (1, lo_create(0)), (2, lo_from_bytea(0, 'hello')),
            (3, lo_from_bytea(0, decode(repeat(md5('x'), 81920), 'hex')));
        SELECT lo_put(body, 2621440 - 3, 'end') FROM docs WHERE id = 3;
        DO \$\$ BEGIN
            EXECUTE format('COMMENT ON LARGE OBJECT %s IS %L', (SELECT body FROM docs WHERE id = 2), 'two');
            EXECUTE format('ALTER LARGE OBJECT %s OWNER TO $rd', (SELECT body FROM docs WHERE id = 3));
            EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO PUBLIC', (SELECT body FROM docs WHERE id = 3));
        END \$\$;" >/dev/null
    los() {
        psql_db "$1" -c "SELECT oid, pg_get_userbyid(lomowner), lomacl, obj_description(oid, 'pg_largeobject'),
                                length(lo_get(oid)), md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY oid"
    }
    los "$src" >"$WORK/src.los"
    [ "$(wc -l <"$WORK/src.los")" = 3 ] && grep -q "|two|5|" "$WORK/src.los" &&
        grep -q "|$rd|{$rd=rw/$rd,=r/$rd}||2621440|" "$WORK/src.los" ||
        { cat "$WORK/src.los" >&2; fail "the source's large objects are not as made"; }
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    expect_rc 0 "$DBRESTORE" --list -i "$WORK/a.dbd"
    # data bytes: 0 + 5 + 2621440 bytes, and 8 for each of the two integers of every piece
    grep -q "^Table pg_catalog.pg_largeobject: 5 rows, $((5 + 2621440 + 5 * 16)) data bytes" \
        "$WORK/last.out" ||
        fail "--list: no table of 5 pieces of large objects"
    [ "$(grep -c "pg_dump    BLOB " "$WORK/last.out")" = 3 ] || fail "--list: not 3 BLOB entries"
    dst=$(newdb dst)
    expect_rc 0 "$DBRESTORE" --verify "$(dburl "$dst")" -i "$WORK/a.dbd"
    grep -q "^pg_largeobject  *5  *5  OK" "$WORK/last.out" || fail "--verify: large objects not read back"
    los "$dst" >"$WORK/dst.los"
    diff "$WORK/src.los" "$WORK/dst.los" >&2 || fail "restored large objects differ"
    expect_rc 0 "$DBRESTORE" --to-sql postgresql -i "$WORK/a.dbd"
    sql=$(newdb sql)
    psql_db "$sql" -1 -f "$WORK/last.out" >/dev/null || fail "psql refused the --to-sql script"
    los "$sql" >"$WORK/sql.los"
    diff "$WORK/src.los" "$WORK/sql.los" >&2 || fail "--to-sql: large objects differ"
    # data-only into an application's own table: the objects are made by oid; one the
    # target has already is refused, kept (--on-conflict=skip) or replaced (--truncate)
    app=$(newdb app)
    psql_db "$app" -c "CREATE TABLE docs (id int PRIMARY KEY, body oid)" >/dev/null
    expect_rc 0 "$DBRESTORE" --data-only "$(dburl "$app")" -i "$WORK/a.dbd"
    body3() { psql_db "$app" -c "SELECT md5(lo_get(body)) FROM docs WHERE id = 3"; }
    [ "$(body3)" = "$(sed -n 3p "$WORK/src.los" | cut -d'|' -f6)" ] ||
        fail "data-only: large object 3 not restored"
    psql_db "$app" -c "SELECT lo_put(body, 0, 'changed') FROM docs WHERE id = 3" \
        -c "DELETE FROM docs" >/dev/null
    changed=$(psql_db "$app" -c "SELECT md5(lo_get($(sed -n 3p "$WORK/src.los" | cut -d'|' -f1)))")
    [ "$changed" != "$(sed -n 3p "$WORK/src.los" | cut -d'|' -f6)" ] || fail "lo_put changed nothing"
    expect_rc 7 "$DBRESTORE" --data-only "$(dburl "$app")" -i "$WORK/a.dbd"
    grep -q "large object $(sed -n 1p "$WORK/src.los" | cut -d'|' -f1): the target has one with this oid already" \
        "$WORK/last.err" || fail "data-only: an existing large object not refused by oid"
    expect_rc 0 "$DBRESTORE" --data-only --on-conflict=skip "$(dburl "$app")" -i "$WORK/a.dbd"
    [ "$(body3)" = "$changed" ] || fail "--on-conflict=skip did not keep the target's object"
    expect_rc 0 "$DBRESTORE" --data-only --truncate "$(dburl "$app")" -i "$WORK/a.dbd"
    [ "$(body3)" = "$(sed -n 3p "$WORK/src.los" | cut -d'|' -f6)" ] ||
        fail "--truncate did not replace the target's object"
    # a table selection leaves the large objects and their metadata out, as pg_dump -t does
    expect_rc 0 "$DBDUMP" -t public.docs "$(dburl "$src")" -o "$WORK/t.dbd"
    expect_rc 0 "$DBRESTORE" --list -i "$WORK/t.dbd"
    if grep "pg_largeobject\|BLOB" "$WORK/last.out"; then fail "-t: large objects dumped"; fi
    ;;
skip-object)
    # One pg_dump entry fails in the target (its function exists there already): the error
    # names it and the option that leaves it out; a title naming nothing is refused; with
    # --skip-object the rest restores in one transaction and the target's function stays.
    src=$(newdb src)
    dst=$(newdb dst)
    psql_db "$src" -c "
        CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1';
        CREATE TABLE t (id int PRIMARY KEY, v int);
        INSERT INTO t VALUES (1, 2), (2, 5);
        CREATE VIEW w AS SELECT id, f(v) AS fv FROM t;" >/dev/null
    psql_db "$dst" -c "CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 100'"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    expect_rc 0 "$DBRESTORE" --list -i "$WORK/a.dbd"
    grep -qx "    pg_dump    FUNCTION public.f(integer) (pre-data)" "$WORK/last.out" ||
        fail "--list does not show the function's title"
    expect_rc 9 "$DBRESTORE" -i "$WORK/a.dbd" "$(dburl "$dst")"
    grep -q "creating FUNCTION public.f(integer) (pg_dump entry; --skip-object 'FUNCTION public.f(integer)' leaves it out): ERROR:  function \"f\" already exists" \
        "$WORK/last.err" || fail "the failing entry is not named with its --skip-object title"
    expect_rc 2 "$DBRESTORE" --skip-object 'FUNCTION public.f(integer)' \
        --skip-object 'FUNCTION public.f(int)' -i "$WORK/a.dbd" "$(dburl "$dst")"
    grep -q -- "--skip-object 'FUNCTION public.f(int)': the archive has no such object" \
        "$WORK/last.err" || fail "an unknown title is not refused by name"
    [ "$(psql_db "$dst" -c "SELECT count(*) FROM pg_class WHERE relname IN ('t', 'w')")" = 0 ] ||
        fail "a refused restore left tables behind"
    expect_rc 0 "$DBRESTORE" --skip-object 'FUNCTION public.f(integer)' -i "$WORK/a.dbd" "$(dburl "$dst")"
    [ "$(psql_db "$dst" -c "SELECT string_agg(id || '=' || fv, ',' ORDER BY id) FROM w")" = "1=102,2=105" ] ||
        fail "the rest was not restored over the target's own function"
    ;;
extension-config)
    # An extension's configuration table (pg_extension_config_dump): CREATE EXTENSION makes
    # it with the extension's own rows; the rows its filter selects are the database's and
    # are dumped, as pg_dump dumps them. The extension is installed into the server's
    # SHAREDIR for this test and removed after it.
    ext="dbt_cfg_$$"
    share=$(psql_db postgres -c "SELECT setting FROM pg_config WHERE name = 'SHAREDIR'")
    [ -d "$share/extension" ] && [ -w "$share/extension" ] ||
        fail "cannot install a test extension into $share/extension (run as root)"
    EXT_FILES=("$share/extension/$ext.control" "$share/extension/$ext--1.0.sql")
    trap 'rm -f "${EXT_FILES[@]}"; cleanup' EXIT
    printf "default_version = '1.0'\nrelocatable = false\nschema = public\n" >"${EXT_FILES[0]}"
    cat >"${EXT_FILES[1]}" <<SQL
CREATE TABLE ${ext}_settings (k text PRIMARY KEY, v text, builtin boolean NOT NULL DEFAULT false);
INSERT INTO ${ext}_settings VALUES ('version', '1', true), ('limit', '10', true);
SELECT pg_catalog.pg_extension_config_dump('${ext}_settings', 'WHERE NOT builtin');
CREATE SEQUENCE ${ext}_ids;
SELECT pg_catalog.pg_extension_config_dump('${ext}_ids', '');
SQL
    src=$(newdb src)
    psql_db "$src" -c "CREATE EXTENSION $ext" \
        -c "INSERT INTO ${ext}_settings VALUES ('theme', 'dark', false), ('lang', E'fr\\tFR', false)" \
        -c "UPDATE ${ext}_settings SET v = '20' WHERE k = 'limit'" \
        -c "SELECT nextval('${ext}_ids') FROM generate_series(1, 7)" >/dev/null
    rows() {
        psql_db "$1" -c "SELECT k, v, builtin FROM ${ext}_settings ORDER BY k" \
            -c "SELECT last_value, is_called FROM ${ext}_ids"
    }
    # what pg_dump -Fc | pg_restore gives
    base=$(newdb base)
    pg_dump -Fc -d "$(dburl "$src")" -f "$WORK/a.pgdump" || fail "pg_dump failed"
    pg_restore -d "$(dburl "$base")" "$WORK/a.pgdump" || fail "pg_restore failed"
    rows "$base" >"$WORK/base.rows"
    [ "$(wc -l <"$WORK/base.rows")" = 5 ] && grep -qx "7|t" "$WORK/base.rows" ||
        fail "pg_restore's copy: $(cat "$WORK/base.rows")"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    expect_rc 0 "$DBRESTORE" --list -i "$WORK/a.dbd"
    grep -q "^Table public.${ext}_settings: 2 rows" "$WORK/last.out" ||
        fail "--list: the configuration table's 2 rows are not in the archive"
    dst=$(newdb dst)
    expect_rc 0 "$DBRESTORE" --verify "$(dburl "$dst")" -i "$WORK/a.dbd"
    rows "$dst" >"$WORK/dst.rows"
    diff "$WORK/base.rows" "$WORK/dst.rows" >&2 || fail "restored configuration rows differ"
    ;;
snapshot | snapshot-j4)
    src=$(newdb src)
    dst=$(newdb dst)
    jobs=1 seed=1000
    [ "$case_name" = snapshot ] || jobs=4 seed=600000
    # t1 is dumped first, then a big table that takes a while, then t2. The writer adds one
    # row to t1 and t2 in each transaction (same id, increasing). With one snapshot, the
    # archive holds the same ids in t1 and t2, and they are exactly 1..M with no gap. With
    # -j 4, t1 and big are read in key ranges on several connections (t1's last range, open
    # above, is where the writer's rows go): one snapshot shared by all four is what keeps
    # t1's ranges and t2 equal.
    psql_db "$src" -c "
        CREATE TABLE t1 (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE TABLE big (id bigint PRIMARY KEY, pad text);
        CREATE TABLE t2 (id bigint PRIMARY KEY);
        CREATE SEQUENCE w_seq;
        INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 1500000) i;
        WITH a AS (INSERT INTO t1 SELECT nextval('w_seq') FROM generate_series(1, $seed) RETURNING id)
            INSERT INTO t2 SELECT id FROM a;
        ANALYZE;"
    # The writer: a procedure committing one row pair per transaction, in its own session
    # (application_name marks it; it is stopped with pg_terminate_backend on that session).
    psql_db "$src" -c "
        CREATE PROCEDURE writer(n int) LANGUAGE plpgsql AS \$\$
        BEGIN
            FOR i IN 1..n LOOP
                WITH a AS (INSERT INTO t1 (id) VALUES (nextval('w_seq')) RETURNING id)
                    INSERT INTO t2 SELECT id FROM a;
                COMMIT;
            END LOOP;
        END \$\$;"
    WRITER_APP="dbt_writer_$$"
    PGAPPNAME=$WRITER_APP psql -X -q -d "$(dburl "$src")" -c "CALL writer(100000000)" \
        >"$WORK/writer.log" 2>&1 </dev/null &
    WRITER_PID=$!
    # Wait until the writer is committing.
    for _ in $(seq 1 100); do
        [ "$(psql_db "$src" -c "SELECT count(*) > $seed + 100 FROM t1")" = t ] && break
        sleep 0.1
    done
    before=$(psql_db "$src" -c 'SELECT count(*) FROM t1')
    expect_rc 0 "$DBDUMP" -v -j "$jobs" "$(dburl "$src")" -o "$WORK/a.dbd"
    after=$(psql_db "$src" -c 'SELECT count(*) FROM t1')
    stop_writer
    if [ "$jobs" = 4 ]; then
        # t1 and big were read in ranges, on more than one connection
        grep -q 'dumping table public.t1 (key range 2 of [2-9])' "$WORK/last.err" ||
            fail "t1 was not read in key ranges: $(cat "$WORK/last.err")"
        [ "$(grep -o 'on connection [0-9]' "$WORK/last.err" | sort -u | wc -l)" -ge 2 ] ||
            fail "one connection read everything: $(cat "$WORK/last.err")"
        grep -q 'on 4 connections' "$WORK/last.err" || fail "summary does not say -j 4"
    fi
    expect_rc 0 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/a.dbd"
    read -r n1 max1 n2 max2 same <<<"$(psql_db "$dst" -F ' ' -c "
        SELECT (SELECT count(*) FROM t1), (SELECT max(id) FROM t1),
               (SELECT count(*) FROM t2), (SELECT max(id) FROM t2),
               NOT EXISTS (SELECT id FROM t1 EXCEPT SELECT id FROM t2)
               AND NOT EXISTS (SELECT id FROM t2 EXCEPT SELECT id FROM t1)")"
    echo "snapshot: rows committed before dbdump started: $before, archive: t1=$n1 t2=$n2," \
        "after dbdump ended: $after"
    [ "$after" -gt "$before" ] || fail "the writer did not insert during the dump (test is void)"
    [ "$n1" = "$n2" ] && [ "$same" = t ] || fail "t1 and t2 differ in the archive: $n1 vs $n2 rows"
    [ "$n1" = "$max1" ] || fail "t1 ids have gaps: $n1 rows, max $max1"
    [ "$n1" -ge "$before" ] || fail "archive lacks rows committed before the dump ($n1 < $before)"
    [ "$n1" -lt "$after" ] || fail "archive holds rows committed after the dump ended"
    # Exactly the source rows 1..n1, timestamps included.
    psql_db "$src" -c "COPY (SELECT * FROM t1 WHERE id <= $n1 ORDER BY id) TO STDOUT" >"$WORK/src_t1"
    psql_db "$dst" -c "COPY (SELECT * FROM t1 ORDER BY id) TO STDOUT" >"$WORK/dst_t1"
    cmp -s "$WORK/src_t1" "$WORK/dst_t1" || fail "t1 rows differ from the source's first $n1"
    [ "$(psql_db "$dst" -c 'SELECT count(*) FROM big')" = 1500000 ] || fail "big table incomplete"
    ;;
jobs-same)
    src=$(newdb src)
    d1=$(newdb d1)
    d4=$(newdb d4)
    [ -x "$MSGDUMP" ] || fail "no message dumper given"
    load_fixture "$src" features
    load_fixture "$src" types
    # large tables with integer keys (split: int4; int8 from its least to its greatest value,
    # with a gap; one without statistics), one with a text key and one without (never split)
    psql_db "$src" -c "
        CREATE TABLE public.k4 (id int PRIMARY KEY, h text, b bytea, a int[]);
        INSERT INTO public.k4 SELECT i, md5(i::text), decode(md5(i::text), 'hex'),
            ARRAY[i, -i] FROM generate_series(1, 600000) i;
        CREATE TABLE public.k8 (id bigint PRIMARY KEY, v numeric);
        INSERT INTO public.k8 SELECT i::bigint * 1000000000 - 9223372036854775807, i / 7.0
            FROM generate_series(1, 300000) i;
        INSERT INTO public.k8 SELECT i * 1000, i FROM generate_series(1, 300000) i;
        INSERT INTO public.k8 VALUES (-9223372036854775808, 0), (9223372036854775807, 0);
        ANALYZE public.k4, public.k8;
        CREATE TABLE public.nostat (id bigint PRIMARY KEY, v text);
        INSERT INTO public.nostat SELECT i, repeat('y', i % 30) FROM generate_series(1, 600000) i;
        CREATE TABLE public.tkey (k text PRIMARY KEY);
        INSERT INTO public.tkey SELECT 'k' || i FROM generate_series(1, 200000) i;
        CREATE TABLE public.nokey (x int);
        INSERT INTO public.nokey SELECT i FROM generate_series(1, 200000) i;"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/1.dbd"
    expect_rc 0 "$DBDUMP" -v -j 4 "$(dburl "$src")" -o "$WORK/4.dbd"
    for t in k4 k8 nostat; do
        grep -q "dumping table public.$t (key range 2 of" "$WORK/last.err" ||
            fail "$t was not split: $(cat "$WORK/last.err")"
    done
    for t in tkey nokey; do
        grep -q "dumping table public.$t on connection" "$WORK/last.err" ||
            fail "$t was not read whole: $(cat "$WORK/last.err")"
    done
    expect_rc 0 "$DBRESTORE" --check -i "$WORK/4.dbd"
    # -j with -t: only the tables asked for, whole (k4 split, tkey not)
    expect_rc 0 "$DBDUMP" -j 3 -t public.k4 -t public.tkey "$(dburl "$src")" -o "$WORK/t.dbd"
    expect_rc 0 "$DBRESTORE" --list --json -i "$WORK/t.dbd"
    [ "$(python3 -c 'import json, sys; d = json.load(sys.stdin); print(" ".join("%s=%d" % (t["name"], t["rows"]) for t in d["tables"]))' <"$WORK/last.out")" = "k4=600000 tkey=200000" ] ||
        fail "-j 3 -t: wrong tables or rows: $(head -c 300 "$WORK/last.out")"
    # The same TABLE and OBJECT messages in the same order, and per table the same row
    # count and digest (DATA_END: the rows, in any order)
    dbt_same_jobs_archives "$MSGDUMP"
    [ "$(grep -c '^DATA_END' "$WORK/4.txt")" -ge 8 ] || fail "too few tables with data"
    expect_rc 0 "$DBRESTORE" "$(dburl "$d1")" -i "$WORK/1.dbd"
    expect_rc 0 "$DBRESTORE" --verify "$(dburl "$d4")" -i "$WORK/4.dbd"
    "$HERE/pg_compare.sh" "$(dburl "$d1")" "$(dburl "$d4")" "$WORK/cmp14" ||
        fail "the -j 4 restore differs from the -j 1 restore"
    ;;
restore-j4)
    src=$(newdb src)
    load_fixture "$src" features
    # indexes in a tablespace of their own: pg_dump sets default_tablespace once, before the
    # first of them, and the -j restore builds them on other connections than that SET's
    ts="dbt_ts_$$"
    TABLESPACES+=("$ts")
    psql_admin -c "SET allow_in_place_tablespaces = on" -c "CREATE TABLESPACE $ts LOCATION ''" \
        >/dev/null
    psql_db "$src" -c "
        CREATE TABLE app.big (id int PRIMARY KEY, a int, b text, c float8, u int UNIQUE);
        INSERT INTO app.big SELECT i, i % 1000, 'b' || i % 777, i / 3.0, i
            FROM generate_series(1, 400000) i;
        CREATE INDEX big_a ON app.big (a) TABLESPACE $ts;
        CREATE INDEX big_b ON app.big (b) TABLESPACE $ts;
        CREATE INDEX big_bc ON app.big (b, c);
        CREATE TABLE public.mid (id bigint PRIMARY KEY, big_id int REFERENCES app.big (id), t text);
        INSERT INTO public.mid SELECT i, i * 2, repeat(chr(65 + i % 26), i % 50)
            FROM generate_series(1, 200000) i;
        CREATE INDEX mid_t ON public.mid (t) TABLESPACE $ts;
        CREATE TABLE public.nokey (n int, s text);
        INSERT INTO public.nokey SELECT (i * 7919) % 100003, 'n' || i FROM generate_series(1, 100000) i;
        ANALYZE"
    expect_rc 0 "$DBDUMP" -j 4 "$(dburl "$src")" -o "$WORK/a.dbd"
    d1=$(newdb d1)
    d4=$(newdb d4)
    expect_rc 0 "$DBRESTORE" -j 1 "$(dburl "$d1")" -i "$WORK/a.dbd"
    run sh -c '"$0" -v --progress -j 4 --verify "$1" <"$2"' "$DBRESTORE" "$(dburl "$d4")" \
        "$WORK/a.dbd" || { cat "$WORK/last.err" >&2; fail "dbrestore -j 4 from stdin failed"; }
    grep -q "PostgreSQL: -j 4: the schema is committed first" "$WORK/last.err" ||
        fail "-j 4 did not say how it restores: $(cat "$WORK/last.err")"
    # the progress line: the rows given to each connection, the total and an ETA
    tr '\r' '\n' <"$WORK/last.err" >"$WORK/lines"
    grep -qE "restoring on 4 connections:( [0-9]+){4} \| [0-9]+ rows, .*, ETA [0-9]+:[0-9]{2}" \
        "$WORK/lines" || fail "no per-connection progress: $(head -c 600 "$WORK/lines")"
    last=$(grep -oE "on 4 connections:( [0-9]+){4}" "$WORK/lines" | tail -1)
    [ "$(echo "$last" | awk '{ n = 0; for (i = 4; i <= NF; i++) n += ($i > 0); print n }')" -ge 2 ] ||
        fail "the rows went to fewer than 2 connections: $last"
    pgdump() { pg_dump -d "$(dburl "$1")" | grep -v -e '^\\restrict ' -e '^\\unrestrict '; }
    pgdump "$d1" >"$WORK/d1.sql"
    pgdump "$d4" >"$WORK/d4.sql"
    cmp "$WORK/d1.sql" "$WORK/d4.sql" || fail "pg_dump of the -j 4 restore differs from -j 1's"
    [ "$(psql_db "$d4" -c "SELECT string_agg(indexname || '=' || coalesce(tablespace, '-'), ' '
        ORDER BY indexname) FROM pg_indexes WHERE indexname IN ('big_a', 'big_b', 'big_bc', 'mid_t')")" = \
        "big_a=$ts big_b=$ts big_bc=- mid_t=$ts" ] || fail "-j 4: the indexes' tablespaces"
    "$HERE/pg_compare.sh" "$(dburl "$src")" "$(dburl "$d4")" "$WORK/cmp" ||
        fail "the -j 4 restore differs from the source"
    # --plan states the mode; --clean (what it drops could not come back) is refused
    expect_rc 0 "$DBRESTORE" --plan -j 4 "$(dburl "$d1")" -i "$WORK/a.dbd"
    grep -q "^plan: PostgreSQL: on 4 connections, not one transaction: .* a failure drops what this restore created" "$WORK/last.out" ||
        fail "--plan -j 4: $(grep '^plan: PostgreSQL' "$WORK/last.out")"
    expect_rc 0 "$DBRESTORE" --plan "$(dburl "$d1")" -i "$WORK/a.dbd"
    grep -q "^plan: PostgreSQL: one transaction on one connection" "$WORK/last.out" ||
        fail "--plan: $(grep '^plan: PostgreSQL' "$WORK/last.out")"
    expect_rc 2 "$DBRESTORE" -j 4 --clean --yes "$(dburl "$d4")" -i "$WORK/a.dbd"
    grep -q -- "-j 4 with --clean: .*(use -j 1: one transaction)" "$WORK/last.err" ||
        fail "-j 4 --clean: $(cat "$WORK/last.err")"
    pgdump "$d4" >"$WORK/d4b.sql"
    cmp -s "$WORK/d4.sql" "$WORK/d4b.sql" || fail "the refused -j 4 --clean changed the target"
    # Failures after the schema is committed, into a target with objects of its own (a
    # schema, a function, the extension pgcrypto that the archive creates IF NOT EXISTS):
    # what the restore made is dropped, what was there stays, byte for byte.
    dt=$(newdb dt)
    psql_db "$dt" -c "CREATE SCHEMA keep; CREATE EXTENSION pgcrypto;
        CREATE FUNCTION keep.f() RETURNS int LANGUAGE sql AS 'SELECT 1'"
    pgdump "$dt" >"$WORK/before.sql"
    # 1. a bad row: a SQLite file whose INTEGER column holds text in row 150000 of 200000
    sq="$WORK/bad.db"
    sqlite3 "$sq" "CREATE TABLE big (id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
        CREATE TABLE small (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO small VALUES (1, 's');
        WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200000)
        INSERT INTO big SELECT i, CASE WHEN i = 150000 THEN 'not a number' ELSE i END, 'x' || i
        FROM s;" || fail "sqlite3"
    expect_rc 0 "$DBDUMP" -o "$WORK/bad.dbd" "sqlite:///$sq"
    expect_rc 7 "$DBRESTORE" -j 4 "$(dburl "$dt")" -i "$WORK/bad.dbd"
    grep -q "row 150000.*; cleaned up: what this restore created was dropped, the target is as it was$" "$WORK/last.err" ||
        fail "a bad row under -j 4: $(cat "$WORK/last.err")"
    pgdump "$dt" >"$WORK/after.sql"
    cmp "$WORK/before.sql" "$WORK/after.sql" || fail "a bad row under -j 4 changed the target"
    # the same file with that row mended: across engines under -j 4, every row arrives
    sqlite3 "$sq" "UPDATE big SET a = 150000 WHERE id = 150000" || fail "sqlite3 update"
    expect_rc 0 "$DBDUMP" -o "$WORK/good.dbd" "sqlite:///$sq"
    dx=$(newdb dx)
    expect_rc 0 "$DBRESTORE" -j 4 --verify "$(dburl "$dx")" -i "$WORK/good.dbd"
    [ "$(psql_db "$dx" -c "SELECT count(*), sum(a), sum((id = a)::int) FROM big")" = "200000|20000100000|200000" ] ||
        fail "the mended file under -j 4: $(psql_db "$dx" -c "SELECT count(*), sum(a) FROM big")"
    # -j with -t: the table asked for, every row
    dj=$(newdb dj)
    expect_rc 0 "$DBRESTORE" -j 3 -t big --verify "$(dburl "$dj")" -i "$WORK/good.dbd"
    [ "$(psql_db "$dj" -c "SELECT string_agg(format('%s.%s', schemaname, relname), ' ')
        FROM pg_stat_user_tables")" = "public.big" ] ||
        fail "-j 3 -t big: $(psql_db "$dj" -c "SELECT string_agg(relname, ' ') FROM pg_stat_user_tables")"
    [ "$(psql_db "$dj" -c "SELECT count(*), sum(a) FROM big")" = "200000|20000100000" ] ||
        fail "-j 3 -t big: wrong rows"
    # 2. a loading connection terminated by the server during its COPY
    run "$DBRESTORE" -j 4 "$(dburl "$dt")" -i "$WORK/a.dbd" &
    restorer=$!
    killed=""
    for _ in $(seq 400); do
        killed=$(psql_admin -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = '$dt' AND application_name = 'dbrestore' AND state = 'active'
              AND query LIKE 'COPY %' LIMIT 1")
        [ -n "$killed" ] && break
        sleep 0.02
    done
    rc=0
    wait "$restorer" || rc=$?
    [ "$killed" = t ] || fail "no loading connection was seen to terminate"
    [ "$rc" = 9 ] || { cat "$WORK/last.err" >&2; fail "a killed connection: exit $rc, want 9"; }
    grep -qE "(terminating connection|server closed the connection).*; cleaned up: what this restore created was dropped, the target is as it was$" "$WORK/last.err" ||
        fail "a killed connection under -j 4: $(cat "$WORK/last.err")"
    pgdump "$dt" >"$WORK/after.sql"
    cmp "$WORK/before.sql" "$WORK/after.sql" || fail "a killed connection under -j 4 changed the target"
    ;;
fail-truncated)
    src=$(newdb src)
    dst=$(newdb dst)
    load_fixture "$src" features
    psql_db "$src" -c "CREATE TABLE app.filler AS SELECT i, md5(i::text) AS h FROM generate_series(1, 200000) i"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    size=$(stat -c %s "$WORK/a.dbd")
    head -c $((size * 2 / 3)) "$WORK/a.dbd" >"$WORK/cut.dbd"
    expect_rc 5 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/cut.dbd"
    expect_empty "$dst"
    # The same through a pipe whose writer dies half way (dbdump | ... | dbrestore, stdin).
    rc=0
    head -c $((size / 2)) "$WORK/a.dbd" | "$DBRESTORE" "$(dburl "$dst")" 2>"$WORK/pipe.err" || rc=$?
    [ "$rc" = 5 ] || { cat "$WORK/pipe.err" >&2; fail "restore from a cut pipe exited $rc, expected 5"; }
    expect_empty "$dst"
    # And the whole archive through the pipe works.
    rc=0
    "$DBDUMP" "$(dburl "$src")" | "$DBRESTORE" "$(dburl "$dst")" 2>"$WORK/pipe.err" || rc=$?
    [ "$rc" = 0 ] || { cat "$WORK/pipe.err" >&2; fail "dbdump | dbrestore exited $rc"; }
    "$HERE/pg_compare.sh" "$(dburl "$src")" "$(dburl "$dst")" "$WORK/cmp" ||
        fail "piped restore differs from the source"
    ;;
fail-constraint)
    src=$(newdb src)
    dst=$(newdb dst)
    load_fixture "$src" features
    # Rows that violate a (valid) foreign key, slipped in with triggers off: the archive
    # is faithful, and the restore fails when it adds the key after loading the data.
    psql_db "$src" -c "SET session_replication_role = replica;
        INSERT INTO app.orders (customer_id, qty, note) VALUES (999, 1, 'orphan');"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    expect_rc 7 "$DBRESTORE" "$(dburl "$dst")" -i "$WORK/a.dbd"
    grep -q orders_customer_id_fkey "$WORK/last.err" || fail "error does not name the constraint"
    expect_empty "$dst"
    ;;
fail-pg-dump)
    # The schema comes from pg_dump: none there, or one that fails, fails the dump by name
    # (exit 7 with what to install; exit 9 with pg_dump's own message), and no archive is left.
    src=$(newdb src)
    psql_db "$src" -c "CREATE TABLE t (x int); INSERT INTO t VALUES (1)"
    expect_rc 7 env DBDUMP_PG_DUMP="$WORK/none" "$DBDUMP" "$(dburl "$src")" -o "$WORK/x.dbd"
    grep -q "PostgreSQL: the schema is taken with pg_dump, and $WORK/none did not run (not found); install pg_dump [0-9]* or later" \
        "$WORK/last.err" || fail "a missing pg_dump is not named"
    printf '#!/bin/sh\ncase "$*" in\n*--version*) exec pg_dump --version ;;\n*post-data*) echo "pg_dump: error: injected" >&2; exit 3 ;;\n*) exec pg_dump "$@" ;;\nesac\n' \
        >"$WORK/pg_dump"
    chmod +x "$WORK/pg_dump"
    expect_rc 9 env DBDUMP_PG_DUMP="$WORK/pg_dump" "$DBDUMP" "$(dburl "$src")" -o "$WORK/x.dbd"
    grep -q "pg_dump --section=post-data failed (exit 3): pg_dump: error: injected" \
        "$WORK/last.err" || fail "a failing pg_dump is not reported with its message"
    [ ! -e "$WORK/x.dbd" ] || fail "archive left behind"
    ;;
fail-connect)
    port=$(( (RANDOM % 1000) + 64000 ))
    expect_rc 3 "$DBDUMP" "postgresql://postgres:secret@127.0.0.1:$port/none?connect_timeout=3" -o "$WORK/x.dbd"
    ! grep -q secret "$WORK/last.err" || fail "password printed"
    [ ! -e "$WORK/x.dbd" ] || fail "archive left behind"
    src=$(newdb src)
    psql_db "$src" -c "CREATE TABLE t (x int); INSERT INTO t VALUES (1)"
    expect_rc 0 "$DBDUMP" "$(dburl "$src")" -o "$WORK/a.dbd"
    expect_rc 3 "$DBRESTORE" "postgresql://postgres:secret@127.0.0.1:$port/none?connect_timeout=3" -i "$WORK/a.dbd"
    ! grep -q secret "$WORK/last.err" || fail "password printed"
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "PASS [$case_name]"
