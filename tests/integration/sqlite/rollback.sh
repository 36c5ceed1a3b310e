#!/usr/bin/env bash
# The README's pre-upgrade snapshot and rollback on SQLite: snapshot, an "upgrade" that
# changes the schema and the data (new column, changed rows, new index, new trigger, new
# table, user_version bump), then `dbrestore --clean` from the snapshot: every table of the
# snapshot is back exactly, with its indexes, triggers, views, sequences and user_version;
# the table the upgrade added is left in place (as documented) and is the only difference.
set -euo pipefail
dbdump=$1 dbrestore=$2 corpus=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app=$work/data.db
cp "$corpus/chinook/Chinook_Sqlite.sqlite" "$app"
chmod u+w "$app"
sqlite3 "$app" "PRAGMA user_version = 7; CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT,
    what TEXT); INSERT INTO audit(what) VALUES ('installed'); CREATE VIEW big_invoices AS
    SELECT * FROM Invoice WHERE Total > 20;"
cp "$app" "$work/before.db"

"$dbdump" -q "$app" -o "$work/before-upgrade.dbd"                  # 1. snapshot
sqlite3 "$app" "ALTER TABLE Customer ADD COLUMN Loyalty INTEGER DEFAULT 0;
    UPDATE Track SET UnitPrice = UnitPrice * 2; DELETE FROM InvoiceLine WHERE InvoiceLineId < 500;
    CREATE INDEX track_price ON Track(UnitPrice); DROP VIEW big_invoices;
    CREATE TABLE new_feature(id INTEGER PRIMARY KEY, x TEXT); INSERT INTO new_feature VALUES (1, 'x');
    INSERT INTO audit(what) VALUES ('upgraded'); PRAGMA user_version = 8;"  # 2. upgrade
"$dbrestore" -q --clean -i "$work/before-upgrade.dbd" "$app"       # 3. rollback

[ "$(sqlite3 "$app" 'PRAGMA integrity_check')" = ok ] || fail integrity_check
[ "$(sqlite3 "$app" 'PRAGMA user_version')" = 7 ] || fail user_version
[ "$(sqlite3 "$app" "SELECT seq FROM sqlite_sequence WHERE name = 'audit'")" = 1 ] ||
    fail "sqlite_sequence not rolled back"
[ "$(sqlite3 "$app" 'SELECT count(*) FROM new_feature')" = 1 ] || fail "new table touched"
sqlite3 "$app" "DROP TABLE new_feature"
same_db "$work/before.db" "$app"
echo ok
