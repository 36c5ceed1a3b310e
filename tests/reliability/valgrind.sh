#!/usr/bin/env bash
# valgrind.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# The SQLite round trip under valgrind (memcheck): dbdump of a small database holding every
# storage class and edge value (NULL, integers at the limits, -0.0, a denormal, text with a
# NUL byte and invalid UTF-8, blobs, an empty blob), several tables, an index, a view, a
# trigger, AUTOINCREMENT, user_version; dbrestore --check; dbrestore into a new file; a
# truncated archive (the error path). Every run: no invalid access, no definite leak
# (--error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite), and the copy is
# the source (.dump identical). Plain build only (valgrind cannot run ASan binaries).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
command -v valgrind >/dev/null || fail "valgrind not found (scripts/deps.sh installs it)"
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)

sqlite3 -bail "$WORK/src.db" "
    PRAGMA user_version = 42;
    CREATE TABLE kinds (id INTEGER PRIMARY KEY AUTOINCREMENT, i INTEGER, r REAL, t TEXT, b BLOB,
                        anything);
    INSERT INTO kinds (i, r, t, b, anything) VALUES
        (9223372036854775807, 1.5, 'plain', x'00ff', NULL),
        (-9223372036854775808, -0.0, 'nul' || char(0) || 'after', x'', 12),
        (0, 4.9406564584124654e-324, CAST(x'fffe41' AS TEXT), NULL, 'text'),
        (NULL, 1e308, 'ünïcödé 表', randomblob(3000), 2.5),
        (7, NULL, '', zeroblob(10), x'01');
    CREATE TABLE other (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
    INSERT INTO other VALUES ('a', 1), ('b', 'two'), ('c', NULL);
    CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);
    WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000)
      INSERT INTO big SELECT n, 'value ' || n FROM c;
    CREATE INDEX kinds_t ON kinds (t);
    CREATE VIEW v AS SELECT id, t FROM kinds;
    CREATE TRIGGER kinds_ins AFTER INSERT ON kinds BEGIN INSERT INTO other VALUES ('z', 1); END;"

# vg WANT CMD...: CMD under valgrind exits WANT (99: valgrind found an error)
vg() {
    local want=$1 st=0
    shift
    "${VG[@]}" "$@" >"$WORK/out" 2>"$WORK/err" || st=$?
    if [ "$st" = 99 ]; then
        cat "$WORK/err" >&2
        defect "valgrind found errors in: $*"
    elif [ "$st" != "$want" ]; then
        cat "$WORK/err" >&2
        defect "exit $st, want $want: $*"
    fi
}
vg 0 "$DBDUMP" -v "$WORK/src.db" -o "$WORK/a.dbd"
vg 0 "$DBRESTORE" -v --check -i "$WORK/a.dbd"
vg 0 "$DBRESTORE" -v -i "$WORK/a.dbd" "$WORK/copy.db"
sq_fp "$WORK/src.db" >"$WORK/src.fp"
sq_fp "$WORK/copy.db" | cmp -s - "$WORK/src.fp" || defect "the copy differs from the source"
# through a pipe, and the error paths
"${VG[@]}" "$DBDUMP" -q "$WORK/src.db" 2>"$WORK/err1" | "${VG[@]}" "$DBRESTORE" -q "$WORK/piped.db" \
    2>"$WORK/err2" || defect "dbdump | dbrestore under valgrind: $(cat "$WORK/err1" "$WORK/err2")"
head -c $(( $(stat -c %s "$WORK/a.dbd") / 2 )) "$WORK/a.dbd" >"$WORK/cut.dbd"
vg 5 "$DBRESTORE" -i "$WORK/cut.dbd" "$WORK/cut.db"
vg 5 "$DBRESTORE" --check -i "$WORK/cut.dbd"
vg 6 "$DBRESTORE" -i "$WORK/a.dbd" "$WORK/copy.db"
vg 0 "$DBRESTORE" -q --clean -i "$WORK/a.dbd" "$WORK/copy.db"
vg 3 "$DBDUMP" "$WORK/missing.db"
vg 2 "$DBDUMP" "nosuch://x"
finish
