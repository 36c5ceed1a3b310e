#!/usr/bin/env bash
# demo.sh - the main job on SQLite, end to end (the README's main command).
#
#   scripts/demo.sh [SQLITE_DB]
#
# Installs what is missing, builds dbdump and dbrestore (build/), dumps the Chinook sample
# database (default: ../shared/corpus/chinook/Chinook_Sqlite.sqlite relative to the repo, or
# $DEMO_DB, or the argument) to an archive, restores the archive into a new file, and shows
# that `sqlite3 .dump` of both is identical. Output goes to build/demo/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
src=${1:-${DEMO_DB:-$root/../shared/corpus/chinook/Chinook_Sqlite.sqlite}}
out=${DEMO_OUT:-$root/build/demo}

[ -f "$src" ] || { echo "demo.sh: sample database '$src' not found (pass a path)" >&2; exit 1; }
src=$(realpath "$src")
scripts/deps.sh
echo "== build"
cmake -S . -B build >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
mkdir -p "$out"
rm -f "$out/chinook.dbd" "$out/restored.db"

echo "== dump   $src"
echo "   \$ build/dbdump $src -o $out/chinook.dbd"
build/dbdump "$src" -o "$out/chinook.dbd"
echo "== check  (read and verify the whole archive)"
build/dbrestore --check -i "$out/chinook.dbd"
echo "== restore into a new file"
echo "   \$ build/dbrestore -i $out/chinook.dbd $out/restored.db"
build/dbrestore -i "$out/chinook.dbd" "$out/restored.db"

echo "== compare"
sqlite3 "$src" .dump >"$out/source.sql"
sqlite3 "$out/restored.db" .dump >"$out/restored.sql"
if cmp -s "$out/source.sql" "$out/restored.sql"; then
    same="identical"
else
    diff "$out/source.sql" "$out/restored.sql" | head -20
    echo "demo.sh: FAILED: sqlite3 .dump of the source and of the restored copy differ" >&2
    exit 1
fi
integrity=$(sqlite3 "$out/restored.db" 'PRAGMA integrity_check')
[ "$integrity" = ok ] || { echo "demo.sh: integrity_check: $integrity" >&2; exit 1; }

echo
echo "Summary"
printf '  source          %s (%s bytes)\n' "$src" "$(wc -c <"$src")"
printf '  archive         %s (%s bytes)\n' "$out/chinook.dbd" "$(wc -c <"$out/chinook.dbd")"
printf '  restored        %s\n' "$out/restored.db"
printf '  sqlite3 .dump   %s (%s lines, sha256 %s)\n' "$same" "$(wc -l <"$out/source.sql")" \
    "$(sha256sum "$out/source.sql" | cut -c1-16)"
printf '  integrity_check %s\n' "$integrity"
echo "  tables and rows:"
sqlite3 "$out/restored.db" "SELECT name FROM sqlite_master WHERE type='table'
    AND name NOT LIKE 'sqlite_%' ORDER BY name" | while IFS= read -r t; do
    q=${t//\"/\"\"}
    printf '    %-16s %8s rows\n' "$t" "$(sqlite3 "$out/restored.db" "SELECT count(*) FROM \"$q\"")"
done
