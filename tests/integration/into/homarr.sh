#!/usr/bin/env bash
# homarr.sh ENGINE DBDUMP DBRESTORE SRCDIR CORPUS WORK (ENGINE: postgresql | mysql)
# Homarr, end to end, as its users move it: the SQLite database the app makes (its 42 real
# drizzle migrations applied the way drizzle applies them, __drizzle_migrations included),
# every one of its 35 tables filled with rows shaped as Homarr writes them (epoch seconds and
# milliseconds, 0/1 booleans, JSON text, encrypted secrets, binary media); the target made by
# the app's own PostgreSQL or MySQL migrations, with the rows Homarr seeds on first start.
#   - --plan predicts the load: 0 rows refused, the epoch unit of every timestamp column,
#     exit 0 (MySQL: its `timestamp` columns keep whole seconds, so the three columns Homarr
#     writes in milliseconds need --lossy, which the plan counts and the load reports alike);
#   - --data-only --truncate --verify loads it (nothing else; MySQL: --lossy), every table OK;
#   - every value read back with the engine's own client equals the source's (timestamps as
#     the same instant, booleans, JSON, secrets and media byte for byte): homarr.py computes
#     both sides' canonical rows independently of dbrestore;
#   - __drizzle_migrations of the target is untouched (the app's own migration history).
set -euo pipefail
ENGINE=$1 DBDUMP=$2 DBRESTORE=$3 SRCDIR=$4 CORPUS=$5 WORK=$6
TEST_NAME=homarr_$ENGINE
H=$CORPUS/homarr
PY="python3 $SRCDIR/tests/integration/into/homarr.py"
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
[ -f "$H/migrations/sqlite/meta/_journal.json" ] || fail "no Homarr migrations in $H"
DB=dbt_hm_$$

$PY migrate "$H" sqlite "$WORK/homarr.db"
$PY fill "$H" "$WORK/homarr.db" 120
[ "$(sqlite3 "$WORK/homarr.db" "SELECT count(*) FROM __drizzle_migrations")" = 42 ] ||
    fail "the SQLite migrations did not all apply"
[ -z "$(sqlite3 "$WORK/homarr.db" "PRAGMA foreign_key_check")" ] || fail "the source breaks its own keys"
expect 0 "$DBDUMP" -q -o "$WORK/homarr.dbd" "$WORK/homarr.db"
$PY migrate "$H" "$ENGINE" "$WORK/migrations.sql"
$PY seed "$ENGINE" "$WORK/seed.sql"
case $ENGINE in
postgresql)
    need_pg
    pg_newdb "$DB"
    URL=$(pg_url "$DB")
    pg_db "$DB" -f "$WORK/migrations.sql" 2>"$WORK/migrate.err" ||
        fail "the PostgreSQL migrations: $(cat "$WORK/migrate.err")"
    pg_db "$DB" -f "$WORK/seed.sql"
    books() { pg_db "$DB" -c 'SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id'; }
    read_all() { pg_db "$DB" -f "$1"; }
    LOSSY=()
    lossy_rows=0
    ;;
mysql)
    need_mysql
    my_newdb "$DB"
    URL=$(my_url "$DB")
    my "$DB" <"$WORK/migrations.sql"
    my "$DB" <"$WORK/seed.sql"
    books() { myq "$DB" 'SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY id'; }
    read_all() { { echo "SET time_zone = '+00:00';"; cat "$1"; } | my -N -B --raw "$DB"; }
    LOSSY=(--lossy)
    # user.email_verified, session.expires, verificationToken.expires: milliseconds into
    # MySQL timestamp (whole seconds): every row of the three tables
    lossy_rows=$(sqlite3 "$WORK/homarr.db" "SELECT (SELECT count(*) FROM user WHERE email_verified IS NOT NULL)
        + (SELECT count(*) FROM session) + (SELECT count(*) FROM verificationToken)")
    ;;
*) fail "unknown engine $ENGINE" ;;
esac
books >"$WORK/books.before"
[ -s "$WORK/books.before" ] || fail "the target has no migration history"

expect 0 "$DBRESTORE" --data-only --truncate --plan "${LOSSY[@]}" -i "$WORK/homarr.dbd" "$URL"
grep -q "^plan: [0-9]* archive rows converted as the load converts them: 0 would be refused, $lossy_rows changed by --lossy$" "$WORK/out" ||
    fail "plan: $(grep '^plan' "$WORK/out")"
[ "$(grep -c 'integers read as epoch seconds (from the values' "$WORK/out")" -ge 5 ] &&
    [ "$(grep -c 'integers read as epoch milliseconds (from the values' "$WORK/out")" = 3 ] ||
    fail "plan: epoch units: $(grep 'integers read' "$WORK/out")"
[ "$(books)" = "$(cat "$WORK/books.before")" ] || fail "--plan changed the target"

expect 0 "$DBRESTORE" --data-only --truncate --verify "${LOSSY[@]}" -i "$WORK/homarr.dbd" "$URL"
[ "$(grep -c '  OK$' "$WORK/out")" = 35 ] && ! grep -q MISMATCH "$WORK/out" ||
    fail "verify: $(cat "$WORK/out")"
if [ "$lossy_rows" != 0 ]; then
    grep -q "warning: --lossy: $lossy_rows rows had values converted" "$WORK/err" ||
        fail "the load's --lossy count is not the plan's $lossy_rows: $(cat "$WORK/err")"
fi
[ "$(books)" = "$(cat "$WORK/books.before")" ] || fail "the target's __drizzle_migrations changed"

$PY query "$H" "$WORK/homarr.db" "$ENGINE" >"$WORK/read.sql"
read_all "$WORK/read.sql" >"$WORK/got.raw"
$PY normalise "$H" "$WORK/homarr.db" "$ENGINE" "$WORK/got.raw" "$WORK/got"
$PY expect "$H" "$WORK/homarr.db" "$ENGINE" "$WORK/want"
[ "$(wc -l <"$WORK/want")" -gt 3000 ] || fail "fewer rows than wanted: $(wc -l <"$WORK/want")"
cmp -s "$WORK/want" "$WORK/got" || { diff "$WORK/want" "$WORK/got" | head -5 >&2; fail "values differ"; }
note "$(wc -l <"$WORK/want") rows in 35 tables compared value by value"
echo ok
