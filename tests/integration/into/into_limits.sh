#!/usr/bin/env bash
# into_limits.sh DBDUMP DBRESTORE SRCDIR WORK
# What a MySQL/MariaDB column would change silently, or refuse only when the load reaches the
# row, is found before anything is written, by --plan and the load alike (the plan's refusal
# is the load's): a character a latin1 column cannot store (an emoji), text longer than a
# TEXT column stores (70,000 bytes), bytes shorter than BINARY(4) (the server pads them with
# zero bytes; --lossy pads them here, counted, and --verify agrees). Windows-1252 characters
# that latin1 does store (é, €) load. Values read back with the mysql client.
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 SRCDIR=$3 WORK=$4
TEST_NAME=into_limits_mysql
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
need_mysql
DB=dbt_il_$$
python3 - "$WORK/src.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code BLOB, name TEXT, note TEXT)")
c.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", [
    (1, b"ab", "abc", "x"),                      # BINARY(4): padded by the server
    (2, b"abcd", "a\U0001F600", "y"),            # an emoji in a latin1 column
    (3, b"abcd", "abc", "z" * 70000),            # more than TEXT's 65,535 bytes
    (4, b"abcd", "\u00e9\u20acx", "ok")])        # é and € are in latin1 (Windows-1252)
c.commit()
PY
expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$WORK/src.db"
my_newdb "$DB"
URL=$(my_url "$DB")
myq "$DB" "CREATE TABLE t (id int PRIMARY KEY, code binary(4),
    name varchar(3) CHARACTER SET latin1, note text CHARACTER SET utf8mb4)"

pad='value x'"'"'6162'"'"' is 2 bytes: binary(4) pads it with zero bytes (--lossy: padded here, so --verify compares the padded value)'
emoji='value '"'"'a😀'"'"' holds the character U+1F600, which the column'"'"'s charset latin1 cannot store (MySQL would store '"'"'?'"'"')'
expect 7 "$DBRESTORE" --data-only --plan -i "$WORK/a.dbd" "$URL"
grep -qxF "rows: table \"t\": 4 rows read, 3 would be refused (first: key id=1: table \"t\" column \"code\" row 1: $pad)" "$WORK/out" ||
    fail "plan rows: $(cat "$WORK/out")"
plan_err=$(tail -n 1 "$WORK/err")
expect 7 "$DBRESTORE" --data-only -i "$WORK/a.dbd" "$URL"
[ "$(tail -n 1 "$WORK/err")" = "$plan_err; rolled back: the target is unchanged" ] ||
    fail "load and plan differ: load: $(cat "$WORK/err") plan: $plan_err"
[ "$(myq "$DB" "SELECT count(*) FROM t")" = 0 ] || fail "rows written"

# --lossy pads; the emoji and the long text are still refused, the plan says which first
expect 7 "$DBRESTORE" --data-only --plan --lossy -i "$WORK/a.dbd" "$URL"
grep -qxF "rows: table \"t\": 4 rows read, 2 would be refused (first: key id=2: table \"t\" column \"name\" row 2: $emoji), 1 with values changed by --lossy" "$WORK/out" ||
    fail "plan --lossy: $(cat "$WORK/out")"
sqlite3 "$WORK/src.db" "DELETE FROM t WHERE id = 2"
expect 0 "$DBDUMP" -q -o "$WORK/b.dbd" "$WORK/src.db"
expect 7 "$DBRESTORE" --data-only --lossy -i "$WORK/b.dbd" "$URL"
grep -q 'key id=3: table "t" column "note" row 2: value '"'"'z*'"'"'\.\.\. (70000 bytes) takes 70000 bytes, more than the 65535 the column.s type stores' "$WORK/err" ||
    fail "TEXT limit: $(cat "$WORK/err")"
sqlite3 "$WORK/src.db" "DELETE FROM t WHERE id = 3"
expect 0 "$DBDUMP" -q -o "$WORK/c.dbd" "$WORK/src.db"
expect 0 "$DBRESTORE" --data-only --lossy --verify -i "$WORK/c.dbd" "$URL"
grep -q "^t  *2  *2  OK$" "$WORK/out" || fail "verify: $(cat "$WORK/out")"
grep -q "warning: --lossy: 1 rows had values converted" "$WORK/err" || fail "lossy count: $(cat "$WORK/err")"
[ "$(myq "$DB" "SELECT CONCAT(id, ' ', HEX(code), ' ', HEX(name)) FROM t ORDER BY id" | tr '\n' '|')" = \
  "1 61620000 616263|4 61626364 E98078|" ] || fail "stored: $(myq "$DB" "SELECT id, HEX(code), HEX(name) FROM t")"

# --on-conflict=skip: an archive user whose e-mail (a unique key, not the primary key) a
# target user already has is not loaded under its own id (MySQL: ON DUPLICATE KEY); its post
# then has no parent, and the refusal says why
sqlite3 -bail "$WORK/uq.db" "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
    CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
    INSERT INTO users VALUES (5, 'a@example.org'), (6, 'b@example.org');
    INSERT INTO posts VALUES (1, 5), (2, 6)"
expect 0 "$DBDUMP" -q -o "$WORK/uq.dbd" "$WORK/uq.db"
myq "$DB" "CREATE TABLE users (id int PRIMARY KEY, email varchar(100) UNIQUE) ENGINE=InnoDB;
    CREATE TABLE posts (id int PRIMARY KEY, user_id int,
        CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id)) ENGINE=InnoDB;
    INSERT INTO users VALUES (1, 'a@example.org')"
expect 7 "$DBRESTORE" --data-only --on-conflict=skip -t users -t posts -i "$WORK/uq.dbd" "$URL"
grep -qF 'foreign key "posts_user_fk" (posts.user_id -> users.id): 1 row of "posts" references a parent row that is not in the target (first: id=1 -> (5)): 1 archive row of "users" met a target row on a unique key other than the primary key and was not loaded under its own key' "$WORK/err" ||
    fail "unique conflict behind a foreign key failure: $(cat "$WORK/err")"
[ "$(myq "$DB" "SELECT count(*) FROM users")" = 1 ] || fail "rows written"
echo ok
