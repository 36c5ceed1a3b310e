#!/usr/bin/env bash
# Chinook (the corpus' SQLite file) dumped and restored: .dump identical, values identical,
# integrity_check ok; through -o/-i files and through a pipe; the source is not modified.
set -euo pipefail
dbdump=$1 dbrestore=$2 corpus=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
src=$corpus/chinook/Chinook_Sqlite.sqlite
[ -f "$src" ] || fail "corpus file $src missing"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
before=$(sum_of "$src")

"$dbdump" -q "sqlite://$src" -o "$work/chinook.dbd"
[ -s "$work/chinook.dbd" ] || fail "no archive written"
ls "$work" | grep -q tmp && fail "temporary file left behind"
"$dbrestore" -q -i "$work/chinook.dbd" "$work/restored.db"
same_db "$src" "$work/restored.db"

# Row counts as documented in the corpus README.
counts=$(sqlite3 "$work/restored.db" "SELECT (SELECT count(*) FROM Album), (SELECT count(*) FROM
    Artist), (SELECT count(*) FROM Track), (SELECT count(*) FROM InvoiceLine)")
[ "$counts" = "347|275|3503|2240" ] || fail "row counts $counts"

# Pipe, and the other URL forms.
(cd "$work" && "$dbdump" -q "$src" | "$dbrestore" -q sqlite:piped.db)
same_db "$src" "$work/piped.db"
"$dbdump" -q "sqlite:///$src" | "$dbrestore" -q "$work/bare.db"
same_db "$src" "$work/bare.db"

# File modes: archives 0600 (they hold data), new databases 0666 minus the umask.
[ "$(stat -c %a "$work/chinook.dbd")" = 600 ] || fail "archive mode $(stat -c %a "$work/chinook.dbd")"
(umask 027 && "$dbrestore" -q -i "$work/chinook.dbd" "$work/mode.db")
[ "$(stat -c %a "$work/mode.db")" = 640 ] || fail "new database mode $(stat -c %a "$work/mode.db")"

# --check summary names the tables and rows.
out=$("$dbrestore" --check -i "$work/chinook.dbd")
echo "$out" | grep -q "11 tables, 15607 rows" || fail "--check said: $out"

[ "$(sum_of "$src")" = "$before" ] || fail "source modified"
echo "ok"
