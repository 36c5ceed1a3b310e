#!/usr/bin/env bash
# Command-line behaviour of dbdump and dbrestore: --help, --version, bad options, argument
# errors, exit codes. Usage: cli.sh DBDUMP DBRESTORE
set -euo pipefail
dbdump=$1 dbrestore=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
WORK=$work TEST_NAME=cli_options
# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
exec </dev/null # no command here reads standard input: none may wait on it

for p in "$dbdump" "$dbrestore"; do
    expect 0 "$p" --help
    grep -q "^Usage: " "$work/out" || fail "$p --help has no usage line"
    grep -q "Exit codes" "$work/out" || fail "$p --help does not document exit codes"
    for c in "0 success" "2 bad option" "3 cannot connect" "5 truncated archive" \
             "6 target not empty" "8 I/O error"; do
        grep -q "$c" "$work/out" || fail "$p --help lacks '$c'"
    done
    expect 0 "$p" -h
    expect 0 "$p" --version
    grep -Eq "^db(dump|restore) [0-9]+\.[0-9]+\.[0-9]+ \(archive format 1\.2\)$" "$work/out" ||
        fail "$p --version said: $(cat "$work/out")"
    expect 2 "$p" --no-such-option x
    grep -q "help" "$work/err" || fail "$p: bad option message"
    expect 2 "$p"
    grep -q "missing" "$work/err" || fail "$p: missing argument message"
    expect 2 "$p" a.db b.db
    grep -q "too many" "$work/err" || fail "$p: too many arguments message"
    expect 2 "$p" "unknown://x"
    grep -q "^$(basename "$p"): unknown URL scheme 'unknown'" "$work/err" ||
        fail "$p: unknown scheme message: $(cat "$work/err")"
done
expect 2 "$dbdump" -Z 0 x.db
expect 2 "$dbdump" -Z 20 x.db
expect 2 "$dbdump" -Z abc x.db
expect 2 "$dbrestore" --check target.db
expect 2 "$dbrestore" --check --clean
expect 3 "$dbdump" "$work/missing.db"
grep -q "^dbdump: cannot open SQLite database '$work/missing.db'" "$work/err" ||
    fail "missing file message: $(cat "$work/err")"
# Error messages are one line.
[ "$(wc -l <"$work/err")" = 1 ] || fail "multi-line error message"
# Passwords never appear in messages.
expect 2 "$dbdump" "mysql://u:hunter2@h:77777/d"
grep -q "hunter2" "$work/err" && fail "password printed: $(cat "$work/err")"
grep -q '\*\*\*' "$work/err" || fail "masked URL not shown: $(cat "$work/err")"
# A valid empty SQLite database: dump and --check with -q print nothing on success.
sqlite3 "$work/e.db" "CREATE TABLE t(x); DROP TABLE t;"
expect 0 "$dbdump" -q "$work/e.db" -o "$work/e.dbd"
[ ! -s "$work/err" ] || fail "-q printed: $(cat "$work/err")"
expect 0 "$dbrestore" --check -i "$work/e.dbd"
grep -q "archive OK: .* 0 tables, 0 rows" "$work/out" || fail "--check said: $(cat "$work/out")"
expect 0 "$dbrestore" -q -i "$work/e.dbd" "$work/e2.db"
[ ! -s "$work/err" ] && [ -f "$work/e2.db" ] || fail "empty restore"
# -Z is accepted and gives a valid archive.
expect 0 "$dbdump" -q -Z 19 "$work/e.db" -o "$work/e19.dbd"
expect 0 "$dbrestore" --check -q -i "$work/e19.dbd"
echo ok
