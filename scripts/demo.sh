#!/usr/bin/env bash
# demo.sh - the main job on SQLite, end to end (the README's main command).
#
#   scripts/demo.sh [SOURCE]
#
# Installs what is missing, builds dbdump and dbrestore (build/), and with no argument dumps
# the project's own sample database: an application's SQLite file (users, posts, comments,
# encrypted settings, binary attachments, ...) that the build writes from tests/data/
# sample_app.c, so a bare clone needs nothing else. SOURCE (or $DEMO_DB) is any other
# SQLite file or a PostgreSQL / MySQL URL. The archive is verified (dbrestore --check) and
# restored into a new SQLite file; for a SQLite source `sqlite3 .dump` of both must be
# identical, for a server every table is read back and compared (dbrestore --verify).
# Output goes to build/demo/ (or $DEMO_OUT).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
src=${1:-${DEMO_DB:-}}
out=${DEMO_OUT:-$root/build/demo}
die() { echo "demo.sh: $*" >&2; exit 1; }

kind=sqlite
case $src in
postgres://* | postgresql://* | *dbname=*) kind=server ;;
mysql://* | mariadb://*) kind=server ;;
'') ;;
*)
    [ -f "$src" ] || die "database '$src' not found (give a SQLite file or a database URL)"
    src=$(realpath "$src")
    ;;
esac
scripts/deps.sh
echo "== build"
cmake -S . -B build >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
if [ -z "$src" ]; then
    src=$root/build/tests/data/sample_app.db
    [ -f "$src" ] || die "the build did not write the sample database $src"
    echo "== sample database (written by the build from tests/data/sample_app.c)"
    echo "   $src"
fi
mkdir -p "$out"
archive=$out/demo.dbd
restored=$out/restored.db
rm -f "$archive" "$restored"
# a URL is shown without its password
shown=$(printf '%s' "$src" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#; s#(password=)[^ ]*#\1***#')

echo "== dump   $shown"
echo "   \$ build/dbdump SOURCE -o $archive"
build/dbdump "$src" -o "$archive"
echo "== check  (read and verify the whole archive)"
build/dbrestore --check -i "$archive"
echo "== restore into a new SQLite file"
if [ "$kind" = sqlite ]; then
    echo "   \$ build/dbrestore -i $archive $restored"
    build/dbrestore -i "$archive" "$restored"
else
    echo "   \$ build/dbrestore --verify -i $archive $restored"
    build/dbrestore --verify -i "$archive" "$restored" >"$out/verify.txt" ||
        { cat "$out/verify.txt"; die "dbrestore --verify failed"; }
fi

echo "== compare"
if [ "$kind" = sqlite ]; then
    sqlite3 "$src" .dump >"$out/source.sql"
    sqlite3 "$restored" .dump >"$out/restored.sql"
    if cmp -s "$out/source.sql" "$out/restored.sql"; then
        same="identical"
    else
        diff "$out/source.sql" "$out/restored.sql" | head -20
        die "FAILED: sqlite3 .dump of the source and of the restored copy differ"
    fi
else
    cat "$out/verify.txt"
    grep -q MISMATCH "$out/verify.txt" && die "FAILED: a table read back differs"
    same="every table read back and compared (dbrestore --verify): OK"
fi
integrity=$(sqlite3 "$restored" 'PRAGMA integrity_check')
[ "$integrity" = ok ] || die "integrity_check: $integrity"

echo
echo "Summary"
if [ "$kind" = sqlite ]; then
    printf '  source          %s (%s bytes)\n' "$src" "$(wc -c <"$src")"
else
    printf '  source          %s\n' "$shown"
fi
printf '  archive         %s (%s bytes)\n' "$archive" "$(wc -c <"$archive")"
printf '  restored        %s\n' "$restored"
if [ "$kind" = sqlite ]; then
    printf '  sqlite3 .dump   %s (%s lines, sha256 %s)\n' "$same" "$(wc -l <"$out/source.sql")" \
        "$(sha256sum "$out/source.sql" | cut -c1-16)"
else
    printf '  compared        %s\n' "$same"
fi
printf '  integrity_check %s\n' "$integrity"
echo "  tables and rows:"
sqlite3 "$restored" "SELECT name FROM sqlite_master WHERE type='table'
    AND name NOT LIKE 'sqlite_%' ORDER BY name" | while IFS= read -r t; do
    q=${t//\"/\"\"}
    printf '    %-16s %8s rows\n' "$t" "$(sqlite3 "$restored" "SELECT count(*) FROM \"$q\"")"
done
