#!/usr/bin/env bash
# threads.sh: `dbdump --threads N` writes the same archive bytes for any N (README), also
# --threads 0 (compression in the reading thread, the default on one CPU), on the sample
# database; --threads outside 0..64 is a usage error (exit 2).
set -euo pipefail
dbdump=$1 dbrestore=$2 sample=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
created() { "$dbrestore" --check -i "$1" | sed 's/.*created \([^;]*\);.*/\1/'; }
# The header holds the creation time: SOURCE_DATE_EPOCH fixes it (a slow machine may put
# the dumps in different seconds)
for n in 0 1 2 4; do
    SOURCE_DATE_EPOCH=1767225600 "$dbdump" -q --threads "$n" -Z 3 "$sample" -o "$work/t$n.dbd"
done
[ "$(created "$work/t4.dbd")" = 2026-01-01T00:00:00Z ] || fail "SOURCE_DATE_EPOCH not used"
st=0
SOURCE_DATE_EPOCH=soon "$dbdump" -q "$sample" -o "$work/bad.dbd" 2>"$work/err" || st=$?
[ "$st" = 2 ] && grep -q "SOURCE_DATE_EPOCH='soon' is not a number" "$work/err" ||
    fail "a bad SOURCE_DATE_EPOCH: exit $st"
[ "$(stat -c %s "$work/t1.dbd")" -gt 100000 ] || fail "archive too small to use the threads"
for n in 0 2 4; do
    cmp "$work/t1.dbd" "$work/t$n.dbd" || fail "--threads $n and --threads 1 differ"
done
"$dbrestore" -q -i "$work/t4.dbd" "$work/r.db"
same_db "$sample" "$work/r.db"
for bad in 65 -1 x; do
    st=0
    "$dbdump" -q --threads "$bad" "$sample" -o "$work/bad.dbd" 2>"$work/err" || st=$?
    [ "$st" = 2 ] || fail "--threads $bad: exit $st, want 2"
    [ ! -e "$work/bad.dbd" ] || fail "--threads $bad left an archive"
done
echo ok
