#!/usr/bin/env bash
# Dumping twice with no change in between gives the same messages: every message, decoded
# (values in hex), is identical except the header's creation time.
set -euo pipefail
dbdump=$1 dbrestore=$2 corpus=$3 msgdump=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/make_testdb.sh" "$work/src.db"
for db in "$work/src.db" "$corpus/chinook/Chinook_Sqlite.sqlite"; do
    "$dbdump" -q "$db" -o "$work/1.dbd"
    sleep 1.1
    "$dbdump" -q "$db" -o "$work/2.dbd"
    c1=$("$dbrestore" --check -i "$work/1.dbd" | sed 's/.*created \([^;]*\);.*/\1/')
    c2=$("$dbrestore" --check -i "$work/2.dbd" | sed 's/.*created \([^;]*\);.*/\1/')
    [ "$c1" != "$c2" ] || fail "creation times should differ ($c1)"
    "$msgdump" "$work/1.dbd" >"$work/1.txt"
    "$msgdump" "$work/2.dbd" >"$work/2.txt"
    [ "$(grep -c '^ROW ' "$work/1.txt")" -gt 10 ] || fail "too few rows listed"
    cmp "$work/1.txt" "$work/2.txt" || fail "two dumps of $db differ"
    # Raw bytes: the decompressed message streams (all frames) differ only in the creation
    # time and in the trailer's 8-byte checksum (it covers the header too) and its copy in
    # the index frame at the very end.
    tail -c +13 "$work/1.dbd" | head -c -16 | zstd -qdc | sed "s/$c1/$c2/" >"$work/1.raw"
    tail -c +13 "$work/2.dbd" | head -c -16 | zstd -qdc >"$work/2.raw"
    size=$(wc -c <"$work/2.raw")
    [ "$(wc -c <"$work/1.raw")" = "$size" ] || fail "decompressed sizes differ"
    ndiff=$(cmp -l "$work/1.raw" "$work/2.raw" | wc -l || true)
    [ "$ndiff" -le 16 ] || fail "$ndiff bytes differ between the two dumps"
    first=$(cmp -l "$work/1.raw" "$work/2.raw" | head -1 | awk '{print $1}' || true)
    [ -z "$first" ] || [ "$first" -gt $((size - 400)) ] ||
        fail "a byte differs at offset $first of $size (not in the trailer)"
done
echo "ok"
