#!/usr/bin/env bash
# into_counters.sh DBDUMP DBRESTORE SRCDIR SAMPLE_DB WORK
# A data-only load into PostgreSQL leaves every counter past the ids the source handed out,
# also those of rows deleted since: the sample application (tests/data) deleted its user 120,
# whose id its AUTOINCREMENT counter (sqlite_sequence: 120) remembers. Its tables are made in
# PostgreSQL first (a cross-engine --schema-only restore, as an app's migrations would), then
# loaded with --data-only: the next user gets 121, not 120 again. The same from a PostgreSQL
# archive: the identity sequence's own value. And into an app's SQLite file (AUTOINCREMENT):
# its sqlite_sequence is moved past both archives' counters. And into MySQL: AUTO_INCREMENT.
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 SRCDIR=$3 SAMPLE=$4 WORK=$5
TEST_NAME=into_counters
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
need_pg
DB=dbt_ic_$$
# the source's own numbers, read with sqlite3
[ "$(sqlite3 "$SAMPLE" "SELECT max(id) FROM users")" = 119 ] || fail "sample: max(users.id)"
[ "$(sqlite3 "$SAMPLE" "SELECT seq FROM sqlite_sequence WHERE name = 'users'")" = 120 ] ||
    fail "sample: sqlite_sequence of users"

expect 0 "$DBDUMP" -q -o "$WORK/sample.dbd" "$SAMPLE"
pg_newdb "${DB}_a"
expect 0 "$DBRESTORE" -q --schema-only -i "$WORK/sample.dbd" "$(pg_url "${DB}_a")"
expect 0 "$DBRESTORE" -q --data-only -i "$WORK/sample.dbd" "$(pg_url "${DB}_a")"
[ "$(pg_db "${DB}_a" -c "INSERT INTO users (email, display_name, password_hash, created_at)
     VALUES ('next@example.org', 'Next', '\\x00', 0) RETURNING id")" = 121 ] ||
    fail "SQLite -> PostgreSQL: the next user id is not 121"

# PostgreSQL -> PostgreSQL: the archive carries the identity sequences' values (users: 121
# after the insert above; max(id) is 121 too, so delete it to leave a gap)
pg_db "${DB}_a" -c "DELETE FROM users WHERE id = 121" >/dev/null
expect 0 "$DBDUMP" -q -o "$WORK/pg.dbd" "$(pg_url "${DB}_a")"
pg_newdb "${DB}_b"
expect 0 "$DBRESTORE" -q --schema-only -i "$WORK/pg.dbd" "$(pg_url "${DB}_b")"
expect 0 "$DBRESTORE" -q --data-only -i "$WORK/pg.dbd" "$(pg_url "${DB}_b")"
[ "$(pg_db "${DB}_b" -c "INSERT INTO users (email, display_name, password_hash, created_at)
     VALUES ('next@example.org', 'Next', '\\x00', 0) RETURNING id")" = 122 ] ||
    fail "PostgreSQL -> PostgreSQL: the next user id is not 122"

# into SQLite tables made by the app (AUTOINCREMENT): the sample's counter, then the
# PostgreSQL archive's (identity 121, max(id) 119)
sqlite3 "$SAMPLE" ".schema users" | sqlite3 -bail "$WORK/app.db"
expect 0 "$DBRESTORE" -q --data-only -t users -i "$WORK/sample.dbd" "$WORK/app.db"
[ "$(sqlite3 "$WORK/app.db" "INSERT INTO users (email, display_name, password_hash, created_at)
     VALUES ('next@example.org', 'Next', x'00', 0) RETURNING id")" = 121 ] ||
    fail "SQLite -> SQLite app: the next user id is not 121"
sqlite3 "$SAMPLE" ".schema users" | sqlite3 -bail "$WORK/app2.db"
expect 0 "$DBRESTORE" -q --data-only -t users -i "$WORK/pg.dbd" "$WORK/app2.db"
[ "$(sqlite3 "$WORK/app2.db" "SELECT max(id) FROM users")" = 119 ] ||
    fail "PostgreSQL -> SQLite app: max(id)"
[ "$(sqlite3 "$WORK/app2.db" "INSERT INTO users (email, display_name, password_hash, created_at)
     VALUES ('next@example.org', 'Next', x'00', 0) RETURNING id")" = 122 ] ||
    fail "PostgreSQL -> SQLite app: the next user id is not 122"

# into MySQL (the tables made by a cross-engine --schema-only restore, as the app's migrations
# would): AUTO_INCREMENT can only be set by DDL, after the load's commit; the next user is 121
need_mysql
my_newdb "${DB}_m"
expect 0 "$DBRESTORE" -q --schema-only -t users -i "$WORK/sample.dbd" "$(my_url "${DB}_m")"
expect 0 "$DBRESTORE" -q --data-only -t users -i "$WORK/sample.dbd" "$(my_url "${DB}_m")"
myq "${DB}_m" "INSERT INTO users (email, display_name, password_hash, created_at)
     VALUES ('next@example.org', 'Next', x'00', 0)"
[ "$(myq "${DB}_m" "SELECT max(id) FROM users")" = 121 ] ||
    fail "SQLite -> MySQL: the next user id is not 121: $(myq "${DB}_m" "SELECT max(id) FROM users")"
echo ok
