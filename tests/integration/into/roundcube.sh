#!/usr/bin/env bash
# roundcube.sh ENGINE DBDUMP DBRESTORE SRCDIR WORK (ENGINE: postgresql | mysql)
# A second real application, unlike Homarr: Roundcube Webmail (Debian's roundcube-core, its
# SQL/ folder: the schema its installer creates for each engine). Integer ids with gaps,
# datetimes kept as text in SQLite, 0/1 flags, vCards with CRLF, serialized PHP session and
# cache data, UTF-8 text, and its schema version kept as a row ('roundcube-version') of a
# table named `system`, which no list of bookkeeping tables knows.
#   - --plan flags `system` as schema-version bookkeeping (from its row) and names -T system;
#     0 rows would be refused;
#   - --data-only --truncate --verify -T system loads the 16 other tables, every one OK, and
#     the target's own version row stays;
#   - every value read back with the engine's client equals the source's (roundcube.py);
#   - the next user gets max(user_id) + 1.
set -euo pipefail
ENGINE=$1 DBDUMP=$2 DBRESTORE=$3 SRCDIR=$4 WORK=$5
TEST_NAME=into_roundcube_$ENGINE
PY="python3 $SRCDIR/tests/integration/into/roundcube.py"
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
DB=dbt_rc_$$

# the application's schema, as Debian ships it (Debian's package archive is reachable here)
(cd "$WORK" && apt-get download -q roundcube-core >apt.log 2>&1) ||
    fail "cannot download Debian's roundcube-core: $(tail -3 "$WORK/apt.log")"
dpkg-deb -x "$WORK"/roundcube-core_*.deb "$WORK/pkg"
SQL=$WORK/pkg/usr/share/roundcube/SQL
[ -f "$SQL/sqlite.initial.sql" ] || fail "no SQL/sqlite.initial.sql in roundcube-core"

sqlite3 -bail "$WORK/rc.db" <"$SQL/sqlite.initial.sql"
$PY fill "$WORK/rc.db" 80
[ -z "$(sqlite3 "$WORK/rc.db" "PRAGMA foreign_key_check")" ] || fail "the source breaks its own keys"
expect 0 "$DBDUMP" -q -o "$WORK/rc.dbd" "$WORK/rc.db"
maxid=$(sqlite3 "$WORK/rc.db" "SELECT max(user_id) FROM users")
case $ENGINE in
postgresql)
    need_pg
    pg_newdb "$DB"
    URL=$(pg_url "$DB")
    pg_db "$DB" -f "$SQL/postgres.initial.sql" >/dev/null
    version() { pg_db "$DB" -c "SELECT value FROM system WHERE name = 'roundcube-version'"; }
    read_all() { pg_db "$DB" -f "$1"; }
    next_id() { pg_db "$DB" -c "INSERT INTO users (username, mail_host) VALUES ('next', 'h') RETURNING user_id"; }
    ;;
mysql)
    need_mysql
    my_newdb "$DB"
    URL=$(my_url "$DB")
    my "$DB" <"$SQL/mysql.initial.sql"
    version() { myq "$DB" "SELECT value FROM \`system\` WHERE name = 'roundcube-version'"; }
    read_all() { my -N -B --raw "$DB" <"$1"; }
    next_id() { myq "$DB" "INSERT INTO users (username, mail_host, created) VALUES ('next', 'h', NOW());
        SELECT LAST_INSERT_ID()"; }
    ;;
*) fail "unknown engine $ENGINE" ;;
esac
v=$(version)
[ -n "$v" ] || fail "the target has no roundcube-version row"

expect 0 "$DBRESTORE" --data-only --truncate --plan -i "$WORK/rc.dbd" "$URL"
grep -qxF "  table \"system\" looks like schema-version bookkeeping (\"roundcube-version\"): loading it replaces the migration history the app reads; -T system leaves it out" "$WORK/out" ||
    fail "plan does not flag system: $(cat "$WORK/out")"
grep -q "^plan: [0-9]* archive rows converted as the load converts them: 0 would be refused, 0 changed by --lossy$" "$WORK/out" ||
    fail "plan: $(grep '^plan' "$WORK/out")"

expect 0 "$DBRESTORE" --data-only --truncate --verify -T system -i "$WORK/rc.dbd" "$URL"
[ "$(grep -c '  OK$' "$WORK/out")" = 16 ] && ! grep -q MISMATCH "$WORK/out" ||
    fail "verify: $(cat "$WORK/out")"
[ "$(version)" = "$v" ] || fail "the target's roundcube-version row changed"

$PY query "$WORK/rc.db" "$ENGINE" | grep -v "FROM [\`\"]system[\`\"] t;" >"$WORK/read.sql"
read_all "$WORK/read.sql" >"$WORK/got.raw"
$PY normalise "$WORK/got.raw" "$WORK/got"
$PY expect "$WORK/rc.db" "$WORK/want.all"
grep -v "^system	" "$WORK/want.all" >"$WORK/want"
[ "$(wc -l <"$WORK/want")" -gt 1000 ] || fail "fewer rows than wanted"
cmp -s "$WORK/want" "$WORK/got" || { diff "$WORK/want" "$WORK/got" | head -5 >&2; fail "values differ"; }
[ "$(next_id)" = $((maxid + 1)) ] || fail "the next user id is not $((maxid + 1))"
note "$(wc -l <"$WORK/want") rows in 16 tables compared value by value"
echo ok
