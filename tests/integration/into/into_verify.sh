#!/usr/bin/env bash
# into_verify.sh ENGINE DBDUMP DBRESTORE SRCDIR SAMPLE_DB WORK (ENGINE: postgresql | mysql)
# --verify on a server target reads the tables back after the commit: when what the target
# stored differs from what was sent, it exits 10 (README) with MISMATCH on that table's line,
# OK on the others, and the data in place. The difference here is an application's trigger
# (settings.value upper-cased on insert) in the schema the sample's tables were loaded into.
set -euo pipefail
ENGINE=$1 DBDUMP=$2 DBRESTORE=$3 SRCDIR=$4 SAMPLE=$5 WORK=$6
TEST_NAME=into_verify_$ENGINE
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
DB=dbt_iv_$$
expect 0 "$DBDUMP" -q -o "$WORK/sample.dbd" "$SAMPLE"
case $ENGINE in
postgresql)
    need_pg
    pg_newdb "$DB"
    URL=$(pg_url "$DB")
    expect 0 "$DBRESTORE" -q --schema-only -i "$WORK/sample.dbd" "$URL"
    pg_db "$DB" -c "CREATE FUNCTION up() RETURNS trigger LANGUAGE plpgsql AS
        \$\$BEGIN NEW.value := upper(NEW.value); RETURN NEW; END\$\$;
        CREATE TRIGGER settings_up BEFORE INSERT ON settings FOR EACH ROW EXECUTE FUNCTION up()"
    count() { pg_db "$DB" -c "SELECT count(*) FROM $1"; }
    ;;
mysql)
    need_mysql
    my_newdb "$DB"
    URL=$(my_url "$DB")
    expect 0 "$DBRESTORE" -q --schema-only -i "$WORK/sample.dbd" "$URL"
    myq "$DB" "CREATE TRIGGER settings_up BEFORE INSERT ON settings FOR EACH ROW
               SET NEW.value = UPPER(NEW.value)"
    count() { myq "$DB" "SELECT count(*) FROM \`$1\`"; }
    ;;
*) fail "unknown engine $ENGINE" ;;
esac
expect 10 "$DBRESTORE" --data-only --verify -i "$WORK/sample.dbd" "$URL"
grep -Eq '^settings +14 +14 +MISMATCH$' "$WORK/out" ||
    fail "no MISMATCH line for settings: $(cat "$WORK/out")"
[ "$(grep -c ' OK$' "$WORK/out")" = 6 ] || fail "want 6 tables OK: $(cat "$WORK/out")"
grep -q "^Verify (after commit" "$WORK/out" || fail "the report does not say after commit"
# after the commit: the rows are in place, as the README says, for the user to inspect
[ "$(count settings)" = 14 ] || fail "settings rows after the mismatch"
[ "$(count comments)" = "$(sqlite3 "$SAMPLE" 'SELECT count(*) FROM comments')" ] ||
    fail "comments rows after the mismatch"
echo ok
