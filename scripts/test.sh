#!/usr/bin/env bash
# test.sh - the whole test suite, doing its own set-up (the README's test command).
#
#   scripts/test.sh
#
# Installs what is missing (scripts/deps.sh), builds a normal tree (build/), an ASan+UBSan
# tree (build-asan/) and a clang tree (build-clang/, with the libFuzzer target), starts a throwaway
# PostgreSQL and MariaDB on free loopback ports in a temporary directory, runs every ctest
# test in build/ and build-asan/ against them, fuzzes the reader for 60 s, and always stops the servers. Exits non-zero
# if anything failed. Works as root on a fresh Debian 12 machine (about 12 minutes on 2 CPUs
# plus the package installation). JOBS=N sets build parallelism (default: number of CPUs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

log() { echo "== test.sh: $*"; }
die() { echo "test.sh: $*" >&2; exit 1; }

for s in scripts/pg-server.sh scripts/mariadb-server.sh; do
    [ -f "$s" ] || die "$s is missing: the PostgreSQL/MariaDB test servers cannot be started"
done

log "dependencies"
scripts/deps.sh

log "build (build/)"
cmake -S . -B build >/dev/null
cmake --build build -j "$jobs"
log "build with ASan+UBSan (build-asan/)"
cmake -S . -B build-asan -DDBD_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
log "build with clang, warnings as errors (build-clang/, plus the libFuzzer target)"
cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DDBD_FUZZ=ON >/dev/null
cmake --build build-clang -j "$jobs" >/dev/null

# A free TCP port on 127.0.0.1 (nothing answers there), not in the list given.
free_port() {
    local p
    for _ in $(seq 200); do
        p=$(( 20000 + (RANDOM % 30000) ))
        case " $* " in *" $p "*) continue ;; esac
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}

servers=$(mktemp -d /tmp/dbdump-test.XXXXXX)
chmod 755 "$servers" # the PostgreSQL server runs as user postgres and must reach its dir
pg_started=0 my_started=0
cleanup() {
    local st=$?
    [ "$pg_started" = 1 ] && { scripts/pg-server.sh stop "$servers/pg" || true; }
    [ "$my_started" = 1 ] && { scripts/mariadb-server.sh stop "$servers/mariadb" || true; }
    rm -rf "$servers"
    exit "$st"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_port=$(free_port)
my_port=$(free_port "$pg_port")
log "PostgreSQL on 127.0.0.1:$pg_port"
pg_started=1
scripts/pg-server.sh start "$servers/pg" "$pg_port"
log "MariaDB on 127.0.0.1:$my_port"
my_started=1
scripts/mariadb-server.sh start "$servers/mariadb" "$my_port"
export DBT_PG_URL="postgresql://postgres@127.0.0.1:$pg_port/postgres"
export DBT_MYSQL_URL="mysql://root@127.0.0.1:$my_port/"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}

failed=""
for tree in build build-asan; do
    log "ctest in $tree/"
    if ! ctest --test-dir "$tree" --output-on-failure; then
        failed="$failed $tree"
    fi
done
# A short real fuzzing run of the archive reader (libFuzzer, ASan+UBSan), from the committed
# corpus; the long run is in tests/fuzz/README.md. A crash fails the run.
log "fuzz the archive reader for ${FUZZ_SECONDS:-60} s"
fuzz_dir=$(mktemp -d)
cp tests/fuzz/corpus/* "$fuzz_dir/"
if ! (cd "$fuzz_dir" && "$root/build-clang/tests/fuzz/fuzz_reader" \
        -max_total_time="${FUZZ_SECONDS:-60}" -rss_limit_mb=1024 -malloc_limit_mb=512 \
        -max_len=65536 -print_final_stats=1 . >"$fuzz_dir.log" 2>&1); then
    tail -40 "$fuzz_dir.log" >&2
    failed="$failed fuzz"
else
    grep -E '^(stat::number_of_executed_runs|Done)' "$fuzz_dir.log" || true
fi
rm -rf "$fuzz_dir" "$fuzz_dir.log"
# The same for `dbrestore --check` end to end (fuzz_check: dbr_run, tests/fuzz/README.md).
log "fuzz dbrestore --check for ${FUZZ_CHECK_SECONDS:-30} s"
fuzz_dir=$(mktemp -d)
cp tests/fuzz/corpus-check/* "$fuzz_dir/"
if ! (cd "$fuzz_dir" && "$root/build-clang/tests/fuzz/fuzz_check" \
        -max_total_time="${FUZZ_CHECK_SECONDS:-30}" -rss_limit_mb=1024 -malloc_limit_mb=512 \
        -max_len=65536 -print_final_stats=1 . >"$fuzz_dir.log" 2>&1); then
    tail -40 "$fuzz_dir.log" >&2
    failed="$failed fuzz_check"
else
    grep -E '^(stat::number_of_executed_runs|Done)' "$fuzz_dir.log" || true
fi
rm -rf "$fuzz_dir" "$fuzz_dir.log"
if [ -n "$failed" ]; then
    echo "test.sh: FAILED in:$failed" >&2
    exit 1
fi
log "all tests passed in build/ and build-asan/, and the fuzz runs found nothing"
