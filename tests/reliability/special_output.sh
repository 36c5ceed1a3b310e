#!/usr/bin/env bash
# special_output.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# `dbdump -o` onto something that is not a regular file: the atomic temp-file-and-rename is
# for regular files only. Onto a character device (a null device made here with mknod, like
# /dev/null) the node must stay a device; onto a named pipe (FIFO) the node must stay a FIFO
# and the reader at its other end must get the whole archive (dbrestore --check -i FIFO
# passes). Replacing the node by a 0600 regular file is the failure this catches: done to
# /dev/null it breaks the whole machine. Needs root (mknod).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
reader=""
trap '[ -n "$reader" ] && kill "$reader" 2>/dev/null || true' EXIT
sqlite3 -bail "$WORK/src.db" "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)
      INSERT INTO t SELECT i, 'row ' || i FROM c;"

# a character device
mknod -m 666 "$WORK/nulldev" c 1 3 || fail "mknod (run as root)"
st=0
timeout 60 "$DBDUMP" -q "$WORK/src.db" -o "$WORK/nulldev" 2>"$WORK/err" || st=$?
[ "$st" = 0 ] || defect "dbdump -o onto a character device: exit $st: $(cat "$WORK/err")"
[ -c "$WORK/nulldev" ] ||
    defect "dbdump -o replaced a character device by: $(stat -c '%F, mode %a' "$WORK/nulldev")"
[ -z "$(find "$WORK" -name 'nulldev.tmp.*')" ] || defect "temporary file left beside the device"

# a FIFO with a reader
mkfifo "$WORK/fifo"
timeout 60 "$DBRESTORE" --check -i "$WORK/fifo" >"$WORK/check.out" 2>"$WORK/check.err" &
reader=$!
# hold the FIFO open for writing too, so the reader sees an end of file when this script
# lets go of it, even if dbdump never writes to the FIFO
exec 7<>"$WORK/fifo"
# and wait until the reader has opened it: a reader that starts late (a loaded machine)
# would find the FIFO closed by everyone after a small archive fit in its buffer, and wait
# for a writer forever
opened=""
for _ in $(seq 1200); do
    opened=$(find /proc/[0-9]*/fd -lname "$WORK/fifo" 2>/dev/null | grep -v "^/proc/$$/" || true)
    [ -n "$opened" ] && break
    kill -0 "$reader" 2>/dev/null || break
    sleep 0.05
done
[ -n "$opened" ] || fail "the reader (dbrestore --check -i FIFO) never opened the FIFO"
st=0
timeout 60 "$DBDUMP" -q "$WORK/src.db" -o "$WORK/fifo" 2>"$WORK/err" || st=$?
[ "$st" = 0 ] || defect "dbdump -o onto a FIFO: exit $st: $(cat "$WORK/err")"
[ -p "$WORK/fifo" ] ||
    defect "dbdump -o replaced a FIFO by: $(stat -c '%F, mode %a' "$WORK/fifo")"
exec 7>&-
st=0
wait "$reader" || st=$?
reader=""
[ "$st" = 0 ] && grep -q "archive OK: .* 1 tables, 20000 rows" "$WORK/check.out" ||
    defect "the FIFO reader did not get the whole archive: exit $st: $(cat "$WORK/check.err")"
finish
