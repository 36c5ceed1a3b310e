#!/usr/bin/env bash
# The README's pre-upgrade snapshot and rollback on SQLite: snapshot, an "upgrade" that
# changes the schema and the data (new column, changed rows, new index, new trigger, new
# table, user_version bump), then `dbrestore --clean` from the snapshot: every table of the
# snapshot is back exactly, with its indexes, triggers, views, sequences and user_version;
# the table the upgrade added is left in place (as documented) and is the only difference.
set -euo pipefail
dbdump=$1 dbrestore=$2 sample=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app=$work/data.db
cp "$sample" "$app"
chmod u+w "$app"
sqlite3 "$app" "PRAGMA user_version = 7; CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT,
    what TEXT); INSERT INTO audit(what) VALUES ('installed'); CREATE VIEW big_attachments AS
    SELECT * FROM attachments WHERE size > 4096;"
cp "$app" "$work/before.db"

"$dbdump" -q "$app" -o "$work/before-upgrade.dbd"                  # 1. snapshot
sqlite3 "$app" "ALTER TABLE users ADD COLUMN locale TEXT DEFAULT 'en';
    UPDATE posts SET rating = rating * 2, updated_at = updated_at + 1;
    DELETE FROM comments WHERE id < 500; DROP TRIGGER comments_count;
    UPDATE settings SET value = 'ENC:v4:k2026:00', secret = X'00' WHERE key LIKE 'oauth.%';
    CREATE INDEX posts_rating ON posts(rating); DROP VIEW big_attachments;
    INSERT INTO users (email, display_name, password_hash, created_at)
        VALUES ('new@example.org', 'New', X'01', 1767225600000);
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
