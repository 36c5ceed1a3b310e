#!/usr/bin/env bash
# into_backup.sh TARGET DBDUMP DBRESTORE WORKDIR
#
# Issue 10: --backup-to FILE writes a full archive of the target before a restore
# changes it; `dbrestore --clean --yes -i FILE TARGET` then gives back the target exactly as
# it was: schema, seed rows, migration bookkeeping and counters (PostgreSQL: pg_dump
# --schema-only plus the sorted data-only dump; MySQL: mysqldump with AUTO_INCREMENT; SQLite:
# .dump with sqlite_sequence). Between the two, the next id handed out must be max+1.
# Done for --data-only with --truncate and with --on-conflict=update, and for a full
# --clean restore.
# TARGET: postgresql | mysql | sqlite.
set -euo pipefail

TGT=$1
DBDUMP=$2
DBRESTORE=$3
WORK=$4
NAME="into_backup_$TGT"
PREFIX="dbt_ib_${TGT:0:2}_$$"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

new_db sqlite src
sqlite3 -bail "${NEWURL#sqlite:}" <<'SQL' || fail "creating the source failed"
CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES team(id), email TEXT NOT NULL,
                    is_admin BOOLEAN NOT NULL, created_at DATETIME NOT NULL, prefs JSON, avatar BLOB);
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO team VALUES (1, 'Core'), (2, 'Ops'), (4, 'Sales');
INSERT INTO users VALUES (1, 4, 'ann@example.com', 1, '2024-03-01 12:34:56', '{"a": 1}', X'00FF7F'),
                         (2, 1, 'bob@example.com', 0, '2024-03-01T12:34:56+02:00', NULL, NULL),
                         (7, NULL, 'cy@example.com', 0, '2024-05-01', '[]', X'');
INSERT INTO alembic_version VALUES ('src_rev_1');
SQL
dump_src "$NEWURL" "$WORK/app.dbd"

case "$TGT" in
postgresql)
    ddl="CREATE TABLE team (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   name varchar(255) NOT NULL, plan varchar(32) NOT NULL DEFAULT 'free');
CREATE TABLE users (id bigserial PRIMARY KEY, team_id integer REFERENCES team(id),
                    email varchar(255) NOT NULL UNIQUE, is_admin boolean NOT NULL DEFAULT false,
                    created_at timestamptz NOT NULL DEFAULT now(), prefs jsonb, avatar bytea);
CREATE INDEX users_team_id_idx ON users (team_id);
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('tgt_rev_9');
INSERT INTO team (name) VALUES ('Seed team'), ('Second');
INSERT INTO users (team_id, email, is_admin, created_at, prefs, avatar)
    VALUES (1, 'seed@example.com', true, '2020-01-02 03:04:05.678+00', '{\"seed\": true}', '\\x00ff10');"
    ;;
mysql)
    ddl="CREATE TABLE team (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(255) NOT NULL,
                   plan varchar(32) NOT NULL DEFAULT 'free')
    ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE users (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, team_id int NULL,
                    email varchar(255) NOT NULL, is_admin tinyint(1) NOT NULL DEFAULT 0,
                    created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), prefs json NULL,
                    avatar longblob NULL, UNIQUE KEY users_email_key (email),
                    KEY users_team_id_idx (team_id),
                    CONSTRAINT users_team_id_fkey FOREIGN KEY (team_id) REFERENCES team (id))
    ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)
    ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO alembic_version VALUES ('tgt_rev_9');
INSERT INTO team (name) VALUES ('Seed team'), ('Second');
INSERT INTO users (team_id, email, is_admin, created_at, prefs, avatar)
    VALUES (1, 'seed@example.com', 1, '2020-01-02 03:04:05.678', '{\"seed\": true}', X'00FF10');"
    ;;
sqlite)
    ddl="CREATE TABLE team (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL,
                   plan VARCHAR(32) NOT NULL DEFAULT 'free');
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, team_id INTEGER REFERENCES team(id),
                    email VARCHAR(255) NOT NULL UNIQUE, is_admin BOOLEAN NOT NULL DEFAULT 0,
                    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, prefs JSON, avatar BLOB);
CREATE INDEX users_team_id_idx ON users (team_id);
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('tgt_rev_9');
INSERT INTO team (name) VALUES ('Seed team'), ('Second');
INSERT INTO users (team_id, email, is_admin, created_at, prefs, avatar)
    VALUES (1, 'seed@example.com', 1, '2020-01-02 03:04:05.678', '{\"seed\": true}', X'00FF10');"
    ;;
*) fail "target $TGT: only postgresql, mysql and sqlite" ;;
esac
new_db "$TGT" tgt
tgt_url=$NEWURL
exec_sql "$TGT" "$tgt_url" <<<"$ddl" || fail "creating the target failed"
snapshot "$TGT" "$tgt_url" >"$WORK/before.snap"
grep -q 'seed@example.com' "$WORK/before.snap" || fail "the snapshot does not show the seed row"

# round MODE-ARGS...: load with --backup-to, check the target changed, --clean the backup back
round() {
    local tag=$1
    shift
    rm -f "$WORK/$tag.backup"
    run_restore 0 "$WORK/$tag" "$@" --backup-to "$WORK/$tag.backup" \
        -i "$WORK/app.dbd" "$tgt_url"
    [ -s "$WORK/$tag.backup" ] || fail "$tag: --backup-to wrote no file"
    eq "$(q "$TGT" "$tgt_url" "SELECT name FROM team WHERE id = 4")" Sales "$tag: the archive's rows loaded"
    # the counter is past the loaded ids (max 4): the application's next team gets 5
    case "$TGT" in
    postgresql) next=$(pg_q "${tgt_url##*/}" "INSERT INTO team (name) VALUES ('next') RETURNING id") ;;
    mysql) next=$(my_q "${tgt_url##*/}" "INSERT INTO team (name) VALUES ('next'); SELECT LAST_INSERT_ID()") ;;
    sqlite) next=$(lite_q "${tgt_url#sqlite:}" "INSERT INTO team (name) VALUES ('next'); SELECT last_insert_rowid()") ;;
    esac
    eq "$next" 5 "$tag: id of the next team inserted without one"
    run_restore 0 "$WORK/$tag.check" --check -i "$WORK/$tag.backup"
    run_restore 0 "$WORK/$tag.back" --clean --yes -i "$WORK/$tag.backup" "$tgt_url"
    snapshot "$TGT" "$tgt_url" >"$WORK/$tag.snap"
    same_text "$WORK/before.snap" "$WORK/$tag.snap" \
        "$tag: the target after --clean of the --backup-to archive is not as it was"
    echo "ok --backup-to with $*: the target came back exactly"
}
round truncate --data-only --truncate
# the seed team ids 1 and 2 are also in the archive: overwritten, then given back
round update --data-only --on-conflict=update
# a full restore that replaces the application's tables with the archive's
round clean --clean --yes
