#!/usr/bin/env bash
# matrix_corpus.sh DATASET SOURCE DBDUMP DBRESTORE CORPUS WORKDIR
#
# One row of the 3x3 matrix: DATASET (chinook | northwind) is loaded into SOURCE (sqlite |
# postgresql | mysql) from that engine's own script (corpus/load.sh), or DATASET sample (the
# repository's sample application; CORPUS is then its SQLite file), dumped once, and the
# archive is restored into SQLite, PostgreSQL and MySQL with `dbrestore --verify`, which must
# exit 0 with one OK line per table and `Rows restored: N`. Then the test checks on its own,
# with each engine's client: the row count of every table equals the source's, and every
# value of every column of every table (columns from the source's catalog) equals the
# source's in canonical text (values.sh: exact integers, decimal text, doubles, hex of text
# and bytes, timestamps as text or UTC instants; SQLite values as spec/TYPES.md says a typed
# target receives them).
set -euo pipefail

SET=$1
SRC=$2
DBDUMP=$3
DBRESTORE=$4
CORPUS=$5
WORK=$6
NAME="matrix_${SET}_$SRC"
PREFIX="dbt_mx_${SET:0:2}_${SRC:0:2}_$$"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

case "$SET" in
chinook | northwind) ;;
sample)
    # The repository's sample application (tests/data/sample_app.c; CORPUS is its file).
    [ "$SRC" = sqlite ] || fail "the sample is a SQLite file: matrix_sample_sqlite only"
    ;;
*) fail "unknown dataset $SET" ;;
esac

# canon ENGINE URL TARGET: every value of every source table (columns and kinds from the
# source's catalog, values.sh), one block per table, for a comparison of the source with
# TARGET. A SQLite source is compared as SQLite stores it with a SQLite target, and as
# spec/TYPES.md says a typed target receives it with the others.
canon() {
    local mode=read
    if [ "$SRC" = sqlite ] && [ "$3" = sqlite ]; then
        mode=native
    elif [ "$SRC" = sqlite ] && [ "$1" = sqlite ]; then
        mode=convert
    fi
    values_canon "$1" "$2" "$mode" "$3" "$WORK/kinds-$3"
}

# for_target TARGET FILE: the lines of FILE ("table|...") that TARGET should hold: SQLite's
# own sqlite_stat1 goes only into SQLite (spec/TYPES.md, attr sqlite.internal).
for_target() {
    if [ "$SRC" = sqlite ] && [ "$1" != sqlite ]; then
        grep -v '^sqlite_stat1|' "$2" || true
    else
        cat "$2"
    fi
}

new_db "$SRC" src
src_url=$NEWURL
if [ "$SET" = sample ]; then
    cp "$CORPUS" "${src_url#sqlite:}" || fail "copying the sample $CORPUS"
else
    "$CORPUS/load.sh" "$SET" "$src_url" >"$WORK/load.log" 2>&1 ||
        { tail -5 "$WORK/load.log" >&2; fail "loading $SET into $SRC failed"; }
fi
"$DBDUMP" -q "$src_url" -o "$WORK/a.dbd" || fail "dbdump of the source failed"
table_counts "$SRC" "$src_url" >"$WORK/src.counts"
mapfile -t tables < <(table_list "$SRC" "$src_url")
source_kinds "$SRC" "$src_url" "${tables[@]}" >"$WORK/kinds" || fail "reading the source catalog"
ncols=$(wc -l <"$WORK/kinds")
ntables=$(wc -l <"$WORK/src.counts")
nfk=$(fk_count "$SRC" "$src_url")
[ "$nfk" -ge 6 ] || fail "source has only $nfk foreign keys"
total=$(awk -F'|' '{ s += $2 } END { print s }' "$WORK/src.counts")
[ "$ntables" -ge 7 ] || fail "source has only $ntables tables"

for tgt in sqlite postgresql mysql; do
    new_db "$tgt" "to_$tgt"
    url=$NEWURL
    run_restore 0 "$WORK/$tgt" --verify -i "$WORK/a.dbd" "$url"
    for_target "$tgt" "$WORK/src.counts" >"$WORK/src-$tgt.counts"
    for_target "$tgt" "$WORK/kinds" >"$WORK/kinds-$tgt"
    ntables=$(wc -l <"$WORK/src-$tgt.counts")
    total=$(awk -F'|' '{ s += $2 } END { print s }' "$WORK/src-$tgt.counts")
    oks=$(grep -c ' OK$' "$WORK/$tgt.out" || true)
    [ "$oks" = "$ntables" ] || fail "$SRC -> $tgt: $oks tables OK in --verify, expected $ntables: $(cat "$WORK/$tgt.out")"
    ! grep -q MISMATCH "$WORK/$tgt.out" || fail "$SRC -> $tgt: --verify mismatch"
    grep -q "^Rows restored: $total  Elapsed: " "$WORK/$tgt.out" ||
        fail "$SRC -> $tgt: no 'Rows restored: $total' line: $(tail -1 "$WORK/$tgt.out")"
    table_counts "$tgt" "$url" >"$WORK/$tgt.counts"
    diff "$WORK/src-$tgt.counts" "$WORK/$tgt.counts" >&2 ||
        fail "$SRC -> $tgt: row counts differ (< source, > target)"
    got=$(fk_count "$tgt" "$url")
    [ "$got" = "$nfk" ] || fail "$SRC -> $tgt: $got foreign keys, the source has $nfk"
    # the source as this target should hold it (SQLite sources differ per target)
    canon "$SRC" "$src_url" "$tgt" >"$WORK/src-$tgt.canon" || fail "reading the source values"
    canon "$tgt" "$url" "$tgt" >"$WORK/$tgt.canon" || fail "$SRC -> $tgt: reading the values"
    diff "$WORK/src-$tgt.canon" "$WORK/$tgt.canon" >"$WORK/$tgt.diff" ||
        fail "$SRC -> $tgt: values differ, see $WORK/$tgt.diff"
    echo "ok $SET $SRC -> $tgt: $ntables tables, $total rows, $nfk foreign keys," \
        "$ncols columns, $(grep -vc '^==' "$WORK/$tgt.canon") rows equal in every column"
done
