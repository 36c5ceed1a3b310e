#!/usr/bin/env bash
# connect.sh DBDUMP DBRESTORE HELPERS SRCDIR WORK
#
# Connection faults for PostgreSQL and MySQL URLs, for dbdump and dbrestore alike: an
# unreachable host (another loopback address, nothing listening), a refused port, a wrong
# password (a private PostgreSQL server with scram-sha-256 for one role; a MariaDB user with
# a password on the shared server), an unknown database, malformed URLs, an unknown scheme.
# Each: the documented exit code (3 connect, 2 bad URL), one line naming the problem, within
# 10 s, and the password of the URL never printed. Then a server that accepts the TCP
# connection but never answers (dbt_blackhole): exit 3 within the client's connect timeout
# (reported; asserted under 15 s).
set -euo pipefail
DBDUMP=$1 DBRESTORE=$2 HELPERS=$3 SRCDIR=$4 WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
hole=""
cleanup() {
    [ -n "$hole" ] && kill "$hole" 2>/dev/null || true
    private_pg_stop
    my -e "DROP USER IF EXISTS 'dbt_rel_pw'@'127.0.0.1'" >/dev/null 2>&1 || true
    cleanup_dbs
}
trap cleanup EXIT
need_pg
need_mysql
PW=s3cret-CONN-pw

# case WANT_EXIT REGEX WHAT PROGRAM URL: dbdump URL, or dbrestore -i (archive of the engine) URL
case_() {
    local want=$1 re=$2 what=$3 prog=$4 url=$5 st=0 ms
    T0=$(now)
    # (a generous timeout against a hang, exit 124; how fast it fails is for bench/)
    if [ "$prog" = dbdump ]; then
        timeout 120 "$DBDUMP" "$url" -o "$WORK/x.dbd" >"$WORK/out" 2>"$WORK/err" </dev/null ||
            st=$?
        [ ! -e "$WORK/x.dbd" ] || defect "$what: dbdump left an archive"
    else
        timeout 120 "$DBRESTORE" -i "$ARCHIVE" "$url" >"$WORK/out" 2>"$WORK/err" </dev/null ||
            st=$?
    fi
    ms=$(elapsed_ms)
    note "$prog, $what: exit $st, $ms ms: $(head -c 300 "$WORK/err" | tr '\n' '|')"
    [ "$st" = "$want" ] || defect "$prog, $what: exit $st, want $want: $(tr '\n' '|' <"$WORK/err")"
    one_line "$WORK/err" "$prog, $what"
    grep -Eq "$re" "$WORK/err" || defect "$prog, $what: the message does not match /$re/"
    grep -q "^$prog: " "$WORK/err" || defect "$prog, $what: the message lacks the '$prog: ' prefix"
    ! grep -q -e "$PW" -e right-pw "$WORK/err" "$WORK/out" ||
        defect "$prog, $what: the password was printed"
    # a URL with a user in the message shows its password as *** (README)
    if grep -Eq '[a-z]+://[^ /@]+@' "$WORK/err"; then
        grep -Eq '[a-z]+://[^ /@:]+:\*\*\*@' "$WORK/err" ||
            defect "$prog, $what: a URL in the message lacks the *** mask"
        MASKED=$((MASKED + 1))
    fi
}
MASKED=0 # messages that showed a masked URL (a connection error, not only a usage error)

dead=$(free_port)
P=dbt_rel_conn_$$

# --------------------------------------------------------------- PostgreSQL
private_pg_start
private_pg_password dbt_rel_pw right-pw
base=${PRIV_PG_URL%/*}   # postgresql://postgres@127.0.0.1:PORT
hostport=${base#*@}
psql -X -q -d "$PRIV_PG_URL" -c "CREATE TABLE t (x int); INSERT INTO t VALUES (1)"
"$DBDUMP" -q "$PRIV_PG_URL" -o "$WORK/pg.dbd"
# the role with a password works with the right one (the wrong-password case is not void)
expect 0 "$DBDUMP" -q "postgresql://dbt_rel_pw:right-pw@$hostport/postgres" -o "$WORK/ok.dbd"
ARCHIVE=$WORK/pg.dbd
for prog in dbdump dbrestore; do
    case_ 3 "\"127\.0\.0\.2\".*refused" "unreachable host" $prog \
        "postgresql://postgres:$PW@127.0.0.2:$PRIV_PG_PORT/postgres"
    case_ 3 "\"127\.0\.0\.1\", port $dead.*refused" "refused port" $prog \
        "postgresql://postgres:$PW@127.0.0.1:$dead/postgres"
    case_ 3 "password authentication failed" "wrong password" $prog \
        "postgresql://dbt_rel_pw:$PW@$hostport/postgres"
    case_ 3 "database \"${P}_nodb\" does not exist" "unknown database" $prog \
        "postgresql://dbt_rel_pw:right-pw@$hostport/${P}_nodb"
    case_ 2 "port" "malformed URL (port)" $prog "postgresql://postgres:$PW@127.0.0.1:5x5/db"
    case_ 2 "\[|IPv6|host" "malformed URL (host)" $prog "postgresql://postgres:$PW@[127.0.0.1/db"
    case_ 2 "percent" "malformed URL (escape in the password)" $prog \
        "postgresql://postgres:$PW%zz@$hostport/postgres"
    case_ 2 "unknown URL scheme 'postgresq'" "unknown scheme" $prog \
        "postgresq://postgres:$PW@$hostport/postgres"
done

# -------------------------------------------------------------------- MySQL
my -e "DROP USER IF EXISTS 'dbt_rel_pw'@'127.0.0.1';
    CREATE USER 'dbt_rel_pw'@'127.0.0.1' IDENTIFIED BY 'right-pw';
    GRANT ALL ON *.* TO 'dbt_rel_pw'@'127.0.0.1';"
my_newdb "${P}_src"
my "${P}_src" -e "CREATE TABLE t (x INT); INSERT INTO t VALUES (1)"
"$DBDUMP" -q "$(my_url "${P}_src")" -o "$WORK/my.dbd"
expect 0 "$DBDUMP" -q "mysql://dbt_rel_pw:right-pw@$MY_HOST:$MY_PORT/${P}_src" -o "$WORK/ok.dbd"
ARCHIVE=$WORK/my.dbd
for prog in dbdump dbrestore; do
    case_ 3 "Can't connect to server on '127\.0\.0\.2'" "unreachable host" $prog \
        "mysql://root:$PW@127.0.0.2:$MY_PORT/${P}_src"
    case_ 3 "Can't connect to server on '127\.0\.0\.1'|refused" "refused port" $prog \
        "mysql://root:$PW@127.0.0.1:$dead/${P}_src"
    case_ 3 "Access denied" "wrong password" $prog \
        "mysql://dbt_rel_pw:$PW@$MY_HOST:$MY_PORT/${P}_src"
    if [ $prog = dbdump ]; then # dbrestore creates a database that does not exist
        case_ 3 "Unknown database '${P}_nodb'" "unknown database" $prog \
            "mysql://dbt_rel_pw:right-pw@$MY_HOST:$MY_PORT/${P}_nodb"
    fi
    case_ 2 "port" "malformed URL (port)" $prog "mysql://root:$PW@127.0.0.1:5x5/db"
    case_ 2 "\[" "malformed URL (host)" $prog "mysql://root:$PW@[127.0.0.1/db"
    case_ 2 "escape" "malformed URL (escape)" $prog "mysql://root:$PW@127.0.0.1/db%zz"
    case_ 2 "escape" "malformed URL (escape in the password)" $prog \
        "mysql://root:$PW%zz@127.0.0.1/db"
    case_ 2 "unknown URL scheme 'mysqll'" "unknown scheme" $prog "mysqll://root:$PW@127.0.0.1/db"
done
# an unknown database with a wrong password: the password problem is what is reported
case_ 3 "Access denied" "wrong password, unknown database" dbrestore \
    "mysql://dbt_rel_pw:$PW@$MY_HOST:$MY_PORT/${P}_nodb"
my -e "DROP DATABASE IF EXISTS \`${P}_nodb\`" >/dev/null

# ------------------------------------------- a server that never answers (dbdump)
"$HELPERS/dbt_blackhole" "$WORK/hole.port" 120 &
hole=$!
for _ in $(seq 100); do [ -s "$WORK/hole.port" ] && break; sleep 0.05; done
hp=$(cat "$WORK/hole.port")
# both at once (each waits for the client's connect timeout)
i=0 pids=()
for url in "postgresql://postgres:$PW@127.0.0.1:$hp/postgres" "mysql://root:$PW@127.0.0.1:$hp/x"; do
    i=$((i + 1))
    ( st=0 T0=$(now)
      timeout 120 "$DBDUMP" "$url" -o "$WORK/x$i.dbd" 2>"$WORK/err$i" </dev/null || st=$?
      echo "$st $(elapsed_ms)" >"$WORK/res$i" ) &
    pids+=($!)
done
wait "${pids[@]}"
i=0
for url in postgresql mysql; do
    i=$((i + 1))
    read -r st ms <"$WORK/res$i"
    note "silent server, $url: exit $st after $ms ms: $(tr '\n' '|' <"$WORK/err$i")"
    [ "$st" = 3 ] || defect "silent server, $url: exit $st, want 3"
    ! grep -q "$PW" "$WORK/err$i" || defect "silent server: the password was printed"
    [ ! -e "$WORK/x$i.dbd" ] || defect "silent server: an archive was left"
done
# dbrestore names its PostgreSQL target, both programs their MySQL one: 2 + 2 programs x 3
# failed connections with a password (unreachable, refused, wrong password) at least
[ "$MASKED" -ge 6 ] || defect "only $MASKED connection errors showed a masked URL"
finish
