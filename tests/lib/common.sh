# common.sh - what every test script shares (sourced, bash): one `fail`, one `expect`, one
# reading of the servers' URLs that scripts/test.sh exports.
#
# TEST_NAME names the test in messages (default: the script's file name). A script that
# needs more in `fail` (a cleanup) does it in an EXIT trap, not in its own `fail`.
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}

fail() {
    echo "FAIL [$TEST_NAME]: $*" >&2
    exit 1
}

# expect CODE CMD...: run CMD with its output in $WORK/out and $WORK/err; its exit status
# must be CODE.
expect() {
    local want=$1 got=0
    shift
    "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
    [ "$got" = "$want" ] || { cat "$WORK/err" >&2; fail "exit $got, want $want: $*"; }
}

# dbt_same_jobs_archives MSGDUMP: $WORK/1.dbd (dbdump -j 1) and $WORK/4.dbd (-j 4) hold the
# same TABLE and OBJECT messages in the same order, and per table the same DATA_END (row
# count and digest: the rows, in any order); $WORK/4.txt keeps 4.dbd's messages but rows.
dbt_same_jobs_archives() {
    local n
    for n in 1 4; do
        "$1" "$WORK/$n.dbd" | grep -v '^ROW ' >"$WORK/$n.txt" || fail "reading $n.dbd"
        grep -v -e '^DATA_' -e '^TRAILER' -e '^INDEX' "$WORK/$n.txt" >"$WORK/$n.schema"
        grep '^DATA_END' "$WORK/$n.txt" | sort >"$WORK/$n.ends"
    done
    cmp -s "$WORK/1.schema" "$WORK/4.schema" || fail "-j 4 archive's schema differs from -j 1's"
    cmp -s "$WORK/1.ends" "$WORK/4.ends" ||
        fail "-j 4 digests differ from -j 1's: $(diff "$WORK/1.ends" "$WORK/4.ends" | head -5)"
}

# dbt_pg_url DB [BASEURL]: the URL of database DB on the server of BASEURL (default
# $DBT_PG_URL, postgresql://user@host:port/db[?options]; the options are kept).
dbt_pg_url() {
    local base=${2:-$DBT_PG_URL}
    local noq=${base%%\?*} query=""
    [ "$noq" != "$base" ] && query="?${base#*\?}"
    local rest=${noq#*://}
    echo "${noq%%://*}://${rest%%/*}/$1$query"
}

# dbt_mysql_split: $DBT_MYSQL_URL (mysql://[user[:pass]@]host[:port][/db][?...]) into
# MY_SCHEME, MY_USER (default root), MY_PASS, MY_HOST (default 127.0.0.1), MY_PORT (default
# 3306) and MY_AUTH_AT ("user[:pass]@" or empty); fails when the variable is not set.
dbt_mysql_split() {
    [ -n "${DBT_MYSQL_URL:-}" ] ||
        fail "DBT_MYSQL_URL is not set (scripts/test.sh starts the server)"
    local rest=${DBT_MYSQL_URL#*://} auth=""
    rest=${rest%%\?*}
    local hostpart=${rest%%/*}
    if [[ "$hostpart" == *@* ]]; then
        auth=${hostpart%@*}
        hostpart=${hostpart##*@}
    fi
    MY_USER=${auth%%:*}
    MY_PASS=""
    [[ "$auth" == *:* ]] && MY_PASS=${auth#*:}
    MY_HOST=${hostpart%%:*}
    MY_PORT=3306
    [[ "$hostpart" == *:* ]] && MY_PORT=${hostpart##*:}
    [ -n "$MY_USER" ] || MY_USER=root
    [ -n "$MY_HOST" ] || MY_HOST=127.0.0.1
    MY_SCHEME=${DBT_MYSQL_URL%%://*}
    MY_AUTH_AT=""
    [ -z "$auth" ] || MY_AUTH_AT="$auth@"
    return 0
}
