#!/usr/bin/env bash
# matrix_blobs.sh SOURCE DBDUMP DBRESTORE WORKDIR
#
# 1,000 rows of random 0..4096-byte blobs (row 1 empty, row 2 4096 bytes) and
# ENC:v3:<key_id>:<hex> secrets are generated here (python3, os.urandom) with the SHA-256 of
# every value, loaded into SOURCE with its own client, dumped once and restored into SQLite,
# PostgreSQL and MySQL with --verify. Each target's client then gives the SHA-256 of every
# row's blob and secret (PostgreSQL sha256(), MySQL SHA2(); SQLite: hex() read back and hashed
# by the test), which must equal the generator's, and the blobs must still be binary.
set -euo pipefail

SRC=$1
DBDUMP=$2
DBRESTORE=$3
WORK=$4
NAME="matrix_blobs_$SRC"
PREFIX="dbt_mxb_${SRC:0:2}_$$"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

python3 - "$SRC" "$WORK/load.sql" "$WORK/manifest" <<'EOF'
import hashlib, os, random, sys
src, sql_path, man_path = sys.argv[1:4]
ddl = {
    "sqlite": "CREATE TABLE secrets (id INTEGER PRIMARY KEY, data BLOB NOT NULL, secret TEXT NOT NULL);",
    "postgresql": "CREATE TABLE secrets (id integer PRIMARY KEY, data bytea NOT NULL, secret text NOT NULL);",
    "mysql": "CREATE TABLE secrets (id int PRIMARY KEY, data longblob NOT NULL, secret text NOT NULL) CHARACTER SET utf8mb4;",
}[src]
def blob(b):
    h = b.hex()
    return "decode('%s', 'hex')" % h if src == "postgresql" else "X'%s'" % h
with open(sql_path, "w") as sql, open(man_path, "w") as man:
    sql.write(ddl + "\nBEGIN;\n" if src != "mysql" else ddl + "\nSTART TRANSACTION;\n")
    for i in range(1, 1001):
        n = 0 if i == 1 else 4096 if i == 2 else random.randint(0, 4096)
        data = os.urandom(n)
        secret = "ENC:v3:key%d:%s" % (random.randint(1, 99), os.urandom(24).hex())
        sql.write("INSERT INTO secrets VALUES (%d, %s, '%s');\n" % (i, blob(data), secret))
        man.write("%d|%s|%s\n" % (i, hashlib.sha256(data).hexdigest(),
                                  hashlib.sha256(secret.encode()).hexdigest()))
    sql.write("COMMIT;\n")
EOF

new_db "$SRC" src
src_url=$NEWURL
case "$SRC" in
sqlite) sqlite3 -bail "${src_url#sqlite:}" <"$WORK/load.sql" ;;
postgresql) psql -X -q -v ON_ERROR_STOP=1 -d "$src_url" -f "$WORK/load.sql" >/dev/null ;;
mysql) my "${src_url##*/}" <"$WORK/load.sql" ;;
esac || fail "loading the source failed"
"$DBDUMP" -q "$src_url" -o "$WORK/a.dbd" || fail "dbdump of the source failed"

# sha_rows ENGINE URL: id|sha256(data)|sha256(secret), sorted by id.
sha_rows() {
    case "$1" in
    sqlite)
        [ "$(lite_q "${2#sqlite:}" "SELECT COUNT(*) FROM secrets WHERE typeof(data) <> 'blob' OR typeof(secret) <> 'text'")" = 0 ] ||
            fail "-> sqlite: blobs or secrets changed storage class"
        lite_q "${2#sqlite:}" "SELECT id, hex(data), hex(secret) FROM secrets ORDER BY id" |
            python3 -c '
import hashlib, sys
for line in sys.stdin:
    i, d, s = line.rstrip("\n").split("|")
    print("%s|%s|%s" % (i, hashlib.sha256(bytes.fromhex(d)).hexdigest(),
                        hashlib.sha256(bytes.fromhex(s)).hexdigest()))'
        ;;
    postgresql)
        pg_q "${2##*/}" "SELECT id, encode(sha256(data), 'hex'), encode(sha256(convert_to(secret, 'UTF8')), 'hex') FROM secrets ORDER BY id" ;;
    mysql)
        my_q "${2##*/}" "SELECT id, SHA2(data, 256), SHA2(secret, 256) FROM secrets ORDER BY id" ;;
    esac
}

sha_rows "$SRC" "$src_url" >"$WORK/src.sha"
diff "$WORK/manifest" "$WORK/src.sha" >/dev/null || fail "the source does not hold the generated values"
for tgt in sqlite postgresql mysql; do
    new_db "$tgt" "to_$tgt"
    url=$NEWURL
    run_restore 0 "$WORK/$tgt" --verify -i "$WORK/a.dbd" "$url"
    grep -q '^secrets .* 1000 .* OK$' "$WORK/$tgt.out" ||
        fail "$SRC -> $tgt: --verify did not report secrets OK: $(cat "$WORK/$tgt.out")"
    sha_rows "$tgt" "$url" >"$WORK/$tgt.sha"
    diff "$WORK/manifest" "$WORK/$tgt.sha" >"$WORK/$tgt.diff" ||
        fail "$SRC -> $tgt: $(grep -c '^>' "$WORK/$tgt.diff") rows differ (SHA-256), see $WORK/$tgt.diff"
    echo "ok blobs $SRC -> $tgt: 1000 rows byte-exact"
done
