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
