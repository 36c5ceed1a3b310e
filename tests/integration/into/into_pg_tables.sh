#!/usr/bin/env bash
# into_pg_tables.sh DBDUMP DBRESTORE WORKDIR
#
# Issue 10, PostgreSQL table kinds under --data-only --truncate: a partitioned table (TRUNCATE
# ONLY is refused on its parent; the partitions are loaded as the tables they are) and an
# inheritance child that is not in the archive (its rows must survive the parent's truncate).
set -euo pipefail

DBDUMP=$1
DBRESTORE=$2
WORK=$3
NAME="into_pg_tables"
PREFIX="dbt_it_$$"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

schema="CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, what text,
                     PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE notes (id integer PRIMARY KEY, body text);"

new_db postgresql src
src=$NEWURL
exec_sql postgresql "$src" <<<"$schema
INSERT INTO events VALUES (1, '2024-05-01', 'a'), (2, '2025-05-01', 'b'), (3, '2025-06-01', 'c');
INSERT INTO notes VALUES (10, 'ten'), (11, 'eleven');" || fail "creating the source failed"
dump_src "$src" "$WORK/app.dbd"

new_db postgresql tgt
tgt=$NEWURL
# the target also has a child table of notes that the archive does not know
exec_sql postgresql "$tgt" <<<"$schema
CREATE TABLE notes_archived (archived_at date) INHERITS (notes);
INSERT INTO events VALUES (9, '2024-09-09', 'seed');
INSERT INTO notes VALUES (1, 'seed note');
INSERT INTO notes_archived VALUES (50, 'old note', '2020-01-01');" || fail "creating the target failed"

run_restore 0 "$WORK/load" --data-only --truncate --verify -i "$WORK/app.dbd" "$tgt"
if grep -q MISMATCH "$WORK/load.out"; then fail "--verify: $(cat "$WORK/load.out")"; fi
eq "$(q postgresql "$tgt" "SELECT tableoid::regclass, id, at, what FROM events ORDER BY id")" \
    "events_2024|1|2024-05-01|a
events_2025|2|2025-05-01|b
events_2025|3|2025-06-01|c" "partitioned events after --truncate"
eq "$(q postgresql "$tgt" "SELECT id, body FROM ONLY notes ORDER BY id")" "10|ten
11|eleven" "notes after --truncate"
eq "$(q postgresql "$tgt" "SELECT id, body FROM notes_archived")" "50|old note" \
    "the inheritance child outside the archive keeps its rows"
echo "ok partitioned table and inheritance child under --data-only --truncate"
