#!/usr/bin/env bash
# Full disk: dbdump -o onto a 100 KiB tmpfs and a restore into a new SQLite file there both
# fail with exit 8 (I/O) and a clear message, and leave no file behind. Needs root (mount).
set -euo pipefail
dbdump=$1 dbrestore=$2 src=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
mnt=$work/small
mkdir "$mnt"
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mount -t tmpfs -o size=100k tmpfs "$mnt" || fail "cannot mount a small tmpfs (run as root)"

st=0
"$dbdump" "$src" -o "$mnt/c.dbd" 2>"$work/err" || st=$?
[ "$st" = 8 ] || fail "dbdump onto a full disk exited $st: $(cat "$work/err")"
grep -q "no space left" "$work/err" || fail "message: $(cat "$work/err")"
[ -z "$(ls -A "$mnt")" ] || fail "files left on the full disk: $(ls -A "$mnt")"

"$dbdump" -q "$src" -o "$work/c.dbd"
st=0
"$dbrestore" -i "$work/c.dbd" "$mnt/new.db" 2>"$work/err" || st=$?
[ "$st" = 8 ] || fail "restore onto a full disk exited $st: $(cat "$work/err")"
grep -q "full" "$work/err" || fail "message: $(cat "$work/err")"
[ -z "$(ls -A "$mnt")" ] || fail "files left on the full disk: $(ls -A "$mnt")"
echo ok
