#!/usr/bin/env bash
# roundtrip_app.sh DBDUMP DBRESTORE DB DATASET
# An application's SQLite file (DATASET: sample, the project's tests/data/sample_app.c, or
# chinook, the corpus' Chinook_Sqlite.sqlite) dumped and restored: .dump identical, values
# identical, integrity_check ok; through -o/-i files and through a pipe; the source is not
# modified.
set -euo pipefail
dbdump=$1 dbrestore=$2 src=$3 dataset=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ -f "$src" ] || fail "database $src missing"
# Row counts of four tables (the corpus README's for Chinook; for the sample, the counts its
# generator's constants give after the two users it deletes), and the --check totals.
case $dataset in
chinook)
    count_sql="SELECT (SELECT count(*) FROM Album), (SELECT count(*) FROM Artist),
               (SELECT count(*) FROM Track), (SELECT count(*) FROM InvoiceLine)"
    want_counts="347|275|3503|2240" want_check="11 tables, 15607 rows" ;;
sample)
    count_sql="SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts),
               (SELECT count(*) FROM comments), (SELECT count(*) FROM attachments)"
    want_counts="118|588|2351|96" want_check="8 tables, 4066 rows" ;;
*) fail "unknown dataset $dataset" ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
before=$(sum_of "$src")

"$dbdump" -q "sqlite://$src" -o "$work/app.dbd"
[ -s "$work/app.dbd" ] || fail "no archive written"
ls "$work" | grep -q tmp && fail "temporary file left behind"
"$dbrestore" -q -i "$work/app.dbd" "$work/restored.db"
same_db "$src" "$work/restored.db"

counts=$(sqlite3 "$work/restored.db" "$count_sql")
[ "$counts" = "$want_counts" ] || fail "row counts $counts, want $want_counts"

# Pipe, and the other URL forms.
(cd "$work" && "$dbdump" -q "$src" | "$dbrestore" -q sqlite:piped.db)
same_db "$src" "$work/piped.db"
"$dbdump" -q "sqlite:///$src" | "$dbrestore" -q "$work/bare.db"
same_db "$src" "$work/bare.db"

# File modes: archives 0600 (they hold data), new databases 0666 minus the umask.
[ "$(stat -c %a "$work/app.dbd")" = 600 ] || fail "archive mode $(stat -c %a "$work/app.dbd")"
(umask 027 && "$dbrestore" -q -i "$work/app.dbd" "$work/mode.db")
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
out=$("$dbrestore" --check -i "$work/app.dbd")
echo "$out" | grep -q "$want_check" || fail "--check said: $out, want $want_check"

[ "$(sum_of "$src")" = "$before" ] || fail "source modified"
echo "ok"
