#!/usr/bin/env bash
# bench/same-archives.sh - a refactoring changed nothing that reaches an archive: two builds
# of dbdump dump the same databases at the same fixed clock, and the archives must be
# byte-identical.
#
#   bench/same-archives.sh OLD_DBDUMP NEW_DBDUMP CORPUS_DIR
#
# Databases: the corpora (Chinook in SQLite, PostgreSQL and MySQL; Northwind in SQLite and
# PostgreSQL; Sakila in MySQL) and the repository's own sample (tests/data), loaded here;
# the servers come from DBT_PG_URL and DBT_MYSQL_URL (scripts/test.sh starts them).
# Needs faketime (Debian: faketime): the header records when the archive was written.
# Exit 0 when every pair is identical, 1 when one differs (named), 2 on a set-up failure.
set -uo pipefail
[ $# -eq 3 ] || { sed -n 2,12p "$0" >&2; exit 2; }
OLD=$1 NEW=$2 CORPUS=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${DBT_PG_URL:?DBT_PG_URL names the PostgreSQL server}"
: "${DBT_MYSQL_URL:?DBT_MYSQL_URL names the MySQL/MariaDB server}"
command -v faketime >/dev/null || { echo "same-archives: faketime is needed" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
PG_BASE=${DBT_PG_URL%/*}
MY_BASE=${DBT_MYSQL_URL%/}
MY_HOSTPORT=${MY_BASE#mysql://}; MY_HOSTPORT=${MY_HOSTPORT#*@}
MY_USER=${MY_BASE#mysql://}; MY_USER=${MY_USER%@*}

load() { # dataset engine -> prints the URL
    local ds=$1 eng=$2 db="dbt_same_$1"
    [ "$ds" = sakila ] && db=sakila # its views name their database
    case $eng in
    sqlite) "$CORPUS/load.sh" "$ds" "sqlite:$W/$ds.db" >/dev/null 2>&1 || return 1
        echo "sqlite:$W/$ds.db" ;;
    pg) psql -q "$DBT_PG_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
            >/dev/null 2>&1 && "$CORPUS/load.sh" "$ds" "$PG_BASE/$db" >/dev/null 2>&1 &&
            psql -q "$PG_BASE/$db" -c "VACUUM ANALYZE" >/dev/null 2>&1 || return 1
        echo "$PG_BASE/$db" ;;
    mysql) mysql -h "${MY_HOSTPORT%:*}" -P "${MY_HOSTPORT#*:}" -u "$MY_USER" \
            -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4" &&
            "$CORPUS/load.sh" "$ds" "$MY_BASE/$db" >/dev/null 2>&1 || return 1
        echo "$MY_BASE/$db" ;;
    esac
}

fail=0 n=0
compare() { # label url
    local label=$1 url=$2
    # old, new, old: a server's row estimates may move between two dumps (statistics
    # gathered in the background); the new archive must equal one of the old ones, in one
    # of three rounds.
    local f round
    for round in 1 2 3; do
        for f in old new old2; do
            local bin=$OLD
            [ $f = new ] && bin=$NEW
            faketime '2026-01-01 00:00:00' "$bin" -q -o "$W/$f.dbd" "$url" ||
                { echo "$label: the $f dbdump failed"; fail=1; return; }
        done
        cmp -s "$W/old.dbd" "$W/new.dbd" || cmp -s "$W/old2.dbd" "$W/new.dbd" && break
        sleep 2
    done
    n=$((n + 1))
    if cmp -s "$W/old.dbd" "$W/new.dbd" || cmp -s "$W/old2.dbd" "$W/new.dbd"; then
        echo "$label: identical ($(stat -c %s "$W/new.dbd") bytes)"
    else
        echo "$label: DIFFERENT ($(cmp "$W/old.dbd" "$W/new.dbd" | head -1))"
        fail=1
    fi
}

for pair in chinook:sqlite chinook:pg chinook:mysql northwind:sqlite northwind:pg sakila:mysql; do
    url=$(load "${pair%:*}" "${pair#*:}") || { echo "$pair: loading failed" >&2; exit 2; }
    compare "$pair" "$url"
done
if [ -f "$ROOT/tests/data/sample_app.c" ] && command -v cc >/dev/null; then
    cc -O1 -o "$W/sample_app" "$ROOT/tests/data/sample_app.c" -lsqlite3 &&
        "$W/sample_app" "$W/sample.db" >/dev/null && compare sample:sqlite "sqlite:$W/sample.db"
fi
echo "same-archives: $n pairs compared"
exit $fail
