#!/usr/bin/env bash
# Dumping twice with no change in between gives the same messages: every message, decoded
# (values in hex), is identical except the header's creation time.
set -euo pipefail
dbdump=$1 dbrestore=$2 sample=$3 msgdump=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/make_testdb.sh" "$work/src.db"
for db in "$work/src.db" "$sample"; do
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
    # Raw bytes: the footer's last 8 bytes give the offset of the index frame (little
    # endian); the chunks before it decompress to the message streams, which must differ
    # only in the creation time and in the trailer's 8-byte checksum (it covers the header).
    for i in 1 2; do
        off=$(tail -c 8 "$work/$i.dbd" | od -An -tu8 | tr -d ' ')
        [ "$off" -gt 12 ] && [ "$off" -lt "$(wc -c <"$work/$i.dbd")" ] || fail "footer offset $off"
        head -c "$off" "$work/$i.dbd" | tail -c +13 | zstd -qdc >"$work/$i.raw"
    done
    sed "s/$c1/$c2/" "$work/1.raw" >"$work/1n.raw"
    size=$(wc -c <"$work/2.raw")
    [ "$(wc -c <"$work/1n.raw")" = "$size" ] || fail "decompressed sizes differ"
    ndiff=$(cmp -l "$work/1n.raw" "$work/2.raw" | wc -l || true)
    [ "$ndiff" -le 8 ] || fail "$ndiff bytes differ between the two dumps"
    first=$(cmp -l "$work/1n.raw" "$work/2.raw" | head -1 | awk '{print $1}' || true)
    [ -z "$first" ] || [ "$first" -gt $((size - 64)) ] ||
        fail "a byte differs at offset $first of $size (not in the trailer)"
done
echo "ok"
