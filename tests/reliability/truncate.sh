#!/usr/bin/env bash
# truncate.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# An archive cut short anywhere is refused with exit 5 ("truncated archive"), the message
# names the last complete table (the last table whose DATA_END is in a chunk that arrived
# whole, worked out by dbt_frames from the bytes with libzstd + msgpack-c only), and the
# target is exactly as it was (fingerprints with each engine's own client before/after).
#  - 45 seeded random offsets plus fixed edge offsets over a multi-table SQLite archive
#    (several chunks): dbrestore --check, dbrestore into a new file (never created) and, for
#    every other offset, dbrestore --clean into an existing SQLite file (unchanged).
#  - PostgreSQL and MySQL archives of the same shape, 8 representative offsets each (schema,
#    mid-data, exactly between tables, post-data, just before the trailer, in the footer):
#    --clean into an existing database (unchanged), plain into an empty one (still empty),
#    and for MySQL (alternating with the empty one) into a database dbrestore creates (gone
#    again).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
trap cleanup_dbs EXIT
need_pg
need_mysql
FRAMES=$HELPERS/dbt_frames

# expected_done ARCHIVE OFFSET: the last complete table of ARCHIVE cut at OFFSET
expected_done() {
    awk -v off="$2" '$1 != "footer" && $2 <= off { d = $3 } END { print (d == "" ? "none" : d) }' \
        "$1.frames"
}

# check_cut ARCHIVE OFFSET: the cut archive in $WORK/cut.dbd; --check gives 5 and names
# the last complete table.
check_cut() {
    local a=$1 off=$2 want
    head -c "$off" "$a" >"$WORK/cut.dbd"
    expect 5 "$DBRESTORE" --check -i "$WORK/cut.dbd"
    want=$(expected_done "$a" "$off")
    grep -q "truncated archive" "$WORK/err" || fail "cut at $off: message: $(cat "$WORK/err")"
    grep -qF "last complete table: $want" "$WORK/err" ||
        fail "cut at $off: expected 'last complete table: $want': $(cat "$WORK/err")"
    one_line "$WORK/err" "cut at $off"
}

# restore_cut OFFSET TARGET [OPTIONS]: restore $WORK/cut.dbd: exit 5, same last table.
restore_cut() {
    local a=$1 off=$2 target=$3
    shift 3
    expect 5 "$DBRESTORE" -q "$@" -i "$WORK/cut.dbd" "$target"
    grep -qF "last complete table: $(expected_done "$a" "$off")" "$WORK/err" ||
        fail "restore of a cut at $off into $target: message: $(cat "$WORK/err")"
}

# representative ARCHIVE: 8 offsets: inside the first frame (schema), in the middle of the
# first data frame, exactly at the end of the first frame that completes a table (between
# tables), in the middle of the last data frame, 20 bytes before the end of the frame that
# holds post-data objects, exactly before the trailer chunk, inside the trailer chunk,
# inside the footer.
representative() {
    awk '
        $1 == "footer" { foot = $2; next }
        { n++; s[n] = $1; e[n] = $2; d[n] = $3; k[n] = $4 }
        END {
            print 40
            for (i = 1; i < n - 1; i++) if (k[i] ~ /R/) { print int((s[i] + e[i]) / 2); break }
            for (i = 1; i < n - 1; i++) if (d[i] != "none") { print e[i]; break }
            for (i = n - 2; i >= 1; i--) if (k[i] ~ /R/) { print int((s[i] + e[i]) / 2); break }
            for (i = 1; i < n - 1; i++) if (k[i] ~ /P/) { print e[i] - 20; break }
            print s[n - 1]
            print s[n - 1] + 10
            print foot + 8
        }' "$1.frames"
}

# ------------------------------------------------------------------- SQLite
sq=$WORK/src.db
sqlite3 -bail "$sq" "
    CREATE TABLE t_a (id INTEGER PRIMARY KEY, name TEXT NOT NULL, h TEXT);
    CREATE TABLE t_b (id INTEGER PRIMARY KEY, b BLOB);
    CREATE TABLE t_c (k TEXT PRIMARY KEY, v REAL) WITHOUT ROWID;
    CREATE TABLE t_d (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES t_a(id), note TEXT);
    CREATE TABLE t_e (x, y);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
      INSERT INTO t_a SELECT i, 'name ' || i, hex(randomblob(200)) FROM c;
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1500)
      INSERT INTO t_b SELECT i, randomblob(800) FROM c;
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10)
      INSERT INTO t_c SELECT 'k' || i, i / 3.0 FROM c;
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
      INSERT INTO t_d SELECT i, 1 + i % 3000, hex(randomblob(200)) FROM c;
    CREATE INDEX t_d_a ON t_d (a_id);
    CREATE VIEW v_a AS SELECT id, name FROM t_a WHERE id < 100;
    CREATE TRIGGER t_e_ins AFTER INSERT ON t_e BEGIN UPDATE t_c SET v = v + 1; END;"
"$DBDUMP" -q "$sq" -o "$WORK/sq.dbd"
"$FRAMES" "$WORK/sq.dbd" >"$WORK/sq.dbd.frames"
nframes=$(grep -vc footer "$WORK/sq.dbd.frames")
[ "$nframes" -ge 5 ] || fail "the SQLite archive has $nframes frames, want several chunks"
size=$(stat -c %s "$WORK/sq.dbd")

# An existing target: the archive restored, then changed (as an upgrade would), plus a table
# the archive does not have.
"$DBRESTORE" -q -i "$WORK/sq.dbd" "$WORK/existing.db"
sqlite3 -bail "$WORK/existing.db" "DELETE FROM t_a WHERE id > 2900; UPDATE t_c SET v = 0;
    CREATE TABLE mine (x); INSERT INTO mine VALUES ('keep me'); PRAGMA user_version = 7;"
sq_fp "$WORK/existing.db" >"$WORK/existing.fp"
existing_sum=$(sha256sum <"$WORK/existing.db")

RANDOM=20261123
offsets="0 1 8 11 12 13 $((size - 16)) $((size - 8)) $((size - 1)) $(representative "$WORK/sq.dbd")"
for _ in $(seq 45); do offsets="$offsets $(( (RANDOM * 32768 + RANDOM) % size ))"; done
n=0
names=""
for off in $offsets; do
    check_cut "$WORK/sq.dbd" "$off"
    names="$names $(expected_done "$WORK/sq.dbd" "$off")"
    # into a new file (never created) and, for every other cut, --clean into the existing one
    restore_cut "$WORK/sq.dbd" "$off" "$WORK/new.db"
    [ ! -e "$WORK/new.db" ] || fail "new.db created from an archive cut at $off"
    if [ $((n % 2)) = 0 ]; then
        restore_cut "$WORK/sq.dbd" "$off" "$WORK/existing.db" --clean
        # the same bytes, or else the same .dump (a rollback may leave other free pages)
        [ "$(sha256sum <"$WORK/existing.db")" = "$existing_sum" ] ||
            sq_fp "$WORK/existing.db" | cmp -s - "$WORK/existing.fp" ||
            fail "existing SQLite target changed by an archive cut at $off"
    fi
    n=$((n + 1))
done
ls "$WORK" | grep -q '\.tmp\.' && fail "temporary file left behind"
distinct=$(echo "$names" | tr ' ' '\n' | sort -u | grep -c .)
[ "$distinct" -ge 4 ] || fail "the cuts saw only $distinct different last tables"
note "SQLite: $n cuts of a $size-byte archive ($nframes frames), $distinct distinct last tables, ${SECONDS}s"
SECONDS=0

# --------------------------------------------------------------- PostgreSQL
P=dbt_rel_trunc_$$
pg_newdb "${P}_src"
pg_db "${P}_src" -c "
    CREATE TABLE t_a (id int PRIMARY KEY, name text NOT NULL, h text);
    CREATE TABLE t_b (id int PRIMARY KEY, b bytea);
    CREATE TABLE t_c (k text PRIMARY KEY, v double precision);
    CREATE TABLE t_d (id int PRIMARY KEY, a_id int REFERENCES t_a(id), note text);
    CREATE TABLE t_e (x int, y text);
    INSERT INTO t_a SELECT i, 'name ' || i, repeat(md5(i::text), 12) FROM generate_series(1, 3000) i;
    INSERT INTO t_b SELECT i, decode(repeat(md5(i::text), 50), 'hex') FROM generate_series(1, 1500) i;
    INSERT INTO t_c SELECT 'k' || i, i / 3.0 FROM generate_series(1, 10) i;
    INSERT INTO t_d SELECT i, 1 + i % 3000, repeat(md5((-i)::text), 12) FROM generate_series(1, 3000) i;
    CREATE INDEX t_d_a ON t_d (a_id);
    CREATE VIEW v_a AS SELECT id, name FROM t_a WHERE id < 100;"
"$DBDUMP" -q "$(pg_url "${P}_src")" -o "$WORK/pg.dbd"
"$FRAMES" "$WORK/pg.dbd" >"$WORK/pg.dbd.frames"
pg_newdb "${P}_existing"
"$DBRESTORE" -q -i "$WORK/pg.dbd" "$(pg_url "${P}_existing")"
pg_db "${P}_existing" -c "DELETE FROM t_d WHERE id > 2900; UPDATE t_c SET v = 0;
    CREATE TABLE mine (x text); INSERT INTO mine VALUES ('keep me');"
pg_fp "${P}_existing" >"$WORK/pg_existing.fp"
pg_newdb "${P}_empty"
pg_fp "${P}_empty" >"$WORK/pg_empty.fp"
n=0
for off in $(representative "$WORK/pg.dbd"); do
    check_cut "$WORK/pg.dbd" "$off"
    restore_cut "$WORK/pg.dbd" "$off" "$(pg_url "${P}_existing")" --clean
    pg_fp "${P}_existing" | cmp -s - "$WORK/pg_existing.fp" ||
        fail "existing PostgreSQL target changed by an archive cut at $off"
    restore_cut "$WORK/pg.dbd" "$off" "$(pg_url "${P}_empty")"
    pg_fp "${P}_empty" | cmp -s - "$WORK/pg_empty.fp" ||
        fail "empty PostgreSQL target changed by an archive cut at $off"
    n=$((n + 1))
done
note "PostgreSQL: $n cuts, ${SECONDS}s"
SECONDS=0

# -------------------------------------------------------------------- MySQL
my_newdb "${P}_src"
my "${P}_src" -e "
    CREATE TABLE d (i INT);
    INSERT INTO d VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
    CREATE TABLE n (i INT PRIMARY KEY);
    INSERT INTO n SELECT 1 + a.i + 10 * b.i + 100 * c.i + 1000 * e.i
        FROM d a, d b, d c, d e;
    CREATE TABLE t_a (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, h TEXT) ENGINE=InnoDB;
    CREATE TABLE t_b (id INT PRIMARY KEY, b BLOB) ENGINE=InnoDB;
    CREATE TABLE t_c (k VARCHAR(10) PRIMARY KEY, v DOUBLE) ENGINE=InnoDB;
    CREATE TABLE t_d (id INT PRIMARY KEY, a_id INT, note VARCHAR(400),
        FOREIGN KEY (a_id) REFERENCES t_a (id)) ENGINE=InnoDB;
    CREATE TABLE t_e (x INT, y TEXT) ENGINE=InnoDB;
    INSERT INTO t_a SELECT i, CONCAT('name ', i), REPEAT(MD5(i), 12) FROM n WHERE i <= 3000;
    INSERT INTO t_b SELECT i, UNHEX(REPEAT(MD5(i), 50)) FROM n WHERE i <= 1500;
    INSERT INTO t_c SELECT CONCAT('k', i), i / 3 FROM n WHERE i <= 10;
    INSERT INTO t_d SELECT i, 1 + i % 3000, REPEAT(MD5(-i), 12) FROM n WHERE i <= 3000;
    DROP TABLE d, n;
    CREATE INDEX t_d_note ON t_d (note);
    CREATE VIEW v_a AS SELECT id, name FROM t_a WHERE id < 100;"
"$DBDUMP" -q "$(my_url "${P}_src")" -o "$WORK/my.dbd"
"$FRAMES" "$WORK/my.dbd" >"$WORK/my.dbd.frames"
my_newdb "${P}_existing"
"$DBRESTORE" -q -i "$WORK/my.dbd" "$(my_url "${P}_existing")"
my "${P}_existing" -e "DELETE FROM t_d WHERE id > 2900; UPDATE t_c SET v = 0;
    CREATE TABLE mine (x TEXT); INSERT INTO mine VALUES ('keep me');"
my_fp "${P}_existing" >"$WORK/my_existing.fp"
my_newdb "${P}_empty"
my_fp "${P}_empty" >"$WORK/my_empty.fp"
my_forget "${P}_new"
n=0
for off in $(representative "$WORK/my.dbd"); do
    check_cut "$WORK/my.dbd" "$off"
    restore_cut "$WORK/my.dbd" "$off" "$(my_url "${P}_existing")" --clean
    my_fp "${P}_existing" | cmp -s - "$WORK/my_existing.fp" || {
        my_fp "${P}_existing" | diff "$WORK/my_existing.fp" - | head -20 >&2
        fail "existing MySQL target changed by an archive cut at $off"
    }
    # (MySQL DDL is slow: every other cut into an empty database, the others into a new one)
    if [ $((n % 2)) = 0 ]; then
        restore_cut "$WORK/my.dbd" "$off" "$(my_url "${P}_empty")"
        my_fp "${P}_empty" | cmp -s - "$WORK/my_empty.fp" ||
            fail "empty MySQL target changed by an archive cut at $off"
    else
        restore_cut "$WORK/my.dbd" "$off" "$(my_url "${P}_new")"
        [ "$(my_fp "${P}_new")" = "database ${P}_new does not exist" ] ||
            fail "database ${P}_new left behind by an archive cut at $off"
    fi
    n=$((n + 1))
done
note "MySQL: $n cuts, ${SECONDS}s"
finish
