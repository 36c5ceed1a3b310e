#!/usr/bin/env bash
# man.sh BUILDDIR DBDUMP DBRESTORE WORK: cmake --install puts dbdump.1 and dbrestore.1 under
# DESTDIR/usr/local/share/man/man1; `man -l` renders them without warnings; every long option
# of --help is in the page and every exit code of --help is in its EXIT STATUS section.
set -euo pipefail
BUILD=$1 DBDUMP=$2 DBRESTORE=$3 WORK=$4
TEST_NAME=ops_man
# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
rm -rf "$WORK" && mkdir -p "$WORK"
DESTDIR="$WORK/dest" cmake --install "$BUILD" --prefix /usr/local >"$WORK/install.log" ||
    fail "cmake --install failed: $(tail -3 "$WORK/install.log")"
for p in dbdump dbrestore; do
    page="$WORK/dest/usr/local/share/man/man1/$p.1"
    [ -f "$page" ] || fail "$page not installed"
    [ -x "$WORK/dest/usr/local/bin/$p" ] || fail "$p binary not installed"
    command -v man >/dev/null || fail "man not found"
    MANWIDTH=80 man --warnings -l "$page" >"$WORK/$p.txt" 2>"$WORK/$p.warn" || fail "man -l $p"
    [ ! -s "$WORK/$p.warn" ] || fail "$p.1 warnings: $(head -3 "$WORK/$p.warn")"
    grep -q "^NAME" "$WORK/$p.txt" || fail "$p.1 has no NAME section"
    bin=$DBDUMP
    [ $p = dbrestore ] && bin=$DBRESTORE
    "$bin" --help >"$WORK/$p.help"
    # each list is counted first: an empty one (a changed --help or page layout) must fail,
    # not pass a loop that never runs
    grep -o -- '--[a-z][a-z-]*' "$WORK/$p.help" | sort -u >"$WORK/$p.hopts"
    [ "$(wc -l <"$WORK/$p.hopts")" -ge 10 ] ||
        fail "$p --help lists $(wc -l <"$WORK/$p.hopts") long options (parsing broke?)"
    while read -r opt; do
        grep -q -- "$opt" "$WORK/$p.txt" || fail "$p.1 does not document $opt"
    done <"$WORK/$p.hopts"
    # options in the page's OPTIONS section exist in --help
    sed -n '/^OPTIONS/,/^[A-Z]/p' "$WORK/$p.txt" | grep -o -- '^ *--*[A-Za-z][a-z-]*' |
        tr -d ' ' | sort -u >"$WORK/$p.popts"
    [ "$(wc -l <"$WORK/$p.popts")" -ge 10 ] ||
        fail "$p.1 OPTIONS section lists $(wc -l <"$WORK/$p.popts") options (parsing broke?)"
    while read -r opt; do
        grep -q -- "$opt" "$WORK/$p.help" || fail "$p.1 documents $opt that --help lacks"
    done <"$WORK/$p.popts"
    sed -n '/^EXIT STATUS/,/^[A-Z]/p' "$WORK/$p.txt" >"$WORK/$p.exit"
    sed -n '/^Exit codes/,$p' "$WORK/$p.help" | grep -o '\b[0-9][0-9]* [A-Za-z-]' |
        cut -d' ' -f1 | sort -un >"$WORK/$p.codes"
    [ "$(wc -l <"$WORK/$p.codes")" -ge 8 ] ||
        fail "$p --help lists $(wc -l <"$WORK/$p.codes") exit codes (parsing broke?)"
    while read -r code; do
        grep -q "^ *$code  " "$WORK/$p.exit" || fail "$p.1 EXIT STATUS lacks code $code"
    done <"$WORK/$p.codes"
done
echo ok
