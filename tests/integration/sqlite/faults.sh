#!/usr/bin/env bash
# Faults: truncated and corrupted archives, non-empty targets, unwritable output, a closed
# pipe, bad URLs. Each with its documented exit code, and nothing changed or left behind.
set -euo pipefail
dbdump=$1 dbrestore=$2 src=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$dbdump" -q "$src" -o "$work/c.dbd"
size=$(wc -c <"$work/c.dbd")

WORK=$work # expect (tests/lib/common.sh) writes $WORK/out and $WORK/err

# An existing target whose content must survive every failed restore.
cp "$src" "$work/existing.db"
chmod u+w "$work/existing.db"
sqlite3 "$work/existing.db" "DELETE FROM comments WHERE id > 100"
sqlite3 "$work/existing.db" .dump >"$work/existing.sql"

# Truncated at 60 offsets (fixed seed): exit 5, no new file, existing target unchanged.
RANDOM=42
offsets="0 1 11 12 13 100 $((size / 2)) $((size - 17)) $((size - 16)) $((size - 1))"
for _ in $(seq 50); do offsets="$offsets $(( (RANDOM * 32768 + RANDOM) % size ))"; done
n=0
for off in $offsets; do
    head -c "$off" "$work/c.dbd" >"$work/cut.dbd"
    expect 5 "$dbrestore" -i "$work/cut.dbd" "$work/new.db"
    grep -q "truncat" "$work/err" || fail "message for a cut at $off: $(cat "$work/err")"
    [ ! -e "$work/new.db" ] || fail "new.db created from an archive cut at $off"
    n=$((n + 1))
done
for off in 1000 $((size / 3)) $((size - 17)); do
    head -c "$off" "$work/c.dbd" >"$work/cut.dbd"
    expect 5 "$dbrestore" --clean -i "$work/cut.dbd" "$work/existing.db"
    sqlite3 "$work/existing.db" .dump | cmp -s - "$work/existing.sql" ||
        fail "existing target changed by an archive cut at $off"
done
expect 5 "$dbrestore" --check -i "$work/cut.dbd"
! compgen -G "$work/*.tmp.*" >/dev/null || fail "temporary file left behind"

# A flipped byte (several places): exit 4 (corrupt), nothing created or changed.
for off in 12 200 $((size / 2)) $((size - 40)); do
    cp "$work/c.dbd" "$work/bad.dbd"
    orig=$(od -An -tu1 -j "$off" -N1 "$work/bad.dbd" | tr -d ' ')
    printf "$(printf '\\%03o' $(( orig ^ 0x55 )))" |
        dd of="$work/bad.dbd" bs=1 seek="$off" conv=notrunc status=none
    cmp -s "$work/bad.dbd" "$work/c.dbd" && fail "byte at $off not flipped"
    expect 4 "$dbrestore" -i "$work/bad.dbd" "$work/new.db"
    [ ! -e "$work/new.db" ] || fail "new.db created from a corrupt archive ($off)"
    expect 4 "$dbrestore" --clean -i "$work/bad.dbd" "$work/existing.db"
    sqlite3 "$work/existing.db" .dump | cmp -s - "$work/existing.sql" ||
        fail "existing target changed by a corrupt archive ($off)"
    expect 4 "$dbrestore" --check -i "$work/bad.dbd"
done
# Not an archive at all.
expect 4 "$dbrestore" -i "$src" "$work/new.db"
grep -qi "archive" "$work/err" || fail "message for a non-archive: $(cat "$work/err")"

# Non-empty target without --clean/--force: exit 6, names tables, target unchanged.
expect 6 "$dbrestore" -i "$work/c.dbd" "$work/existing.db"
grep -q -- "--clean" "$work/err" || fail "not-empty message: $(cat "$work/err")"
sqlite3 "$work/existing.db" .dump | cmp -s - "$work/existing.sql" || fail "target changed"
# --clean replaces it (in place); --force into an empty-but-existing file works.
expect 0 "$dbrestore" -q --clean -i "$work/c.dbd" "$work/existing.db"
same_db "$src" "$work/existing.db"
: >"$work/empty.db"
expect 0 "$dbrestore" -q -i "$work/c.dbd" "$work/empty.db"
same_db "$src" "$work/empty.db"
# --force into a non-empty target: rows collide with the primary keys: exit 7, unchanged.
cp "$work/existing.db" "$work/full.db"
sqlite3 "$work/full.db" .dump >"$work/full.sql"
expect 7 "$dbrestore" --force -i "$work/c.dbd" "$work/full.db"
sqlite3 "$work/full.db" .dump | cmp -s - "$work/full.sql" || fail "--force failure changed it"

# -o into a directory that does not exist / is a file: exit 8, no file anywhere.
expect 8 "$dbdump" "$src" -o "$work/nodir/x.dbd"
[ ! -e "$work/nodir" ] || fail "nodir created"
touch "$work/afile"
expect 8 "$dbdump" "$src" -o "$work/afile/x.dbd"
# A failing dump leaves no file: unreadable source (not a database).
echo "not a database" >"$work/junk.db"
expect 3 "$dbdump" "$work/junk.db" -o "$work/junk.dbd"
[ ! -e "$work/junk.dbd" ] || fail "archive written for a failed dump"
! compgen -G "$work/*.tmp.*" >/dev/null || fail "temporary file left behind"

# A closed pipe: dbdump exits non-zero (8). The reader failed first and its message is the last
# line a user sees, so dbdump says nothing unless asked (-v).
set +o pipefail
"$dbdump" "$src" 2>"$work/err" | head -c 1000 >/dev/null
st=${PIPESTATUS[0]}
"$dbdump" -v "$src" 2>"$work/err_v" | head -c 1000 >/dev/null
st_v=${PIPESTATUS[0]}
set -o pipefail
[ "$st" = 8 ] && [ "$st_v" = 8 ] ||
    fail "dbdump into a closed pipe exited $st / $st_v (-v): $(cat "$work/err" "$work/err_v")"
[ ! -s "$work/err" ] || fail "closed pipe: dbdump spoke after the reader: $(cat "$work/err")"
[ "$(tail -n 1 "$work/err_v")" = "dbdump: write to standard output failed: the reading side closed the pipe" ] ||
    fail "closed-pipe message with -v: $(cat "$work/err_v")"
# dbdump | dbrestore: the side that fails first has the last line. dbrestore refuses a target
# that holds tables while dbdump is still writing: dbrestore's refusal ends the output.
"$dbrestore" -q -i "$work/c.dbd" "$work/busy.db"
set +o pipefail
{ "$dbdump" "$src" | "$dbrestore" "$work/busy.db"; } >"$work/both" 2>&1 || true
set -o pipefail
tail -n 1 "$work/both" | grep -q "^dbrestore: .*not empty" ||
    fail "dbrestore failed first but its message is not the last line: $(cat "$work/both")"
! grep -q "^dbdump" "$work/both" || fail "dbdump spoke after its reader failed: $(cat "$work/both")"
# dbdump fails first (no such source): the stream carries its message (ABORT), so the last
# line, dbrestore's, says the cause in dbdump's words.
set +o pipefail
{ "$dbdump" "$work/no-such.db" | "$dbrestore" "$work/never.db"; } >"$work/both" 2>&1 || true
set -o pipefail
why="cannot open SQLite database '$work/no-such.db': No such file or directory"
[ "$(sed -n 1p "$work/both")" = "dbdump: $why" ] &&
    [ "$(tail -n 1 "$work/both")" = "dbrestore: the program that wrote the archive failed: $why (last complete table: none); nothing was restored" ] ||
    fail "dbdump failed first: $(cat "$work/both")"
[ ! -e "$work/never.db" ] || fail "never.db created from an empty pipe"
# the same stream kept in a file says so too (exit 5); into a file dbdump leaves nothing
set +o pipefail
"$dbdump" "$work/no-such.db" 2>/dev/null | cat >"$work/aborted.dbd"
set -o pipefail
expect 5 "$dbrestore" -i "$work/aborted.dbd" "$work/never.db"
grep -q "the program that wrote the archive failed: $why" "$work/err" || fail "kept ABORT: $(cat "$work/err")"
expect 3 "$dbdump" "$work/no-such.db" -o "$work/nofile.dbd"
[ ! -e "$work/nofile.dbd" ] || fail "a failed dump into a file left it"
# a writer that stops without a word (killed): dbrestore points at its message, if any
set +o pipefail
{ head -c 3000 "$work/c.dbd" | "$dbrestore" "$work/never.db"; } >"$work/both" 2>&1 || true
set -o pipefail
tail -n 1 "$work/both" | grep -q "^dbrestore: truncated archive: .*the program writing the pipe stopped early (its own message, if it printed one, is above)$" ||
    fail "silent writer: $(cat "$work/both")"
# dbrestore whose writer dies: truncated input, exit 5, nothing created.
head -c 5000 "$work/c.dbd" | { expect 5 "$dbrestore" "$work/piped.db"; }
[ ! -e "$work/piped.db" ] || fail "piped.db created from a cut stream"

# Bad URLs and missing files.
expect 2 "$dbdump" "foo://bar/baz"
grep -q "unknown URL scheme 'foo'" "$work/err" || fail "unknown scheme message"
expect 2 "$dbdump" "mysql://u@h:99999/db"
expect 2 "$dbdump" "mysql://u@h:12/db?sslmode=x"
expect 2 "$dbdump" "sqlite://host/path.db"
expect 2 "$dbdump" ""
expect 2 "$dbrestore" -i "$work/c.dbd" "sqlite:"
expect 3 "$dbdump" "$work/missing.db"
grep -q "missing.db" "$work/err" || fail "missing-file message"
expect 3 "$dbdump" "sqlite:///$work/missing.db"
expect 3 "$dbrestore" -i "$work/c.dbd" "$work/nodir/new.db"
expect 8 "$dbrestore" -i "$work/nonexistent.dbd" "$work/new.db"
[ ! -e "$work/new.db" ] || fail "new.db created"
echo "ok ($n truncations)"
