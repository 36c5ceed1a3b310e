#!/usr/bin/env bash
# closed_output.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# The archive's consumer goes away, for each engine (SQLite, PostgreSQL, MySQL):
#  - `dbdump SOURCE | head -c 100000` (the reader leaves, as when ssh drops): dbdump exits 8
#    within 10 s with one line saying the pipe was closed (the full dump takes longer: the
#    source is a few tens of MB of archive);
#  - `dbdump SOURCE -o FILE` onto a full filesystem (a 100 KiB tmpfs): exit 8, "no space left",
#    nothing left on that filesystem;
#  - `dbdump SOURCE -o FILE` onto a filesystem that vanishes mid-dump (the tmpfs is lazily
#    unmounted while dbdump writes): non-zero exit, no file under the final name.
# Needs root (mount).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK/small"
bg=""
cleanup() {
    [ -n "$bg" ] && kill "$bg" 2>/dev/null || true
    umount "$WORK/small" 2>/dev/null || true
    umount -l "$WORK/small" 2>/dev/null || true
    cleanup_dbs
}
trap cleanup EXIT
need_pg
need_mysql

P=dbt_rel_out_$$
# Sources: ~600k rows each (an archive of 10-20 MB).
sqlite3 -bail "$WORK/src.db" "
    CREATE TABLE big (id INTEGER PRIMARY KEY, h TEXT, r REAL);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 600000)
      INSERT INTO big SELECT i, hex(randomblob(12)), i * 0.5 FROM c;"
pg_newdb "${P}_src"
pg_db "${P}_src" -c "CREATE TABLE big AS SELECT i::bigint AS id, md5(i::text) AS h,
    i * 0.5 AS r FROM generate_series(1, 600000) i"
my_newdb "${P}_src"
my "${P}_src" -e "
    CREATE TABLE d (i INT); INSERT INTO d VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
    CREATE TABLE big (id INT PRIMARY KEY, h CHAR(32), r DOUBLE) ENGINE=InnoDB;
    INSERT INTO big SELECT i, MD5(i), i * 0.5 FROM (SELECT 1 + a.i + 10 * b.i + 100 * c.i
        + 1000 * e.i + 10000 * f.i + 100000 * g.i AS i FROM d a, d b, d c, d e, d f, d g WHERE g.i < 6) s;
    DROP TABLE d;"
sources=("$WORK/src.db" "$(pg_url "${P}_src")" "$(my_url "${P}_src")")

mount -t tmpfs -o size=100k tmpfs "$WORK/small" || fail "cannot mount a small tmpfs (run as root)"
for src in "${sources[@]}"; do
    # 1. a closed pipe
    T0=$(now)
    set +o pipefail
    "$DBDUMP" "$src" 2>"$WORK/err" | head -c 100000 >/dev/null
    st=${PIPESTATUS[0]}
    ms=$(elapsed_ms)
    "$DBDUMP" -v "$src" 2>"$WORK/err_v" | head -c 100000 >/dev/null
    st_v=${PIPESTATUS[0]}
    set -o pipefail
    [ "$st" = 8 ] && [ "$st_v" = 8 ] ||
        { cat "$WORK/err" "$WORK/err_v" >&2; fail "$src into a closed pipe: exit $st / $st_v, want 8"; }
    # the reader failed first: its message stays the last line; dbdump speaks with -v only
    [ ! -s "$WORK/err" ] || fail "$src: closed pipe: dbdump spoke after the reader: $(cat "$WORK/err")"
    tail -n 1 "$WORK/err_v" | grep -qx "dbdump: write to standard output failed: the reading side closed the pipe" ||
        fail "closed-pipe message with -v: $(cat "$WORK/err_v")"
    # for comparison: the whole dump
    T0=$(now)
    "$DBDUMP" -q "$src" >/dev/null
    note "$src: closed pipe noticed after $ms ms (whole dump: $(elapsed_ms) ms)"

    # 2. a full filesystem
    expect 8 "$DBDUMP" "$src" -o "$WORK/small/a.dbd"
    one_line "$WORK/err" "full disk"
    grep -qi "no space left" "$WORK/err" || fail "full-disk message: $(cat "$WORK/err")"
    [ -z "$(ls -A "$WORK/small")" ] || fail "files left on the full disk: $(ls -A "$WORK/small")"
done
umount "$WORK/small"

# 3. a filesystem that vanishes mid-dump
for src in "${sources[@]}"; do
    mount -t tmpfs -o size=200m tmpfs "$WORK/small" || fail "cannot mount a tmpfs"
    "$DBDUMP" -q "$src" -o "$WORK/small/a.dbd" 2>"$WORK/err" &
    bg=$!
    seen=""
    for _ in $(seq 400); do
        seen=$(find "$WORK/small" -name 'a.dbd.tmp.*' -size +100k)
        [ -n "$seen" ] && break
        kill -0 "$bg" 2>/dev/null || break
        sleep 0.01
    done
    [ -n "$seen" ] || fail "$src: no growing temporary file seen"
    # a process whose working directory is the vanishing filesystem keeps it reachable
    # (/proc/PID/cwd) after the lazy unmount, to see what dbdump left in it
    (cd "$WORK/small" && exec sleep 600) &
    holder=$!
    for _ in $(seq 100); do
        [ "$(readlink "/proc/$holder/cwd")" = "$WORK/small" ] && break
        sleep 0.05
    done
    [ "$(readlink "/proc/$holder/cwd")" = "$WORK/small" ] || fail "no process holds the tmpfs"
    umount -l "$WORK/small"
    st=0
    wait "$bg" || st=$?
    bg=""
    left=$(ls -A "/proc/$holder/cwd/")
    kill "$holder" 2>/dev/null || true
    wait "$holder" 2>/dev/null || true
    [ -z "$left" ] || fail "$src: files left on the vanished filesystem: $left"
    [ -z "$(ls -A "$WORK/small")" ] || fail "$src: files in the directory under the mount"
    # the write or the rename fails: an I/O error, exit 8
    [ "$st" = 8 ] || fail "$src: dbdump exited $st (want 8) when its output filesystem vanished"
    one_line "$WORK/err" "vanished fs"
    note "$src: vanished filesystem: exit $st: $(cat "$WORK/err")"
done
finish
