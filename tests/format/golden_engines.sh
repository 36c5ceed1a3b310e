#!/usr/bin/env bash
# golden_engines.sh DBRESTORE GOLDEN_DIR - archives made once by dbdump (format 1.2) from each
# engine must be read forever: golden/v1.2-{sqlite,postgresql,mariadb}.dbd pass
# `dbrestore --check` (every row decoded and checked against its table's digest and count,
# the trailer and the index), and `dbrestore --list --json` says exactly what it said when they
# were made (v1.2-ENGINE.list.json: tables, columns, types, row counts, objects, options).
# Made with SOURCE_DATE_EPOCH=1796000000 from: tests/integration/sqlite/make_testdb.sh (its
# 16 MiB blob replaced by 64 random bytes), tests/integration/postgresql/types.sql (without
# its 16 MiB and 300,000-element rows) and tests/integration/mysql/types.sql.
# Never regenerate them to make this test pass: a change here is a format change.
set -euo pipefail
dbrestore=$1
dir=$2
fail() { echo "FAIL [golden_engines]: $*" >&2; exit 1; }
for e in sqlite postgresql mariadb; do
    a="$dir/v1.2-$e.dbd"
    [ -s "$a" ] || fail "$a missing"
    "$dbrestore" --check -i "$a" >/dev/null 2>&1 || fail "$e: dbrestore --check refuses the golden archive"
    got=$("$dbrestore" --list --json -i "$a" | python3 -c \
        "import json,sys; print(json.dumps(json.load(sys.stdin), indent=1, sort_keys=True, ensure_ascii=False))") ||
        fail "$e: --list --json"
    [ "$got" = "$(cat "$dir/v1.2-$e.list.json")" ] || {
        diff <(echo "$got") "$dir/v1.2-$e.list.json" | head -20 >&2
        fail "$e: the archive does not read as it did"
    }
done
echo "golden_engines: 3 archives read as when they were made"
