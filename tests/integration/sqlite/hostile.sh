#!/usr/bin/env bash
# Hostile native SQL in an archive: a second statement, a non-CREATE statement, a CREATE of
# another object, a trigger with a statement after it: refused (exit 4), target unchanged.
# Names with quotes, semicolons and newlines restore as literal names and run nothing.
set -euo pipefail
dbdump=$1 dbrestore=$2 sample=$3 msgdump=$4 hostile=$5
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sqlite3 "$work/target.db" "CREATE TABLE keep(x); INSERT INTO keep VALUES (1);"
sqlite3 "$work/target.db" .dump >"$work/target.sql"
for c in two drop other trigger; do
    "$hostile" "$c" "$work/$c.dbd"
    st=0
    "$dbrestore" --force -i "$work/$c.dbd" "$work/target.db" 2>"$work/err" || st=$?
    [ "$st" = 4 ] || fail "case $c: exit $st, want 4: $(cat "$work/err")"
    sqlite3 "$work/target.db" .dump | cmp -s - "$work/target.sql" || fail "case $c changed it"
    st=0
    "$dbrestore" -i "$work/$c.dbd" "$work/new-$c.db" 2>"$work/err" || st=$?
    [ "$st" = 4 ] || fail "case $c (new file): exit $st, want 4: $(cat "$work/err")"
    [ ! -e "$work/new-$c.db" ] || fail "case $c: new file created"
done
"$hostile" names "$work/names.dbd"
"$dbrestore" -q --force -i "$work/names.dbd" "$work/target.db"
[ "$(sqlite3 "$work/target.db" 'SELECT count(*) FROM keep')" = 1 ] || fail "keep dropped"
got=$(sqlite3 "$work/target.db" "SELECT name FROM sqlite_master WHERE name LIKE 'x%'")
[ "$got" = $'x"; DROP TABLE keep; --\nnext' ] || fail "table name: $got"
[ "$(sqlite3 "$work/target.db" "SELECT * FROM \"x\"\"; DROP TABLE keep; --
next\"")" = "it's; DROP TABLE keep; --" ] || fail "value"
# and the same names survive a dump and restore
"$dbdump" -q "$work/target.db" | "$dbrestore" -q "$work/copy.db"
same_db "$work/target.db" "$work/copy.db"
echo ok
