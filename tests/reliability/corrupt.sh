#!/usr/bin/env bash
# corrupt.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# Damaged archives are detected and nothing is committed. 64 seeded cases over a
# multi-table SQLite archive: single bytes XORed with a random non-zero value and bursts of
# 2..64 bytes overwritten with random bytes or zeros, at random offsets plus one in each
# region (preamble, every frame's header, middle and checksum, the trailer chunk, the index
# frame, the footer). Each case: dbrestore --check exits 4 (corrupt) or 5 (truncated: a
# damaged frame header may claim more bytes than there are) with one line naming the
# problem; a restore into a new SQLite file creates nothing; dbrestore --clean into an existing
# SQLite file leaves it unchanged. Then a few of the same cases into PostgreSQL and MySQL
# (--clean into an existing database: unchanged).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
trap cleanup_dbs EXIT
need_pg
need_mysql

# damage SRC DST OFF LEN MODE: copy SRC to DST with LEN bytes at OFF changed; MODE xor (one
# byte XORed with a random non-zero value), rand (random bytes) or zero. Fails if DST
# equals SRC (the change must change something).
damage() {
    local src=$1 dst=$2 off=$3 len=$4 mode=$5 bytes="" i orig
    cp "$src" "$dst"
    case $mode in
    xor)
        orig=$(od -An -tu1 -j "$off" -N1 "$src" | tr -d ' ')
        bytes=$(printf '\\%03o' $(( orig ^ (1 + RANDOM % 255) )))
        ;;
    rand) for ((i = 0; i < len; i++)); do bytes="$bytes$(printf '\\%03o' $((RANDOM % 256)))"; done ;;
    zero) for ((i = 0; i < len; i++)); do bytes="$bytes\\000"; done ;;
    esac
    # shellcheck disable=SC2059
    printf "$bytes" | dd of="$dst" bs=1 seek="$off" conv=notrunc status=none
    ! cmp -s "$src" "$dst"
}

# detected: the last command's exit ($1) is 4 or 5 with a one-line message
detected() {
    local rc=$1 what=$2
    [ "$rc" = 4 ] || [ "$rc" = 5 ] || { cat "$WORK/err" >&2; fail "$what: exit $rc, want 4 or 5"; }
    one_line "$WORK/err" "$what"
    grep -Eqi "corrupt|truncat|checksum|not an archive|version" "$WORK/err" ||
        fail "$what: the message does not say what is wrong: $(cat "$WORK/err")"
}

run() { # run CMD...: exit status in $rc, stdout/stderr in $WORK/out, $WORK/err
    rc=0
    "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
}

# ------------------------------------------------------------------- SQLite
sq=$WORK/src.db
sqlite3 -bail "$sq" "
    CREATE TABLE t_a (id INTEGER PRIMARY KEY, name TEXT NOT NULL, h TEXT);
    CREATE TABLE t_b (id INTEGER PRIMARY KEY, b BLOB);
    CREATE TABLE t_c (k TEXT PRIMARY KEY, v REAL) WITHOUT ROWID;
    CREATE TABLE t_d (id INTEGER PRIMARY KEY, note TEXT);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)
      INSERT INTO t_a SELECT i, 'name ' || i, hex(randomblob(200)) FROM c;
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000)
      INSERT INTO t_b SELECT i, randomblob(800) FROM c;
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10)
      INSERT INTO t_c SELECT 'k' || i, i / 3.0 FROM c;
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)
      INSERT INTO t_d SELECT i, 'note ' || i FROM c;
    CREATE INDEX t_d_note ON t_d (note);
    CREATE VIEW v_a AS SELECT id, name FROM t_a WHERE id < 100;"
"$DBDUMP" -q "$sq" -o "$WORK/sq.dbd"
"$HELPERS/dbt_frames" "$WORK/sq.dbd" >"$WORK/frames"
size=$(stat -c %s "$WORK/sq.dbd")
[ "$(grep -vc footer "$WORK/frames")" -ge 4 ] || fail "want an archive of several chunks"
"$DBRESTORE" -q -i "$WORK/sq.dbd" "$WORK/existing.db"
sqlite3 -bail "$WORK/existing.db" "DELETE FROM t_a WHERE id > 1500; CREATE TABLE mine (x);
    INSERT INTO mine VALUES ('keep me');"
sq_fp "$WORK/existing.db" >"$WORK/existing.fp"
existing_sum=$(sha256sum <"$WORK/existing.db")

# The cases: "OFF LEN MODE" lines. One in each region, then random ones (seeded).
RANDOM=8675309
{
    echo "3 1 xor"      # magic
    echo "8 1 xor"      # major version
    echo "10 2 rand"    # flags
    while read -r a b c _; do
        [ "$a" = footer ] && { echo "$((c - 3)) 1 xor"; echo "$((b + 2)) 4 rand"; continue; }
        echo "$((a + 4)) 1 xor"                 # frame header (descriptor, content size)
        echo "$(( (a + b) / 2 )) 1 xor"         # compressed data
        echo "$(( (a + b) / 2 )) 16 zero"       # a burst of zeros in the data
        echo "$((b - 2)) 1 xor"                 # content checksum
    done <"$WORK/frames"
    for _ in $(seq 20); do echo "$(( (RANDOM * 32768 + RANDOM) % size )) 1 xor"; done
    for _ in $(seq 12); do
        len=$((2 + RANDOM % 63))
        echo "$(( (RANDOM * 32768 + RANDOM) % (size - len) )) $len rand"
    done
} >"$WORK/cases"
n=0
while read -r off len mode; do
    what="$mode of $len byte(s) at $off of $size"
    damage "$WORK/sq.dbd" "$WORK/bad.dbd" "$off" "$len" "$mode" || fail "$what changed nothing"
    cp "$WORK/bad.dbd" "$WORK/case-$n.dbd"
    run "$DBRESTORE" --check -i "$WORK/bad.dbd"
    detected "$rc" "--check, $what"
    run "$DBRESTORE" -q -i "$WORK/bad.dbd" "$WORK/new.db"
    detected "$rc" "restore into a new file, $what"
    [ ! -e "$WORK/new.db" ] || fail "new.db created from an archive with $what"
    run "$DBRESTORE" -q --clean -i "$WORK/bad.dbd" "$WORK/existing.db"
    detected "$rc" "restore --clean into an existing file, $what"
    [ "$(sha256sum <"$WORK/existing.db")" = "$existing_sum" ] ||
        sq_fp "$WORK/existing.db" | cmp -s - "$WORK/existing.fp" ||
        fail "existing SQLite target changed by an archive with $what"
    rm -f "$WORK/case-$n.dbd"
    n=$((n + 1))
done <"$WORK/cases"
ls "$WORK" | grep -q '\.tmp\.' && fail "temporary file left behind"
[ "$n" -ge 50 ] || fail "only $n cases"
note "SQLite: $n damaged archives detected, nothing committed"

# ------------------------------------------------- PostgreSQL and MySQL (a few cases)
P=dbt_rel_corrupt_$$
pg_newdb "${P}_src"
pg_db "${P}_src" -c "
    CREATE TABLE t_a (id int PRIMARY KEY, h text);
    CREATE TABLE t_b (id int PRIMARY KEY, b bytea);
    INSERT INTO t_a SELECT i, repeat(md5(i::text), 12) FROM generate_series(1, 3000) i;
    INSERT INTO t_b SELECT i, decode(repeat(md5(i::text), 50), 'hex') FROM generate_series(1, 1500) i;
    CREATE INDEX t_a_h ON t_a (h);"
"$DBDUMP" -q "$(pg_url "${P}_src")" -o "$WORK/pg.dbd"
my_newdb "${P}_src"
my "${P}_src" -e "
    CREATE TABLE t_a (id INT PRIMARY KEY, h TEXT) ENGINE=InnoDB;
    CREATE TABLE t_b (id INT PRIMARY KEY, b BLOB) ENGINE=InnoDB;
    INSERT INTO t_a VALUES (1, REPEAT('x', 300)), (2, REPEAT('y', 300));
    INSERT INTO t_a SELECT id + 2, h FROM t_a; INSERT INTO t_a SELECT id + 4, h FROM t_a;
    INSERT INTO t_a SELECT id + 8, h FROM t_a; INSERT INTO t_a SELECT id + 16, h FROM t_a;
    INSERT INTO t_b SELECT id, UNHEX(REPEAT(MD5(id), 50)) FROM t_a;
    CREATE INDEX t_a_h ON t_a (h(20));"
"$DBDUMP" -q "$(my_url "${P}_src")" -o "$WORK/my.dbd"
for engine in pg my; do
    a=$WORK/$engine.dbd
    "$HELPERS/dbt_frames" "$a" >"$WORK/$engine.frames"
    if [ $engine = pg ]; then
        pg_newdb "${P}_existing"
        target=$(pg_url "${P}_existing")
    else
        my_newdb "${P}_existing"
        target=$(my_url "${P}_existing")
    fi
    "$DBRESTORE" -q -i "$a" "$target"
    fp() { if [ $engine = pg ]; then pg_fp "${P}_existing"; else my_fp "${P}_existing"; fi; }
    if [ $engine = pg ]; then
        pg_db "${P}_existing" -c "DELETE FROM t_a WHERE id > 100; CREATE TABLE mine (x int)"
    else
        my "${P}_existing" -e "DELETE FROM t_a WHERE id > 10; CREATE TABLE mine (x int)"
    fi
    fp >"$WORK/$engine.fp"
    # the middle of the first data frame, the last data chunk's checksum, the trailer, the
    # index frame (after the trailer: a restore must not have committed yet), the footer
    read -r f1s f1e _ <"$WORK/$engine.frames"
    mapfile -t last3 < <(tail -n 3 "$WORK/$engine.frames")
    read -r _ dle _ <<<"$(tail -n 4 "$WORK/$engine.frames" | head -n 1)"
    read -r trs _ _ <<<"${last3[0]}"
    read -r ixs ixe _ <<<"${last3[1]}"
    read -r _ fts _ <<<"${last3[2]}"
    for c in "$(( (f1s + f1e) / 2 )) 8 rand" "$((dle - 2)) 1 xor" "$((trs + 6)) 1 xor" \
             "$(( (ixs + ixe) / 2 )) 1 xor" "$((fts + 12)) 1 xor"; do
        read -r off len mode <<<"$c"
        what="$engine: $mode of $len byte(s) at $off"
        damage "$a" "$WORK/bad.dbd" "$off" "$len" "$mode" || fail "$what changed nothing"
        run "$DBRESTORE" -q --clean -i "$WORK/bad.dbd" "$target"
        detected "$rc" "$what"
        fp | cmp -s - "$WORK/$engine.fp" || {
            fp | diff "$WORK/$engine.fp" - | head -20 >&2
            fail "existing target changed by an archive with $what"
        }
        n=$((n + 1))
    done
done
note "$n damaged archives in all"
finish
