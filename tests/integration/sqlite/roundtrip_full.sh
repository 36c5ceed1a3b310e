#!/usr/bin/env bash
# A database exercising every item of issue 3 (make_testdb.sh): round trip into a new file,
# into an existing file with --clean, and through a pipe; .dump, every value's storage class
# and bytes (reals bit for bit), user_version, application_id, sqlite_sequence identical.
set -euo pipefail
dbdump=$1 dbrestore=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/make_testdb.sh" "$work/src.db"
before=$(sum_of "$work/src.db")

"$dbdump" -q "$work/src.db" -o "$work/a.dbd"
"$dbrestore" -q -i "$work/a.dbd" "sqlite://$work/new.db"
same_db "$work/src.db" "$work/new.db"

# Spot checks that do not rely on the comparison helpers.
[ "$(sqlite3 "$work/new.db" 'PRAGMA user_version')" = 20241123 ] || fail user_version
[ "$(sqlite3 "$work/new.db" 'PRAGMA application_id')" = 1145258561 ] || fail application_id
[ "$(sqlite3 "$work/new.db" "SELECT seq FROM sqlite_sequence WHERE name='log'")" = 1000 ] ||
    fail "sqlite_sequence of log"
[ "$(sqlite3 "$work/new.db" 'SELECT length(v), typeof(v) FROM mixed WHERE id=11')" = \
    "16777216|blob" ] || fail "16 MiB blob"
[ "$(sqlite3 "$work/new.db" 'SELECT hex(v), length(CAST(v AS BLOB)) FROM mixed WHERE id=9')" = \
    "610062|3" ] || fail "text with NUL"
[ "$(sqlite3 "$work/new.db" 'SELECT hex(ieee754_to_blob(v)), hex(ieee754_to_blob(n))
    FROM mixed WHERE id=7')" = "8000000000000000|0000000000000001" ] || fail "-0.0 / 5e-324"
[ "$(sqlite3 "$work/new.db" 'SELECT rowid FROM plain ORDER BY rowid' | tr '\n' ' ')" = \
    "-9223372036854775808 1 5 1000 9223372036854775807 " ] || fail "rowids of plain"
[ "$(sqlite3 "$work/new.db" 'SELECT count(*) FROM log')" = 2 ] ||
    fail "triggers fired during the load"
[ "$(sqlite3 "$work/new.db" 'SELECT wr, strict FROM pragma_table_list WHERE name="strict_wr"')" \
    = "1|1" ] || fail "STRICT, WITHOUT ROWID"
[ "$(sqlite3 "$work/new.db" 'PRAGMA foreign_key_check')" = "" ] || fail "foreign keys"

# Existing target with --clean: same result, in place.
cp "$work/src.db" "$work/existing.db"
sqlite3 "$work/existing.db" "DELETE FROM child; DROP VIEW parent_totals; PRAGMA user_version=1"
"$dbrestore" -q --clean -i "$work/a.dbd" "$work/existing.db"
same_db "$work/src.db" "$work/existing.db"

# Pipe into a new file.
"$dbdump" -q "sqlite:$work/src.db" | "$dbrestore" -q "$work/piped.db"
same_db "$work/src.db" "$work/piped.db"

# A second round trip (restored -> dump -> restore) stays identical.
"$dbdump" -q "$work/new.db" | "$dbrestore" -q "$work/again.db"
same_db "$work/src.db" "$work/again.db"

# File-level settings: page size, auto_vacuum and WAL mode; a UTF-16 database.
cp "$work/src.db" "$work/wal.db"
sqlite3 "$work/wal.db" "PRAGMA page_size=8192; PRAGMA auto_vacuum=FULL; VACUUM;
    PRAGMA journal_mode=WAL;" >/dev/null
"$dbdump" -q "$work/wal.db" | "$dbrestore" -q "$work/wal2.db"
[ "$(sqlite3 "$work/wal2.db" 'PRAGMA page_size; PRAGMA auto_vacuum; PRAGMA journal_mode' |
    tr '\n' ' ')" = "8192 1 wal " ] || fail "page_size/auto_vacuum/WAL not restored"
same_db "$work/wal.db" "$work/wal2.db"
sqlite3 "$work/u16.db" "PRAGMA encoding='UTF-16le'; CREATE TABLE t(x TEXT, y);
    INSERT INTO t VALUES ('Grüße, 世界 😀', 1), ('', x'00'), (NULL, 'ascii');"
"$dbdump" -q "$work/u16.db" | "$dbrestore" -q "$work/u16b.db"
[ "$(sqlite3 "$work/u16b.db" 'PRAGMA encoding')" = UTF-16le ] || fail "encoding not restored"
same_db "$work/u16.db" "$work/u16b.db"

[ "$(sum_of "$work/src.db")" = "$before" ] || fail "source modified"
echo "ok"
