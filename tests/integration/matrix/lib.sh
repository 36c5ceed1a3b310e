# lib.sh - shared helpers of the cross-engine matrix tests (sourced, bash).
#
# Needs DBT_PG_URL and DBT_MYSQL_URL (scripts/test.sh starts the servers); a missing server
# or client is a failure, never a skip. Callers set NAME (for messages) and PREFIX (unique
# database-name prefix) before sourcing; every database made with new_db is dropped on exit.

TEST_NAME=$NAME
# shellcheck source=../../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"

[ -n "${DBT_PG_URL:-}" ] || fail "DBT_PG_URL is not set (scripts/test.sh starts the server)"
[ -n "${DBT_MYSQL_URL:-}" ] || fail "DBT_MYSQL_URL is not set (scripts/test.sh starts the server)"
for c in sqlite3 psql mysql python3; do
    command -v $c >/dev/null || fail "$c not found"
done

pg_url() { dbt_pg_url "$1"; }
pg_q() { # pg_q DB SQL: rows as a|b|c
    PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=3" \
        psql -X -q -At -F '|' -v ON_ERROR_STOP=1 -d "$(pg_url "$1")" -c "$2"
}
dbt_mysql_split
my_host=$MY_HOST my_port=$MY_PORT my_user=$MY_USER my_pass=$MY_PASS
my() { MYSQL_PWD="$my_pass" mysql --no-defaults --default-character-set=utf8mb4 -h "$my_host" -P "$my_port" -u "$my_user" "$@"; }
my_url() { echo "mysql://$my_user${my_pass:+:$my_pass}@$my_host:$my_port/$1"; }
my_q() { # my_q DB SQL: rows as a|b|c, NULL as an empty field (like psql and sqlite3)
    my -N -B "$1" -e "SET time_zone = '+00:00'; $2" |
        awk -F'\t' 'BEGIN { OFS = "|" } { for (i = 1; i <= NF; i++) if ($i == "NULL") $i = ""; $1 = $1; print }'
}
lite_q() { sqlite3 -batch -noheader -separator '|' "$1" "$2"; }
# shellcheck source=values.sh
. "$(dirname "${BASH_SOURCE[0]}")/values.sh"

created_pg=()
created_my=()
matrix_cleanup() {
    for d in "${created_pg[@]}"; do
        psql -X -q -d "$DBT_PG_URL" -c "DROP DATABASE IF EXISTS \"$d\"" >/dev/null 2>&1 || true
    done
    for d in "${created_my[@]}"; do
        my -e "DROP DATABASE IF EXISTS \`$d\`" >/dev/null 2>&1 || true
    done
}
trap matrix_cleanup EXIT

# new_db ENGINE SUFFIX: create an empty database, its URL in NEWURL (SQLite: a path not yet
# there). Not in a $(...) subshell: the list of databases to drop on exit must grow here.
new_db() {
    local name="${PREFIX}_$2"
    case "$1" in
    sqlite) rm -f "$WORK/$name.db"; NEWURL="sqlite:$WORK/$name.db" ;;
    postgresql)
        # CREATE DATABASE can fail while another session copies template1: retry a little.
        local i
        for i in 1 2 3 4 5; do
            psql -X -q -d "$DBT_PG_URL" -c "CREATE DATABASE \"$name\"" >/dev/null 2>"$WORK/createdb.err" &&
                break
            [ "$i" = 5 ] && fail "cannot create database $name on $DBT_PG_URL: $(cat "$WORK/createdb.err")"
            sleep 1
        done
        created_pg+=("$name")
        NEWURL=$(pg_url "$name")
        ;;
    mysql)
        my -e "CREATE DATABASE \`$name\` CHARACTER SET utf8mb4" ||
            fail "cannot create database $name on $DBT_MYSQL_URL"
        created_my+=("$name")
        NEWURL=$(my_url "$name")
        ;;
    esac
}

# q ENGINE URL SQL: run a query with that engine's own client.
q() {
    case "$1" in
    sqlite) lite_q "${2#sqlite:}" "$3" ;;
    postgresql) pg_q "${2##*/}" "$3" ;;
    mysql) my_q "${2##*/}" "$3" ;;
    esac
}

# qi ENGINE NAME: the identifier quoted for the engine.
qi() {
    case "$1" in
    mysql) printf '`%s`' "${2//\`/\`\`}" ;;
    *) printf '"%s"' "${2//\"/\"\"}" ;;
    esac
}

# expr_for ENGINE KIND COLUMN: a canonical text form of a value, the same in every engine:
# int (decimal digits), text/blob (uppercase hex of the bytes). NULL is '~' and any value
# ':<canonical>', so NULL and ''/X'' differ (hex('') and SQLite's hex(NULL) are both '', and
# my_q prints NULL as an empty field).
expr_for() {
    local c v
    c=$(qi "$1" "$3")
    case "$1:$2" in
    sqlite:int) v="CAST($c AS INTEGER)" ;;
    postgresql:int) v="CAST($c AS BIGINT)" ;;
    mysql:int) v="CAST($c AS SIGNED)" ;;
    sqlite:text | sqlite:blob) v="hex($c)" ;;
    postgresql:text) v="upper(encode(convert_to(CAST($c AS TEXT), 'UTF8'), 'hex'))" ;;
    postgresql:blob) v="upper(encode($c, 'hex'))" ;;
    mysql:text | mysql:blob) v="HEX($c)" ;;
    *) fail "expr_for: $1 $2" ;;
    esac
    null_marked "$1" "$c" "$v"
}

# null_marked ENGINE COLUMN EXPR: '~' when COLUMN is NULL, else ':' followed by EXPR's text.
null_marked() {
    case "$1" in
    mysql) echo "CASE WHEN $2 IS NULL THEN '~' ELSE CONCAT(':', $3) END" ;;
    *) echo "CASE WHEN $2 IS NULL THEN '~' ELSE ':' || ($3) END" ;;
    esac
}

# table_list ENGINE URL: every base table, sorted. SQLite's ANALYZE table sqlite_stat1
# counts: the archive carries it as a table (attr sqlite.internal) into SQLite targets;
# other engines leave it out (spec/TYPES.md), see internal_for.
table_list() {
    case "$1" in
    sqlite) lite_q "${2#sqlite:}" "SELECT name FROM sqlite_master WHERE type = 'table'
        AND (name NOT LIKE 'sqlite_%' OR name = 'sqlite_stat1') ORDER BY 1" ;;
    postgresql) pg_q "${2##*/}" "SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1" ;;
    mysql) my_q "${2##*/}" "SELECT table_name FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1" ;;
    esac
}

# table_counts ENGINE URL: "table|rows" of every base table, sorted.
table_counts() {
    local list t
    list=$(table_list "$1" "$2")
    while IFS= read -r t; do
        [ -n "$t" ] || continue
        echo "$t|$(q "$1" "$2" "SELECT COUNT(*) FROM $(qi "$1" "$t")")"
    done <<<"$list" | LC_ALL=C sort
}

# fk_count ENGINE URL: number of foreign keys (each counted once, whatever its column count).
fk_count() {
    case "$1" in
    sqlite) lite_q "${2#sqlite:}" "SELECT COUNT(DISTINCT m.name || '/' || p.id) FROM sqlite_master m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'" ;;
    postgresql) pg_q "${2##*/}" "SELECT COUNT(*) FROM information_schema.table_constraints WHERE table_schema = 'public' AND constraint_type = 'FOREIGN KEY'" ;;
    mysql) my_q "${2##*/}" "SELECT COUNT(*) FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()" ;;
    esac
}

# dbrestore with its output kept: run_restore EXPECTED_RC OUT ARGS...
run_restore() {
    local want=$1 out=$2 rc=0
    shift 2
    "$DBRESTORE" "$@" >"$out.out" 2>"$out.err" || rc=$?
    [ "$rc" = "$want" ] || fail "dbrestore $* exited $rc, expected $want: $(head -c 600 "$out.err")"
}
