# lib.sh - helpers of the data-only-into-existing-tables tests (issue 10), sourced (bash).
# shellcheck shell=bash
#
# Builds on ../matrix/lib.sh (DBT_PG_URL / DBT_MYSQL_URL required, a missing server is a
# failure; new_db, q, pg_q, my_q, lite_q, my, run_restore, fk_count, every database made
# with new_db dropped on exit). Callers set NAME, PREFIX (unique database-name prefix), WORK,
# DBDUMP and DBRESTORE before sourcing.
# shellcheck source=../matrix/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../matrix/lib.sh"

for c in pg_dump mysqldump; do
    command -v $c >/dev/null || fail "$c not found"
done

# exec_sql ENGINE URL < SCRIPT: run a SQL script with the engine's own client.
exec_sql() {
    case "$1" in
    sqlite) sqlite3 -bail "${2#sqlite:}" ;;
    postgresql) PGOPTIONS="-c TimeZone=UTC" psql -X -q -v ON_ERROR_STOP=1 -d "$2" >/dev/null ;;
    mysql) my "${2##*/}" ;;
    esac
}

# dump_src URL FILE: dbdump the source.
dump_src() {
    "$DBDUMP" -q "$1" -o "$2" || fail "dbdump $1 failed"
}

# pg_dump_ ARGS...: pg_dump without the random \restrict key lines of newer pg_dump releases.
pg_dump_() {
    pg_dump --no-owner "$@" | grep -vE '^\\(un)?restrict '
}

# snapshot ENGINE URL: the whole target as text, to prove it did not change.
# PostgreSQL: pg_dump --schema-only plus the data-only dump with its lines sorted (row order
# is physical); MySQL: mysqldump (rows in primary-key order, AUTO_INCREMENT included);
# SQLite: .dump.
snapshot() {
    case "$1" in
    sqlite) sqlite3 -bail "${2#sqlite:}" .dump ;;
    postgresql)
        pg_dump_ --schema-only -d "$2"
        echo "-- data, lines sorted"
        pg_dump_ --data-only -d "$2" | LC_ALL=C sort
        ;;
    mysql)
        MYSQL_PWD="$my_pass" mysqldump --no-defaults -h "$my_host" -P "$my_port" -u "$my_user" \
            --skip-dump-date --order-by-primary "${2##*/}"
        ;;
    esac
}

# schema_of ENGINE URL: the schema alone (counter values left out), to prove a load
# changed no definition.
schema_of() {
    case "$1" in
    sqlite) sqlite3 -bail "${2#sqlite:}" .schema ;;
    postgresql) pg_dump_ --schema-only -d "$2" ;;
    mysql)
        MYSQL_PWD="$my_pass" mysqldump --no-defaults -h "$my_host" -P "$my_port" -u "$my_user" \
            --skip-dump-date --no-data "${2##*/}" | sed -E 's/ AUTO_INCREMENT=[0-9]+//'
        ;;
    esac
}

# same_text A B WHAT: files equal, else fail with the start of the diff.
same_text() {
    diff "$1" "$2" >"$1.diff" || fail "$3 ($1 vs $2):
$(head -40 "$1.diff")"
}

# has_line FILE LINE: FILE holds LINE as a whole line.
has_line() {
    grep -qFx -- "$2" "$1" || fail "$(basename "$1") lacks the line
  $2
--- it holds:
$(head -c 2000 "$1")"
}

# has_prefix FILE TEXT: some line of FILE begins with TEXT (a message that may go on, e.g.
# with ": skipped").
has_prefix() {
    grep -qF -- "$2" "$1" && awk -v t="$2" 'index($0, t) == 1 { f = 1 } END { exit !f }' "$1" ||
        fail "$(basename "$1") has no line beginning with
  $2
--- it holds:
$(head -c 2000 "$1")"
}

# count_lines FILE LINE: how many times LINE appears as a whole line.
count_lines() {
    grep -cFx -- "$2" "$1" || true
}

# has_match FILE ERE WHAT: some line of FILE matches the extended regex.
has_match() {
    grep -qE -- "$2" "$1" || fail "$3: no line of $(basename "$1") matches /$2/
--- it holds:
$(head -c 2000 "$1")"
}

# eq GOT WANT WHAT
eq() {
    [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# verify_ok OUT TABLE ROWS: the --verify table on stdout says TABLE (any case, maybe
# schema-qualified or quoted) had ROWS rows sent and read, result OK.
verify_ok() {
    grep -qiE "^([^ ]*\.)?\"?$2\"? +$3 +$3 +OK *\$" "$1" ||
        fail "--verify did not report $2 with $3 rows OK:
$(cat "$1")"
}
