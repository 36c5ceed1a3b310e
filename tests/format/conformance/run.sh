#!/usr/bin/env bash
# run.sh GEN DBRESTORE WORKDIR - the conformance corpus of spec/FORMAT.md against dbrestore.
#
# GEN (conformance_gen, gen.c) writes the hand-built archives and their MANIFEST: per case its
# name, the verdict the spec's text requires and the rule it covers. Each archive is given to
# `dbrestore --check -q`, whose exit status and message must be the verdict's (dbrestore(1)):
#   accept     exit 0
#   corrupt    exit 4, "corrupt archive" (or "not a dbdump archive")
#   version    exit 4, "major version"
#   truncated  exit 5, "truncated archive" (or the ABORT's "the program that wrote")
set -uo pipefail
gen=$1 dbrestore=$2 work=$3
rm -rf "$work" && mkdir -p "$work" || exit 1
"$gen" "$work" >/dev/null || { echo "conformance: the generator failed" >&2; exit 1; }
n=0 bad=0
while read -r name verdict rule; do
    n=$((n + 1))
    "$dbrestore" --check -q -i "$work/$name.dbd" >/dev/null 2>"$work/$name.err"
    rc=$?
    err=$(head -c 300 "$work/$name.err")
    case $verdict in
    accept) want=0 pat='^$' ;;
    corrupt) want=4 pat='corrupt archive|not a dbdump archive' ;;
    version) want=4 pat='major version' ;;
    truncated) want=5 pat='truncated archive|the program that wrote' ;;
    *) echo "conformance: $name: unknown verdict $verdict" >&2; exit 1 ;;
    esac
    if [ "$rc" != "$want" ] || ! grep -Eq "$pat" <<<"$err"; then
        echo "FAIL $name (spec: $verdict, rule $rule): exit $rc: $err" >&2
        bad=$((bad + 1))
    fi
done <"$work/MANIFEST"
[ "$n" -gt 100 ] || { echo "conformance: only $n cases" >&2; exit 1; }
echo "conformance: $n cases, $bad not as the spec says"
[ "$bad" -eq 0 ]
