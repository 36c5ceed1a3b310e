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
# --mode sets the archive's permissions exactly (umask does not widen or narrow them), and the
# archive is the same.
(umask 077 && "$dbdump" -q --mode 0640 "$src" -o "$work/mode.dbd")
[ "$(stat -c %a "$work/mode.dbd")" = 640 ] || fail "--mode 0640 gave $(stat -c %a "$work/mode.dbd")"
"$dbrestore" --check -i "$work/mode.dbd" >/dev/null || fail "--mode archive does not check"
for bad in 9x 0 '' 17777; do
    rc=0
    "$dbdump" -q --mode "$bad" "$src" -o "$work/bad.dbd" 2>"$work/mode.err" || rc=$?
    [ "$rc" = 2 ] || fail "--mode '$bad': exit $rc, want 2"
    grep -q "bad --mode" "$work/mode.err" || fail "--mode '$bad': $(cat "$work/mode.err")"
    [ ! -e "$work/bad.dbd" ] || fail "--mode '$bad' left a file"
done

# --check summary names the tables and rows.
out=$("$dbrestore" --check -i "$work/chinook.dbd")
echo "$out" | grep -q "11 tables, 15607 rows" || fail "--check said: $out"

[ "$(sum_of "$src")" = "$before" ] || fail "source modified"
echo "ok"
