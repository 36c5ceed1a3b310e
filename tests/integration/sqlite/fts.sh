#!/usr/bin/env bash
# fts.sh: SQLite virtual tables (FTS5 with external content and with its own, FTS4, R*Tree)
# are carried as sqlite3 .dump carries them: the CREATE VIRTUAL TABLE and the rows of the
# shadow tables, so the restored index answers without a rebuild. Checked: .dump and every
# value identical, integrity_check and the FTS modules' own integrity-check, MATCH and
# R*Tree queries give the same rows, --to-sql sqlite loads to the same database; -T of a
# virtual table leaves out its shadow tables, -t takes them along; into PostgreSQL (another
# engine) and into an existing schema (--data-only) they are left out with a warning.
set -euo pipefail
dbdump=$1 dbrestore=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
WORK=$work
src=$work/app.db
sqlite3 -bail "$src" <<'SQL'
CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);
CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, content='notes', content_rowid='id');
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
INSERT INTO notes (id, title, body)
    SELECT i, 'note ' || i, printf('%s alpha%d beta%d café 日本語 %s', CASE i % 3 WHEN 0
        THEN 'backup' WHEN 1 THEN 'restore' ELSE 'migrate' END, i % 7, i % 11, hex(i * 7919))
    FROM n;
DELETE FROM notes_fts WHERE rowid IN (SELECT id FROM notes WHERE id % 50 = 0);
CREATE VIRTUAL TABLE docs USING fts5(text, tokenize = 'porter unicode61');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO docs (rowid, text) SELECT i * 3, printf('running runs ran document %d %s', i,
    CASE WHEN i % 2 THEN 'databases' ELSE 'archives' END) FROM n;
CREATE VIRTUAL TABLE old USING fts4(a, b);
INSERT INTO old (a, b) VALUES ('first row', 'with words'), ('second', 'more words here');
CREATE VIRTUAL TABLE boxes USING rtree(id, minx, maxx, miny, maxy);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO boxes SELECT i, i, i + 5, i * 2, i * 2 + 3 FROM n;
SQL
queries="SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'backup AND alpha3' ORDER BY rowid;
SELECT rowid FROM docs WHERE docs MATCH 'run' ORDER BY rowid;
SELECT rowid FROM old WHERE old MATCH 'words' ORDER BY rowid;
SELECT id FROM boxes WHERE minx >= 100 AND maxx <= 140 ORDER BY id;"
sqlite3 -bail "$src" "$queries" >"$work/want"
[ "$(wc -l <"$work/want")" -gt 100 ] || fail "the queries find too little in the source"
fts_check() { # the modules' own consistency checks of the index against its content
    sqlite3 -bail "$1" "INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check');
        INSERT INTO docs (docs) VALUES ('integrity-check');
        INSERT INTO old (old) VALUES ('integrity-check');
        SELECT rtreecheck('boxes');" | grep -qx ok || fail "rtreecheck of $1"
}
fts_check "$src"

# same engine: everything back, the indexes work as they were
expect 0 "$dbdump" -q "$src" -o "$work/a.dbd"
expect 0 "$dbrestore" -q -i "$work/a.dbd" "$work/r.db"
same_db "$src" "$work/r.db"
fts_check "$work/r.db"
sqlite3 -bail "$work/r.db" "$queries" | cmp -s - "$work/want" || fail "queries differ"
# the index keeps working: a new note is found through the trigger
sqlite3 -bail "$work/r.db" "INSERT INTO notes (title, body) VALUES ('new', 'zebra');"
[ "$(sqlite3 "$work/r.db" "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'zebra'")" = 1 ] ||
    fail "the restored index does not take new rows"
# --clean over the restored copy, and the SQL script, give the same again
expect 0 "$dbrestore" -q --clean -i "$work/a.dbd" "$work/r.db"
same_db "$src" "$work/r.db"
expect 0 "$dbrestore" --to-sql sqlite -i "$work/a.dbd"
sqlite3 -bail "$work/s.db" <"$work/out" || fail "sqlite3 refused the --to-sql script"
same_db "$src" "$work/s.db"
fts_check "$work/s.db"

# selection: -T of a virtual table drops its shadow tables; -t takes them along
tables_in() { "$dbrestore" --list --json -i "$1" |
    python3 -c 'import json, sys; print(" ".join(sorted(t["name"] for t in json.load(sys.stdin)["tables"])))'; }
expect 0 "$dbdump" -q -T docs -T boxes "$src" -o "$work/t.dbd"
got=$(tables_in "$work/t.dbd")
[ "$got" = "notes notes_fts notes_fts_config notes_fts_data notes_fts_docsize notes_fts_idx old old_content old_docsize old_segdir old_segments old_stat" ] ||
    fail "-T docs -T boxes: $got"
expect 0 "$dbdump" -q -t docs "$src" -o "$work/d.dbd"
got=$(tables_in "$work/d.dbd")
[ "$got" = "docs docs_config docs_content docs_data docs_docsize docs_idx" ] || fail "-t docs: $got"
expect 0 "$dbrestore" -q -i "$work/d.dbd" "$work/d.db"
sqlite3 -bail "$work/d.db" "INSERT INTO docs (docs) VALUES ('integrity-check')"
[ "$(sqlite3 "$work/d.db" "SELECT rowid FROM docs WHERE docs MATCH 'run' ORDER BY rowid")" = \
  "$(sqlite3 "$src" "SELECT rowid FROM docs WHERE docs MATCH 'run' ORDER BY rowid")" ] ||
    fail "-t docs: MATCH differs"
expect 0 "$dbrestore" -q -T 'old' -i "$work/a.dbd" "$work/o.db"
[ -z "$(sqlite3 "$work/o.db" "SELECT name FROM sqlite_master WHERE name LIKE 'old%'")" ] ||
    fail "dbrestore -T old left its tables"

# a virtual table whose module this SQLite lacks: a clear refusal naming -T, which works
cp "$src" "$work/nomod.db"
sqlite3 -bail "$work/nomod.db" "PRAGMA writable_schema = ON; INSERT INTO sqlite_master
    VALUES ('table', 'ext', 'ext', 0, 'CREATE VIRTUAL TABLE ext USING no_such_module(a)')"
expect 7 "$dbdump" -q "$work/nomod.db" -o "$work/nomod.dbd"
grep -q "virtual table ext: .*module.*-T 'ext'" "$work/err" || fail "no-module message: $(cat "$work/err")"
[ ! -e "$work/nomod.dbd" ] || fail "an archive was written for a refused dump"
expect 0 "$dbdump" -q -T ext "$work/nomod.db" -o "$work/nomod.dbd"
[ "$(tables_in "$work/nomod.dbd" | wc -w)" = 22 ] || fail "-T ext: $(tables_in "$work/nomod.dbd")"

# into an existing schema (data-only): the app's own index stays; virtual tables left out
sqlite3 -bail "$work/app2.db" "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL,
    body TEXT)"
expect 0 "$dbrestore" --data-only -i "$work/a.dbd" "$work/app2.db"
for v in notes_fts docs old boxes; do
    grep -q "table $v: a SQLite virtual table" "$work/err" || fail "no warning for $v"
done
[ "$(sqlite3 "$work/app2.db" 'SELECT count(*) FROM notes')" = 600 ] || fail "data-only rows"

# into PostgreSQL: the tables, without the virtual tables and their shadows
if [ -n "${DBT_PG_URL:-}" ]; then
    db=dbt_fts_$$
    psql -X -q -d "$DBT_PG_URL" -c "CREATE DATABASE $db" >/dev/null
    pgurl=$(dbt_pg_url "$db")
    st=0
    "$dbrestore" -i "$work/a.dbd" "$pgurl" 2>"$work/err" || st=$?
    got=$(psql -X -At -d "$pgurl" -c "SELECT string_agg(table_name, ' ' ORDER BY table_name)
        FROM information_schema.tables WHERE table_schema = 'public'")
    n=$(psql -X -At -d "$pgurl" -c "SELECT count(*) FROM notes" 2>/dev/null || echo none)
    psql -X -q -d "$DBT_PG_URL" -c "DROP DATABASE $db" >/dev/null
    [ "$st" = 0 ] || fail "into PostgreSQL: exit $st: $(cat "$work/err")"
    [ "$got" = notes ] || fail "into PostgreSQL: tables $got"
    [ "$n" = 600 ] || fail "into PostgreSQL: $n notes"
    for v in notes_fts docs old boxes; do
        grep -q "table $v: a SQLite virtual table" "$work/err" || fail "no warning for $v"
    done
else
    fail "DBT_PG_URL is not set (scripts/test.sh starts the server)"
fi
echo ok
