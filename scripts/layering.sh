#!/usr/bin/env bash
# scripts/layering.sh - fail when a source file includes a header it must not reach.
#
#   scripts/layering.sh [ROOT]
#
# The allowed arrows (engines/engine.h says why):
#   format/          -> format/
#   common/          -> common/, format/
#   engines/         -> engines/, common/, format/
#   engines/ENGINE/  -> its own folder, engines/, common/, format/
#   dump/, restore/  -> their own folder, engines/, common/, format/
# and each engine's client library only in that engine's folder: <libpq-fe.h> in engines/pg/,
# <mysql.h> and its companions in engines/mysql/, <sqlite3.h> in engines/sqlite/. A quoted include is looked up first beside the file, then
# by name among the project's headers; one that names no header of the project is an error
# too (a layering check that cannot see an include cannot check it).
set -uo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT" || exit 2

# The layer of a path: format, common, engines, engines/NAME, dump, restore.
layer() {
    case "$1" in
    format/*) echo format ;;
    common/*) echo common ;;
    engines/*/*) echo "engines/$(echo "$1" | cut -d/ -f2)" ;;
    engines/*) echo engines ;;
    dump/*) echo dump ;;
    restore/*) echo restore ;;
    *) echo other ;;
    esac
}

allowed() { # from to
    local from=$1 to=$2
    [ "$from" = "$to" ] && return 0
    case "$to" in format) return 0 ;; common) [ "$from" != format ] ;; engines)
        case "$from" in format | common) return 1 ;; *) return 0 ;; esac ;;
    *) return 1 ;;
    esac
}

declare -A where
while IFS= read -r h; do
    b=$(basename "$h")
    where[$b]="${where[$b]:-} $h"
done < <(find format common engines dump restore -name '*.h' | sort)

bad=0
checked=0
while IFS= read -r f; do
    from=$(layer "$f")
    dir=$(dirname "$f")
    while IFS= read -r line; do
        n=${line%%:*}
        inc=${line#*:}
        checked=$((checked + 1))
        if [[ $inc =~ \#include[[:space:]]*\<(libpq-fe|libpq/[a-z_-]+|mysql|errmsg|mysqld_error|sqlite3)\.h\> ]]; then
            lib=${BASH_REMATCH[1]}
            case $lib in libpq*) home=engines/pg ;; sqlite3) home=engines/sqlite ;; *) home=engines/mysql ;; esac
            if [ "$from" != "$home" ]; then
                echo "$f:$n: $lib.h is an engine's client library: only $home/ may include it"
                bad=$((bad + 1))
            fi
            continue
        fi
        [[ $inc =~ \#include[[:space:]]*\"([^\"]+)\" ]] || continue
        name=${BASH_REMATCH[1]}
        if [ -f "$dir/$name" ]; then
            continue
        fi
        hits=${where[$(basename "$name")]:-}
        if [ -z "$hits" ]; then
            echo "$f:$n: \"$name\" is no header of the project"
            bad=$((bad + 1))
            continue
        fi
        ok=0
        for h in $hits; do
            allowed "$from" "$(layer "$h")" && ok=1
        done
        if [ $ok = 0 ]; then
            set -- $hits
            echo "$f:$n: $from/ must not include $1 ($(layer "$1")/)"
            bad=$((bad + 1))
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$f")
done < <(find format common engines dump restore -name '*.[ch]' | sort)

if [ $bad -gt 0 ]; then
    echo "layering: $bad include(s) cross a boundary they must not" >&2
    exit 1
fi
echo "layering: $checked includes checked, none crosses a boundary"
