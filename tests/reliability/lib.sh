# lib.sh - helpers shared by the reliability tests (sourced by bash scripts that set -euo
# pipefail and define $DBDUMP $DBRESTORE $HELPERS $WORK before sourcing).
#
# Servers: $DBT_PG_URL (a PostgreSQL superuser URL) and $DBT_MYSQL_URL (a MariaDB/MySQL root
# URL), exported by scripts/test.sh. A test that needs one fails when it is missing.

# fail, expect (stdout in $WORK/out, stderr in $WORK/err), dbt_pg_url, dbt_mysql_split
# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

note() { echo "[$TEST_NAME] $*"; }

# defect MSG: a failed check that does not stop the test (so the other checks still run);
# finish fails the test at the end if there was any.
defect() {
    echo "FAIL [$TEST_NAME]: $*" >&2
    echo "$*" >>"$WORK/defects"
}
finish() {
    if [ -s "$WORK/defects" ]; then
        echo "FAIL [$TEST_NAME]: $(wc -l <"$WORK/defects") failed check(s):" >&2
        sed 's/^/    /' "$WORK/defects" >&2
        exit 1
    fi
    echo ok
}

# one_line FILE WHAT: FILE holds exactly one line (the error message); a defect otherwise.
one_line() {
    [ "$(wc -l <"$1")" = 1 ] ||
        defect "$2: the message is not one line: $(tr '\n' '|' <"$1" | cut -c1-300)"
}

# elapsed: seconds since $T0 (set T0=$(now) first), with millisecond precision
now() { date +%s%N; }
elapsed_ms() { echo $(( ($(now) - T0) / 1000000 )); }

# ------------------------------------------------------------------ PostgreSQL

need_pg() {
    [ -n "${DBT_PG_URL:-}" ] || fail "DBT_PG_URL is not set (scripts/test.sh starts the server)"
    command -v psql >/dev/null || fail "psql not found"
    command -v pg_dump >/dev/null || fail "pg_dump not found"
    psql -X -q -d "$DBT_PG_URL" -c 'SELECT 1' >/dev/null ||
        fail "cannot connect to the PostgreSQL test server"
}

# pg_url DB [BASEURL]: the URL of database DB on the server of BASEURL (default $DBT_PG_URL)
pg_url() { dbt_pg_url "$@"; }
pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -d "$DBT_PG_URL" "$@"; }
pg_db() { local db=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$(pg_url "$db")" "$@"; }

PG_CREATED=()
pg_newdb() { # pg_newdb NAME: a new empty database (dropped at exit by cleanup_dbs)
    PG_CREATED+=("$1")
    pg_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" \
        >/dev/null
}

# fp_failed TOOL DB ERRFILE: the fingerprint of a database its tool could not read: the
# error on stderr, and a line no other call prints (this shell's PID and the time in ns), so
# that two failed dumps never compare equal.
fp_failed() {
    echo "FAIL [$TEST_NAME]: $1 of $2 failed: $(head -c 500 "$3")" >&2
    echo "$1 of $2 FAILED ($BASHPID $(date +%s%N))"
}

# pg_fp DB: a fingerprint of the whole database with PostgreSQL's own tools: pg_dump of the
# schema and every row (data in COPY text, deterministic order of objects) plus row counts.
pg_fp() {
    local out err
    out=$(mktemp) err=$(mktemp)
    if pg_dump -d "$(pg_url "$1")" --no-sync >"$out" 2>"$err"; then
        grep -v -e '^-- Dumped \(from\|by\)' -e '^\\\(un\)\?restrict ' "$out" || true
    else
        fp_failed pg_dump "$1" "$err"
    fi
    rm -f "$out" "$err"
}

# ---------------------------------------------------------------------- MySQL

need_mysql() {
    [ -n "${DBT_MYSQL_URL:-}" ] ||
        fail "DBT_MYSQL_URL is not set (scripts/test.sh starts the server)"
    MY_CLIENT=$(command -v mariadb || command -v mysql) || fail "no mariadb/mysql client"
    MY_DUMPER=$(command -v mariadb-dump || command -v mysqldump) || fail "no mysqldump"
    dbt_mysql_split
    my -e 'SELECT 1' >/dev/null || fail "cannot connect to the MySQL test server"
}

my_url() { echo "$MY_SCHEME://$MY_AUTH_AT$MY_HOST:$MY_PORT/$1"; }
my() {
    MYSQL_PWD="$MY_PASS" "$MY_CLIENT" --no-defaults --protocol=tcp -h "$MY_HOST" -P "$MY_PORT" \
        -u "$MY_USER" --default-character-set=utf8mb4 "$@"
}
myq() { local db=$1; shift; my -N -B "$db" -e "$*"; }

MY_CREATED=()
my_newdb() { # my_newdb NAME: a new empty database (dropped at exit by cleanup_dbs)
    MY_CREATED+=("$1")
    my -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\` CHARACTER SET utf8mb4"
}
my_forget() { MY_CREATED+=("$1"); } # drop DB at exit (a database dbrestore may create)

# my_fp DB: fingerprint with the server's own tools: whether DB exists, mysqldump of its
# tables, rows, views, routines, triggers and events, and a checksum of every table.
my_fp() {
    local db=$1 t
    if [ -z "$(myq information_schema "SELECT 1 FROM SCHEMATA WHERE SCHEMA_NAME = '$db'")" ]; then
        echo "database $db does not exist"
        return 0
    fi
    local err
    err=$(mktemp)
    MYSQL_PWD="$MY_PASS" "$MY_DUMPER" --no-defaults --protocol=tcp -h "$MY_HOST" -P "$MY_PORT" \
        -u "$MY_USER" --default-character-set=utf8mb4 --skip-dump-date --routines --triggers \
        --events --hex-blob "$db" 2>"$err" || { fp_failed mysqldump "$db" "$err"; rm -f "$err"; return 0; }
    rm -f "$err"
    # table names travel in hex (they may hold newlines, quotes, backquotes)
    for t in $(myq information_schema "SELECT HEX(TABLE_NAME) FROM TABLES
               WHERE TABLE_SCHEMA = '$db' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1"); do
        # shellcheck disable=SC2059
        t=$(printf "$(echo "$t" | sed 's/../\\x&/g')")
        myq "$db" "CHECKSUM TABLE \`${t//\`/\`\`}\` EXTENDED" | tr '\n' ' '
        echo
    done
}

# --------------------------------------------------------------------- SQLite

# sq_fp FILE: .dump of the file and its settings, or "absent"
sq_fp() {
    if [ ! -e "$1" ]; then
        echo absent
        return 0
    fi
    sqlite3 -bail "$1" .dump 'PRAGMA user_version' 'PRAGMA application_id' \
        'PRAGMA integrity_check'
}

# ---------------------------------------------------------------------- cleanup

cleanup_dbs() {
    local db
    for db in "${PG_CREATED[@]}"; do
        pg_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    for db in "${MY_CREATED[@]}"; do
        my -e "DROP DATABASE IF EXISTS \`$db\`" >/dev/null 2>&1 || true
    done
}

# ------------------------------------------------------------- private servers

free_port() { # a TCP port on 127.0.0.1 where nothing answers, below the ephemeral range
    local p
    for _ in $(seq 200); do
        p=$(( 20000 + RANDOM % 12000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    fail "no free port"
}

# private_pg_start: a private PostgreSQL server (scripts/pg-server.sh) in a temporary
# directory, for tests that stop it or change its authentication. Sets PRIV_PG_DIR,
# PRIV_PG_PORT, PRIV_PG_URL (superuser, trust). private_pg_stop stops it (call it from the
# EXIT trap; it does nothing when no server was started).
PRIV_PG_DIR=""
private_pg_start() {
    PRIV_PG_DIR=$(mktemp -d /tmp/dbt-rel-pg.XXXXXX)
    chmod 755 "$PRIV_PG_DIR" # the server runs as user postgres
    server_start pg "$PRIV_PG_DIR/pg"
    PRIV_PG_PORT=$SERVER_PORT PRIV_PG_URL=$SERVER_URL
}

# server_start pg|my DIR: start a private server in DIR on a free port (another port if the
# one picked was taken meanwhile; up to 3 tries). Sets SERVER_PORT and SERVER_URL.
server_start() {
    local kind=$1 dir=$2 script try
    script=$SRCDIR/scripts/$([ "$kind" = pg ] && echo pg-server.sh || echo mariadb-server.sh)
    for try in 1 2 3; do
        SERVER_PORT=$(free_port)
        if SERVER_URL=$("$script" start "$dir" "$SERVER_PORT" 2>"$WORK/server-start.err"); then
            return 0
        fi
        # a MariaDB datadir whose first start failed lacks the TCP root user: start afresh
        [ "$kind" = my ] && rm -rf "$dir"
    done
    cat "$WORK/server-start.err" >&2
    fail "cannot start a private $kind server in $dir"
}
private_pg_stop() {
    [ -n "$PRIV_PG_DIR" ] || return 0
    "$SRCDIR/scripts/pg-server.sh" stop "$PRIV_PG_DIR/pg" >/dev/null 2>&1 || true
    rm -rf "$PRIV_PG_DIR"
    PRIV_PG_DIR=""
}

# private_pg_password ROLE PASSWORD: on the private server, ROLE logs in with PASSWORD
# (scram-sha-256) over TCP; every other role keeps trust authentication.
private_pg_password() {
    local hba=$PRIV_PG_DIR/pg/data/pg_hba.conf
    psql -X -q -v ON_ERROR_STOP=1 -d "$PRIV_PG_URL" \
        -c "SET password_encryption = 'scram-sha-256'" \
        -c "CREATE ROLE \"$1\" LOGIN SUPERUSER PASSWORD '$2'" >/dev/null
    { echo "host all $1 127.0.0.1/32 scram-sha-256"; cat "$hba"; } >"$hba.new"
    cat "$hba.new" >"$hba"
    rm -f "$hba.new"
    psql -X -q -At -d "$PRIV_PG_URL" -c "SELECT pg_reload_conf()" >/dev/null
}
