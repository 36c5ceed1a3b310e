#!/usr/bin/env bash
# credentials.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# Passwords never leak, and archives are private:
#  - PostgreSQL (a private server where one role needs a scram-sha-256 password; URI and
#    key=value forms) and MySQL (a user with a password on the shared server): dbdump -v and
#    dbrestore -v with the password in the URL, --check -v, and failing runs (unknown
#    database, target not empty, truncated archive, bad option). The password must not appear
#    in any stdout or stderr, nor in the archive (raw bytes, and the decompressed message
#    stream: the zstd frames after the 12-byte preamble, without the 16-byte footer).
#  - PGPASSWORD and MYSQL_PWD work, and do not leak either.
#  - Archives written with -o are mode 0600 whatever the umask.
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK/out"
cleanup() {
    private_pg_stop
    my -e "DROP USER IF EXISTS 'dbt_rel_cred'@'127.0.0.1'" >/dev/null 2>&1 || true
    cleanup_dbs
}
trap cleanup EXIT
need_mysql
command -v zstd >/dev/null || fail "zstd (the command) not found"
PW="Pw-$$-Zq8xK2"   # unique, so a hit can only come from this test
n=0

# run WANT CMD...: run CMD, keep stdout and stderr under $WORK/out, check the exit code
run() {
    local want=$1 st=0
    shift
    n=$((n + 1))
    "$@" >"$WORK/out/$n.stdout" 2>"$WORK/out/$n.stderr" </dev/null || st=$?
    printf '%s\n' "$*" >"$WORK/out/$n.cmd"
    [ "$st" = "$want" ] || defect "exit $st, want $want: ${*//$PW/<pw>}: $(head -c 300 "$WORK/out/$n.stderr")"
}

# no_leak_in_archive FILE
no_leak_in_archive() {
    local f=$1
    [ "$(stat -c %a "$f")" = 600 ] || defect "archive $f has mode $(stat -c %a "$f"), want 600"
    ! grep -qaF "$PW" "$f" || defect "the password is in the archive bytes of $f"
    tail -c +13 "$f" | head -c -16 | zstd -dcq >"$WORK/stream" ||
        fail "cannot decompress the message stream of $f"
    [ -s "$WORK/stream" ] || fail "empty message stream in $f"
    ! grep -qaF "$PW" "$WORK/stream" || defect "the password is in the message stream of $f"
    # the archive names the database, never the credentials
    ! grep -qaF "dbt_rel_cred:" "$WORK/stream" || defect "user:password form in $f"
}

# --------------------------------------------------------------- PostgreSQL
need_pg
private_pg_start
private_pg_password dbt_rel_cred "$PW"
hostport=${PRIV_PG_URL#*@}
hostport=${hostport%%/*}
psql -X -q -v ON_ERROR_STOP=1 -d "$PRIV_PG_URL" -c "CREATE DATABASE src" -c "CREATE DATABASE dst" \
    -c "CREATE DATABASE dst2" -c "CREATE DATABASE dst3"
psql -X -q -v ON_ERROR_STOP=1 -d "${PRIV_PG_URL%/*}/src" -c "
    CREATE TABLE t (id int PRIMARY KEY, v text);
    INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 1000) i;"
U="postgresql://dbt_rel_cred:$PW@$hostport"
KV="host=127.0.0.1 port=$PRIV_PG_PORT user=dbt_rel_cred password=$PW"
umask 022
run 0 "$DBDUMP" -v "$U/src" -o "$WORK/pg.dbd"
no_leak_in_archive "$WORK/pg.dbd"
umask 000
run 0 "$DBDUMP" -v "$KV dbname=src" -o "$WORK/pg-kv.dbd"
no_leak_in_archive "$WORK/pg-kv.dbd"
umask 022
run 0 "$DBRESTORE" -v --check -i "$WORK/pg.dbd"
run 0 "$DBRESTORE" -v -i "$WORK/pg.dbd" "$U/dst"
run 0 "$DBRESTORE" -v -i "$WORK/pg-kv.dbd" "$KV dbname=dst2"
run 0 "$DBDUMP" "$U/src" -o "$WORK/pg-default.dbd"
PGPASSWORD=$PW run 0 "$DBDUMP" -v "postgresql://dbt_rel_cred@$hostport/src" -o "$WORK/pg-env.dbd"
no_leak_in_archive "$WORK/pg-env.dbd"
# failures
run 6 "$DBRESTORE" -v -i "$WORK/pg.dbd" "$U/dst"
run 3 "$DBDUMP" -v "$U/nosuchdb" -o "$WORK/x.dbd"
run 3 "$DBRESTORE" -v -i "$WORK/pg.dbd" "$KV dbname=nosuchdb"
head -c 3000 "$WORK/pg.dbd" >"$WORK/cut.dbd"
run 5 "$DBRESTORE" -v -i "$WORK/cut.dbd" "$U/dst3"
run 5 "$DBRESTORE" -v -i "$WORK/cut.dbd" "$KV dbname=dst3"
run 2 "$DBDUMP" -v --no-such-option "$U/src"
run 2 "$DBRESTORE" -v "$U/dst" extra-argument
run 2 "$DBDUMP" -v -Z 99 "$U/src"
run 3 "$DBDUMP" -v "postgresql://dbt_rel_cred:wrong-$PW@$hostport/src"
run 3 "$DBDUMP" -v "postgresql://dbt_rel_cred:$PW@127.0.0.1:$(free_port)/src"
private_pg_stop

# -------------------------------------------------------------------- MySQL
P=dbt_rel_cred_$$
my -e "DROP USER IF EXISTS 'dbt_rel_cred'@'127.0.0.1';
    CREATE USER 'dbt_rel_cred'@'127.0.0.1' IDENTIFIED BY '$PW';
    GRANT ALL ON *.* TO 'dbt_rel_cred'@'127.0.0.1';"
my_newdb "${P}_src"
my "${P}_src" -e "CREATE TABLE t (id INT PRIMARY KEY, v TEXT);
    INSERT INTO t VALUES (1, 'one'), (2, 'two');"
my_forget "${P}_dst"
my_forget "${P}_dst2"
M="mysql://dbt_rel_cred:$PW@$MY_HOST:$MY_PORT"
umask 000
run 0 "$DBDUMP" -v "$M/${P}_src" -o "$WORK/my.dbd"
umask 022
no_leak_in_archive "$WORK/my.dbd"
run 0 "$DBRESTORE" -v --check -i "$WORK/my.dbd"
run 0 "$DBRESTORE" -v -i "$WORK/my.dbd" "$M/${P}_dst"
MYSQL_PWD=$PW run 0 "$DBDUMP" -v "mysql://dbt_rel_cred@$MY_HOST:$MY_PORT/${P}_src" \
    -o "$WORK/my-env.dbd"
no_leak_in_archive "$WORK/my-env.dbd"
run 6 "$DBRESTORE" -v -i "$WORK/my.dbd" "$M/${P}_dst"
run 3 "$DBDUMP" -v "$M/${P}_nosuchdb" -o "$WORK/x.dbd"
head -c 300 "$WORK/my.dbd" >"$WORK/cut.dbd"
run 5 "$DBRESTORE" -v -i "$WORK/cut.dbd" "$M/${P}_dst2"
run 3 "$DBDUMP" -v "mysql://dbt_rel_cred:wrong-$PW@$MY_HOST:$MY_PORT/${P}_src"
run 2 "$DBDUMP" -v "mysql://dbt_rel_cred:$PW@$MY_HOST:port/${P}_src"
run 2 "$DBRESTORE" -v --clean --check "$M/${P}_dst"

# ------------------------------------------------------------- every output
leaks=$(grep -laF "$PW" "$WORK"/out/*.stdout "$WORK"/out/*.stderr || true)
for f in $leaks; do
    defect "password printed by: $(sed "s/$PW/<pw>/g" "${f%.*}.cmd"): $(grep -aF "$PW" "$f" |
        sed "s/$PW/<PASSWORD>/g" | head -c 300)"
done
[ "$(cat "$WORK"/out/*.stderr | wc -c)" -gt 1000 ] || fail "the -v runs printed almost nothing"
note "$n runs, $(cat "$WORK"/out/*.stdout "$WORK"/out/*.stderr | wc -l) lines of output checked"
# --mode: is it there?
if "$DBDUMP" --help | grep -q -- "--mode"; then
    note "dbdump has --mode"
else
    note "dbdump has no --mode option (archives are always 0600)"
fi
finish
