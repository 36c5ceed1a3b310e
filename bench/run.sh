#!/usr/bin/env bash
# bench/run.sh - dbdump/dbrestore against the tools people use today, side by side, one run.
#
#   bench/run.sh [--rows N | --10m] [--small-rows N] [--reps N] [--cases LIST] [--results]
#                [--baseline DIR]
#
# Installs what it needs from Debian, builds the project in Release, generates a deterministic
# dataset, loads it into SQLite, PostgreSQL and MariaDB (servers started and stopped here, in a
# temporary directory), times every case interleaved and repeated, and writes a markdown report
# to bench/out/report.md (and to bench/RESULTS.md with --results). With --baseline DIR, every
# step of ours is also timed with the dbdump/dbrestore of DIR (another build), interleaved, and
# the report gives the ratios current/baseline. See bench/README.md.
#
# The harness reports; it never fails because something is slow. A dbdump/dbrestore step that
# fails shows as FAILED in the table, with its error; the peers are measured all the same.
set -uo pipefail
# The whole script is one compound command, read entirely before it runs: editing this file
# while a long run is in progress cannot change that run.
{

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ORIG_ARGS="$*"
ROWS=1000000
SMALL_ROWS=""
REPS=3
CASES="pg,mysql,sqlite,migrate,memory,compress,jobs"
ENGINES="pg,mysql,sqlite"
SWEEP_LEVELS="1 3 6 9"
SWEEP_THREADS="2"
BUILD_DIR="$ROOT/build-bench"
OUT_DIR="$ROOT/bench/out"
WORK_PARENT=${TMPDIR:-/tmp}
TIMEOUT=1800
PGLOADER_TIMEOUT=900
INSTALL=1
BUILD=1
KEEP=0
WRITE_RESULTS=0
DBDUMP_ARGS=""
DBRESTORE_ARGS=""
NOTE=""
BASELINE=""

usage() {
    cat <<EOF
usage: bench/run.sh [options]
  --rows N             rows in the main dataset (default 1000000)
  --10m                the 10,000,000-row dataset (same as --rows 10000000)
  --small-rows N       rows in the small dataset used for the memory comparison and for
                       pgloader's own size (default 100000, or ROWS/10 when ROWS <= 100000)
  --reps N             repetitions of every timed command; the median is reported (default 3)
  --cases LIST         comma-separated subset of: pg,mysql,sqlite,migrate,memory,compress,
                       jobs, jobs-one (default all but jobs-one; jobs: dbdump -j 2 and
                       dbrestore -j 2 beside pg_dump -j 2 -Fd, pg_restore -j 2, pgcopydb,
                       mydumper -t 2, myloader -t 2, on one table and on 8 tables with
                       indexes; jobs-one: the one table only)
  --engines LIST       comma-separated subset of: pg,mysql,sqlite (default all); e.g.
                       "--10m --cases memory --engines sqlite" times only our programs,
                       on SQLite, at 10M and at the small size
  --levels "L..."      compression levels of the compress case (default "1 3 6 9")
  --threads "T..."     --threads values of the compress case, when dbdump has it (default "2")
  --timeout SEC        per-command time limit (default 1800; pgloader: --pgloader-timeout, 900)
  --dbdump-args STR    extra arguments for every dbdump run (e.g. "--compress-level 3")
  --dbrestore-args STR extra arguments for every dbrestore run
  --build-dir DIR      CMake build directory (default build-bench)
  --out DIR            report directory (default bench/out)
  --workdir DIR        where the temporary directory goes (default \$TMPDIR or /tmp; about
                       6 GB per million rows; the postgres user must be able to reach it)
  --no-install         do not apt-get install missing packages
  --no-build           use the binaries already in the build directory
  --keep               keep the temporary directory (databases, archives, logs)
  --results            also write bench/RESULTS.md from this run
  --note TEXT          a note printed at the top of the report (e.g. what else ran)
  --baseline DIR       DIR holds another build's dbdump and dbrestore (e.g. a Release build
                       of an older commit): every step of ours is also timed with them, in
                       the same repetitions, and the report gives current/baseline ratios
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS=$2; shift 2 ;;
        --10m) ROWS=10000000; shift ;;
        --small-rows) SMALL_ROWS=$2; shift 2 ;;
        --reps) REPS=$2; shift 2 ;;
        --cases) CASES=$2; shift 2 ;;
        --engines) ENGINES=$2; shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --levels) SWEEP_LEVELS=$2; shift 2 ;;
        --threads) SWEEP_THREADS=$2; shift 2 ;;
        --pgloader-timeout) PGLOADER_TIMEOUT=$2; shift 2 ;;
        --dbdump-args) DBDUMP_ARGS=$2; shift 2 ;;
        --dbrestore-args) DBRESTORE_ARGS=$2; shift 2 ;;
        --build-dir) BUILD_DIR=$2; shift 2 ;;
        --out) OUT_DIR=$2; shift 2 ;;
        --workdir) WORK_PARENT=$2; shift 2 ;;
        --no-install) INSTALL=0; shift ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        --results) WRITE_RESULTS=1; shift ;;
        --note) NOTE=$2; shift 2 ;;
        --baseline) BASELINE=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
case "$ROWS$REPS" in *[!0-9]*|'') echo "run.sh: --rows/--reps take numbers" >&2; exit 2 ;; esac
if [ -z "$SMALL_ROWS" ]; then
    if [ "$ROWS" -le 100000 ]; then SMALL_ROWS=$((ROWS / 10)); else SMALL_ROWS=100000; fi
fi
[ "$SMALL_ROWS" -ge 1 ] || SMALL_ROWS=1
if [ -n "$BASELINE" ]; then
    [ -d "$BASELINE" ] || { echo "run.sh: --baseline: $BASELINE is not a directory" >&2; exit 2; }
    BASELINE=$(cd "$BASELINE" && pwd)
fi
has_case() { case ",$CASES," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
has_engine() { case ",$ENGINES," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. Packages
# ---------------------------------------------------------------------------------------------
PKGS="build-essential cmake pkg-config sqlite3 libsqlite3-dev postgresql postgresql-client
      libpq-dev mariadb-server mariadb-client libmariadb-dev default-libmysqlclient-dev zstd
      libzstd-dev libmsgpack-dev libxxhash-dev pgloader mydumper pgcopydb time python3"
if [ "$INSTALL" -eq 1 ]; then
    missing=""
    for p in $PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        log "installing:$missing"
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO=sudo
        $SUDO apt-get update -qq >/dev/null || die "apt-get update failed"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null ||
            die "apt-get install failed:$missing"
    fi
fi
for c in sqlite3 psql pg_dump pg_restore mysql mysqldump zstd /usr/bin/time python3; do
    command -v "$c" >/dev/null 2>&1 || die "$c not found (run without --no-install)"
done
PGLOADER=$(command -v pgloader || true)

# ---------------------------------------------------------------------------------------------
# 2. Work directory, build, generator
# ---------------------------------------------------------------------------------------------
mkdir -p "$WORK_PARENT" || die "cannot create $WORK_PARENT"
WORK_PARENT=$(cd "$WORK_PARENT" && pwd)
# About 6 GB of disk per million rows: three databases, restore targets, seven archives.
need_kb=$((ROWS * 6))
avail_kb=$(df -Pk "$WORK_PARENT" | awk 'NR == 2 { print $4 }')
if [ -n "$avail_kb" ] && [ "$avail_kb" -lt "$need_kb" ]; then
    log "WARNING: $WORK_PARENT has $((avail_kb / 1048576)) GiB free; $ROWS rows need about $((need_kb / 1048576)) GiB (use --workdir)"
fi
WORK=$(mktemp -d "$WORK_PARENT/dbbench.XXXXXX")
chmod 755 "$WORK" # the postgres user must reach its data directory below
RES="$WORK/res"
LOGS="$WORK/logs"
ARC="$WORK/archives"
mkdir -p "$RES" "$LOGS" "$ARC" "$OUT_DIR"
PG_DIR="$WORK/pg"
MY_DIR="$WORK/mariadb"
PG_STARTED=0
MY_STARTED=0

cleanup() {
    if [ "$PG_STARTED" -eq 1 ]; then "$ROOT/scripts/pg-server.sh" stop "$PG_DIR" >/dev/null 2>&1; fi
    if [ "$MY_STARTED" -eq 1 ]; then mariadb_stop; fi
    if [ "$KEEP" -eq 1 ]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

uptime >"$RES/load_start"
cut -d' ' -f1-3 /proc/loadavg >"$RES/loadavg_start"
echo 0 >"$RES/load_max"

# Each program is built on its own: one that does not build fails its own rows only.
DBDUMP="$BUILD_DIR/dbdump"
DBRESTORE="$BUILD_DIR/dbrestore"
DUMP_ERR=""
RESTORE_ERR=""
build_error() { # LOG -> the first compiler/CMake error, on one line
    grep -m1 -E 'error:|Error' "$1" | sed "s|$ROOT/||" | cut -c1-160
}
# the commit the binaries are built from (HEAD may move while the benchmark runs)
BUILD_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- dump restore format common 2>/dev/null || echo '+local changes')"
[ "$BUILD" -eq 1 ] || BUILD_COMMIT="$BUILD_COMMIT (--no-build: binaries in $BUILD_DIR as they were)"
if [ "$BUILD" -eq 1 ]; then
    log "building (Release) in $BUILD_DIR"
    if ! cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >"$LOGS/cmake.log" 2>&1; then
        DUMP_ERR="build failed: $(build_error "$LOGS/cmake.log")"
        RESTORE_ERR=$DUMP_ERR
    else
        cmake --build "$BUILD_DIR" -j2 --target dbdump >"$LOGS/build-dbdump.log" 2>&1 ||
            DUMP_ERR="build failed: $(build_error "$LOGS/build-dbdump.log")"
        cmake --build "$BUILD_DIR" -j2 --target dbrestore >"$LOGS/build-dbrestore.log" 2>&1 ||
            RESTORE_ERR="build failed: $(build_error "$LOGS/build-dbrestore.log")"
    fi
fi
[ -n "$DUMP_ERR" ] || [ -x "$DBDUMP" ] || DUMP_ERR="dbdump not built in $BUILD_DIR"
[ -n "$RESTORE_ERR" ] || [ -x "$DBRESTORE" ] || RESTORE_ERR="dbrestore not built in $BUILD_DIR"
[ -z "$DUMP_ERR" ] || log "dbdump: $DUMP_ERR (its rows show FAILED; peers are still measured)"
[ -z "$RESTORE_ERR" ] || log "dbrestore: $RESTORE_ERR (its rows show FAILED; peers are still measured)"

# The baseline: another build's binaries, used as they are (never built here). One that is
# missing fails its own rows only.
BASE_DBDUMP=""
BASE_DBRESTORE=""
BASE_DUMP_ERR=""
BASE_RESTORE_ERR=""
BASE_VERSION=""
BASE_SRC=""
if [ -n "$BASELINE" ]; then
    BASE_DBDUMP="$BASELINE/dbdump"
    BASE_DBRESTORE="$BASELINE/dbrestore"
    [ -x "$BASE_DBDUMP" ] || BASE_DUMP_ERR="not found (no executable $BASE_DBDUMP)"
    [ -x "$BASE_DBRESTORE" ] || BASE_RESTORE_ERR="not found (no executable $BASE_DBRESTORE)"
    [ -n "$BASE_DUMP_ERR" ] || BASE_VERSION=$("$BASE_DBDUMP" --version 2>&1 | head -n 1)
    # the source it was configured from, and that source's commit, when it is a CMake build
    BASE_SRC=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BASELINE/CMakeCache.txt" 2>/dev/null)
    if [ -n "$BASE_SRC" ] && git -C "$BASE_SRC" rev-parse --short HEAD >/dev/null 2>&1; then
        BASE_SRC="$BASE_SRC at $(git -C "$BASE_SRC" rev-parse --short HEAD)"
    fi
    log "baseline: $BASELINE (${BASE_VERSION:-no dbdump}${BASE_SRC:+; source $BASE_SRC})"
    [ -z "$BASE_DUMP_ERR" ] || log "baseline dbdump: $BASE_DUMP_ERR (its rows show FAILED)"
    [ -z "$BASE_RESTORE_ERR" ] || log "baseline dbrestore: $BASE_RESTORE_ERR (its rows show FAILED)"
fi

GEN="$WORK/gen"
cc -O2 -std=c11 -Wall -Wextra -o "$GEN" "$ROOT/bench/gen.c" -lsqlite3 >"$LOGS/gen-build.log" 2>&1 ||
    die "cannot build bench/gen.c: $(cat "$LOGS/gen-build.log")"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---------------------------------------------------------------------------------------------
# 3. Servers
# ---------------------------------------------------------------------------------------------
PG_PORT=$(free_port)
MY_PORT=$(free_port)
while [ "$MY_PORT" = "$PG_PORT" ]; do MY_PORT=$(free_port); done

mariadb_start() {
    "$ROOT/scripts/mariadb-server.sh" start "$MY_DIR" "$MY_PORT" >"$LOGS/mariadb-start.log" 2>&1
}
mariadb_stop() {
    "$ROOT/scripts/mariadb-server.sh" stop "$MY_DIR" >/dev/null 2>&1
}

# Which engines' rows to time: ours (OURS_x: at the main size), peers (PEER_x), the memory
# comparison at the small size (SMALL_x).
OURS_PG=0; OURS_MY=0; OURS_SQ=0; PEER_PG=0; PEER_MY=0; PEER_SQ=0; SMALL_PG=0; SMALL_MY=0
SMALL_SQ=0; MIGRATE=0; COMPRESS=0; JOBS_PG=0; JOBS_MY=0
JOBS8=0 # jobs: the one table and the 8-table set; jobs-one: the one table only (10M rows)
has_case jobs && JOBS8=1
has_engine pg && { has_case jobs || has_case jobs-one; } && JOBS_PG=1
has_engine mysql && { has_case jobs || has_case jobs-one; } && JOBS_MY=1
if has_engine pg; then
    { has_case pg || has_case memory; } && OURS_PG=1
    has_case pg && PEER_PG=1
    has_case memory && SMALL_PG=1
    has_case compress && COMPRESS=1
fi
if has_engine mysql; then
    { has_case mysql || has_case memory; } && OURS_MY=1
    has_case mysql && PEER_MY=1
    has_case memory && SMALL_MY=1
fi
if has_engine sqlite; then
    { has_case sqlite || has_case memory; } && OURS_SQ=1
    has_case sqlite && PEER_SQ=1
    has_case memory && SMALL_SQ=1
    has_engine pg && has_case migrate && MIGRATE=1
fi
# The datasets go only where a case reads them.
PG_DATA=$((OURS_PG | COMPRESS | JOBS_PG))
PG_NEEDED=$((PG_DATA | MIGRATE))
MY_NEEDED=$((OURS_MY | JOBS_MY))
SQ_NEEDED=$((OURS_SQ | MIGRATE))

if [ "$PG_NEEDED" -eq 1 ]; then
    log "starting PostgreSQL on port $PG_PORT"
    "$ROOT/scripts/pg-server.sh" start "$PG_DIR" "$PG_PORT" >"$LOGS/pg-start.log" 2>&1 ||
        die "PostgreSQL did not start: $(tail -n 5 "$LOGS/pg-start.log")"
    PG_STARTED=1
fi
PGBASE="postgresql://postgres@127.0.0.1:$PG_PORT"
if [ "$MY_NEEDED" -eq 1 ]; then
    log "starting MariaDB on port $MY_PORT"
    MY_STARTED=1
    mariadb_start || die "MariaDB did not start: $(tail -n 5 "$LOGS/mariadb-start.log")"
fi
MYBASE="mysql://root@127.0.0.1:$MY_PORT"
MYCLI="mysql --no-defaults -h 127.0.0.1 -P $MY_PORT -u root"

psql_c() { psql -X -q -v ON_ERROR_STOP=1 -d "$PGBASE/$1" -c "$2"; }
my_c() { $MYCLI -e "$1"; }

# ---------------------------------------------------------------------------------------------
# 4. Datasets: "main" (ROWS) and "small" (SMALL_ROWS), the same rows in every engine
# ---------------------------------------------------------------------------------------------
load_dataset() { # NAME ROWS
    local name=$1 n=$2
    if [ "$PG_DATA" -eq 1 ]; then
        log "loading $n rows into PostgreSQL database $name"
        psql_c postgres "CREATE DATABASE $name" >/dev/null || die "createdb $name"
        "$GEN" 0 schema pg | psql -X -q -v ON_ERROR_STOP=1 -d "$PGBASE/$name" >/dev/null ||
            die "schema $name"
        "$GEN" "$n" pg "$RES/$name.textbytes" |
            psql -X -q -v ON_ERROR_STOP=1 -d "$PGBASE/$name" -c "COPY bench_wide FROM STDIN" ||
            die "PostgreSQL load of $name failed"
        psql_c "$name" "VACUUM ANALYZE bench_wide" >/dev/null || die "vacuum $name"
    fi
    if [ "$MY_NEEDED" -eq 1 ]; then
        log "loading $n rows into MariaDB database $name"
        my_c "CREATE DATABASE $name CHARACTER SET utf8mb4" || die "create database $name"
        "$GEN" 0 schema mysql | $MYCLI "$name" || die "schema $name"
        "$GEN" "$n" mysql "$RES/$name.textbytes.my" |
            $MYCLI --local-infile=1 "$name" -e "SET time_zone='+00:00';
                LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE bench_wide CHARACTER SET utf8mb4
                FIELDS TERMINATED BY '\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\n'
                (id, n_int, n_double, amount, flag, code, body, @secret, d, ts, tstz, uid, doc)
                SET secret = UNHEX(@secret);
                ANALYZE TABLE bench_wide;" >/dev/null || die "MariaDB load of $name failed"
    fi
    if [ "$SQ_NEEDED" -eq 1 ]; then
        log "writing $n rows to SQLite $name.db"
        "$GEN" "$n" sqlite "$WORK/$name.db" || die "SQLite load of $name failed"
    fi
    # Raw size of the table, for MB/s: its PostgreSQL COPY text (the same for every engine).
    [ -f "$RES/$name.textbytes" ] || "$GEN" "$n" pg "$RES/$name.textbytes" >/dev/null
}

load_dataset bench "$ROWS"
load_dataset bench_small "$SMALL_ROWS"

# The jobs case's second dataset, bench8: the same rows spread over 8 tables t0..t7 (row i in
# t(i % 8)), each with its primary key and 3 secondary indexes, as an application has them.
SPLIT8_SQL=""
for i in 0 1 2 3 4 5 6 7; do
    SPLIT8_SQL="$SPLIT8_SQL CREATE TABLE t$i AS SELECT * FROM bench_wide WHERE id % 8 = $i;
        ALTER TABLE t$i ADD PRIMARY KEY (id); CREATE INDEX t${i}_n ON t$i (n_int);
        CREATE INDEX t${i}_c ON t$i (code); CREATE INDEX t${i}_ts ON t$i (ts);"
done
union8() { # [DB.]: the 8 tables as one derived table, for the fingerprints
    local i u=""
    for i in 0 1 2 3 4 5 6 7; do u="$u${u:+ UNION ALL }SELECT * FROM ${1:-}t$i"; done
    echo "($u)"
}
if [ "$JOBS8" -eq 1 ] && { [ "$JOBS_PG" -eq 1 ] || [ "$JOBS_MY" -eq 1 ]; }; then
    PG_SAVE=$PG_DATA MY_SAVE=$MY_NEEDED SQ_SAVE=$SQ_NEEDED
    PG_DATA=$JOBS_PG MY_NEEDED=$JOBS_MY SQ_NEEDED=0
    load_dataset bench8 "$ROWS"
    PG_DATA=$PG_SAVE MY_NEEDED=$MY_SAVE SQ_NEEDED=$SQ_SAVE
    log "splitting bench8 into 8 tables with 3 secondary indexes each"
    if [ "$JOBS_PG" -eq 1 ]; then
        psql -X -q -v ON_ERROR_STOP=1 -d "$PGBASE/bench8" -c "$SPLIT8_SQL DROP TABLE bench_wide" >/dev/null &&
            psql_c bench8 "VACUUM ANALYZE" >/dev/null || die "splitting bench8 (PostgreSQL)"
    fi
    if [ "$JOBS_MY" -eq 1 ]; then
        $MYCLI bench8 -e "$SPLIT8_SQL DROP TABLE bench_wide; ANALYZE TABLE t0, t1, t2, t3, t4, t5, t6, t7" >/dev/null ||
            die "splitting bench8 (MariaDB)"
    fi
fi

# ---------------------------------------------------------------------------------------------
# 5. Commands. Each command ID has: metadata, an untimed setup, the timed command, and an
#    untimed verification that prints the number of rows it finds (or "ok").
#    In commands, `t PROG ARGS` runs PROG under GNU time to record its peak RSS.
# ---------------------------------------------------------------------------------------------
IDS=()
GROUPS_ORDER=()
declare -A GROUP_IDS
def() { # ID GROUP KIND ROWS-NAME LABEL ARCHIVE SETUP CMD VERIFY EXPECT
    local id=$1
    IDS+=("$id")
    [ -n "${GROUP_IDS[$2]:-}" ] || GROUPS_ORDER+=("$2")
    GROUP_IDS[$2]="${GROUP_IDS[$2]:-} $id"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$2" "$3" "$4" "$5" "$6" >"$RES/$id.meta"
    printf '%s\n' "$7" >"$RES/$id.setup"
    printf '%s\n' "$8" >"$RES/$id.cmd"
    printf '%s\n' "$9" >"$RES/$id.verify"
    printf '%s\n' "${10}" >"$RES/$id.expect"
}

pg_recreate() { echo "psql -X -q -d $PGBASE/postgres -c 'DROP DATABASE IF EXISTS $1 WITH (FORCE)' -c 'CREATE DATABASE $1'"; }
pg_count() { echo "psql -X -A -t -q -d $PGBASE/$1 -c 'SELECT count(*) FROM bench_wide'"; }
# Content fingerprints "ROWS:HASH" of bench_wide, for restores into the same engine: the
# restored table must give the source's fingerprint (same values, same types).
pg_fp() { # DB [FROM]: FROM defaults to the one table bench_wide
    echo "psql -X -A -t -q -d $PGBASE/$1 -c \"SELECT count(*) || ':' || md5(string_agg(md5(t::text), '' ORDER BY id)) FROM ${2:-bench_wide} t\""
}
my_fp() {
    local cols="" c
    for c in id n_int n_double amount flag code body 'HEX(secret)' d ts tstz uid doc; do
        cols="$cols, IFNULL($c, '~')"
    done
    echo "$MYCLI -N -B -e \"SELECT CONCAT(COUNT(*), ':', SUM(CAST(CONV(SUBSTR(MD5(CONCAT_WS('#'$cols)), 1, 12), 16, 10) AS UNSIGNED))) FROM ${2:-$1.bench_wide}\""
}
sq_fp() {
    echo "sqlite3 $1 \"SELECT count(*) || ':' || lower(hex(sha3_query('SELECT * FROM bench_wide ORDER BY id'))) FROM bench_wide\""
}
fp_of() { # ENGINE DB [FROM]: the source's fingerprint, computed once
    local f="$RES/fp.$1.$2"
    if [ ! -f "$f" ]; then
        case $1 in
            pg) bash -c "$(pg_fp "$2" "${3:-}")" >"$f" ;;
            my) bash -c "$(my_fp "$2" "${3:-}")" >"$f" ;;
            sq) bash -c "$(sq_fp "$WORK/$2.db")" >"$f" ;;
        esac || die "cannot fingerprint $1 $2"
    fi
    tr -d '[:space:]' <"$f"
}
my_recreate() { echo "$MYCLI -e 'DROP DATABASE IF EXISTS $1; CREATE DATABASE $1 CHARACTER SET utf8mb4'"; }
# Our steps are defined once per build: the current one, and with --baseline the baseline's
# right after it, in the same group (so in the same repetitions, taking turns with the others),
# with the same arguments but its own binaries, archives (pg_base.dbd, ...) and targets (r_base,
# m_base), and an ID ending in _base. use_build sets what the definitions read: D and R (our
# commands), CHECK_OURS, who (the kind of the rows, and the name of their targets), X (the ID
# and archive suffix) and LB (the label prefix).
BUILDS="ours"
[ -z "$BASELINE" ] || BUILDS="ours base"
use_build() { # ours|base
    local dump=$DBDUMP restore=$DBRESTORE restore_err=$RESTORE_ERR
    who=$1; X=""; LB=""
    if [ "$who" = base ]; then
        dump=$BASE_DBDUMP; restore=$BASE_DBRESTORE; restore_err=$BASE_RESTORE_ERR
        X="_base"; LB="baseline "
    fi
    D="$dump${DBDUMP_ARGS:+ $DBDUMP_ARGS}"
    R="$restore${DBRESTORE_ARGS:+ $DBRESTORE_ARGS}"
    # A dump's archive is read back whole by dbrestore --check (of the same build); without a
    # dbrestore, only its existence can be checked (the report says so).
    if [ -z "$restore_err" ]; then CHECK_OURS="$R --check -i"; else CHECK_OURS="test -s"; fi
}

for size in main small; do
    if [ $size = main ]; then db=bench; n=$ROWS; sfx=""; else db=bench_small; n=$SMALL_ROWS; sfx="_s"; fi
    if { [ $size = main ] && [ $OURS_PG -eq 1 ]; } || { [ $size = small ] && [ $SMALL_PG -eq 1 ]; }; then
        g="PostgreSQL dump"; [ $size = main ] || g="memory: small"
        for b in $BUILDS; do
            use_build $b
            def "pg_dbdump$sfx$X" "$g" $who $size "${LB}dbdump${sfx:+ PostgreSQL}" "$ARC/pg$sfx$X.dbd" \
                "rm -f $ARC/pg$sfx$X.dbd" \
                "t $D -o $ARC/pg$sfx$X.dbd $PGBASE/$db" "$CHECK_OURS $ARC/pg$sfx$X.dbd && echo ok" ok
            def "pg_restore_dbr$sfx$X" "${g/dump/restore}" $who $size "${LB}dbrestore${sfx:+ PostgreSQL}" \
                "$ARC/pg$sfx$X.dbd" "$(pg_recreate r_$who)" \
                "t $R -i $ARC/pg$sfx$X.dbd $PGBASE/r_$who" "$(pg_fp r_$who)" "$(fp_of pg $db)"
        done
    fi
    if [ $size = main ] && [ $PEER_PG -eq 1 ]; then
        def pg_dump_fc "PostgreSQL dump" peer main "pg_dump -Fc" "$ARC/pg.custom" \
            "rm -f $ARC/pg.custom" \
            "t pg_dump -Fc -f $ARC/pg.custom $PGBASE/$db" "pg_restore -l $ARC/pg.custom >/dev/null && echo ok" ok
        def pg_dump_fp "PostgreSQL dump" peer main "pg_dump -Fp | zstd -3" "$ARC/pg.sql.zst" \
            "rm -f $ARC/pg.sql.zst" \
            "t pg_dump -Fp $PGBASE/$db | t zstd -3 -q -c >$ARC/pg.sql.zst" "zstd -q -t $ARC/pg.sql.zst && echo ok" ok
        def pg_restore_1 "PostgreSQL restore" peer main "pg_restore" "$ARC/pg.custom" \
            "$(pg_recreate r_peer)" \
            "t pg_restore -d $PGBASE/r_peer $ARC/pg.custom" "$(pg_fp r_peer)" "$(fp_of pg $db)"
        def pg_restore_j2 "PostgreSQL restore" peer main "pg_restore -j2" "$ARC/pg.custom" \
            "$(pg_recreate r_peer)" \
            "t pg_restore -j2 -d $PGBASE/r_peer $ARC/pg.custom" "$(pg_fp r_peer)" "$(fp_of pg $db)"
    fi
    # Parallel dumps, two connections each: ours into one archive, the peers into a directory.
    if [ $size = main ] && [ $JOBS_PG -eq 1 ]; then
        use_build ours
        def pg_dbdump_j2 "PostgreSQL dump, 2 connections" ours main "dbdump -j 2" "$ARC/pg_j2.dbd" \
            "rm -f $ARC/pg_j2.dbd" \
            "t $D -j 2 -o $ARC/pg_j2.dbd $PGBASE/$db" "$CHECK_OURS $ARC/pg_j2.dbd && echo ok" ok
        def pg_dump_j2 "PostgreSQL dump, 2 connections" peer main "pg_dump -j 2 -Fd" "$ARC/pg_j2.dir" \
            "rm -rf $ARC/pg_j2.dir" \
            "t pg_dump -j 2 -Fd -f $ARC/pg_j2.dir $PGBASE/$db" "pg_restore -l $ARC/pg_j2.dir >/dev/null && echo ok" ok
        def pg_dbrestore_j2 "PostgreSQL restore, 2 connections" ours main "dbrestore -j 2 (stdin)" \
            "$ARC/pg_j2.dbd" "$(pg_recreate r_ours)" "t $R -j 2 $PGBASE/r_ours <$ARC/pg_j2.dbd" \
            "$(pg_fp r_ours)" "$(fp_of pg $db)"
        def pg_restore_j2d "PostgreSQL restore, 2 connections" peer main "pg_restore -j 2" \
            "$ARC/pg_j2.dir" "$(pg_recreate r_peer)" "t pg_restore -j 2 -d $PGBASE/r_peer $ARC/pg_j2.dir" \
            "$(pg_fp r_peer)" "$(fp_of pg $db)"
        # one pipe from server to server: ours through the archive stream, pgcopydb direct
        def pg_pipe_j2 "PostgreSQL to PostgreSQL, 2 connections" ours main \
            "dbdump -j 2 | dbrestore -j 2" "" "$(pg_recreate r_ours)" \
            "t $D -j 2 $PGBASE/$db | t $R -j 2 $PGBASE/r_ours" "$(pg_fp r_ours)" "$(fp_of pg $db)"
        if command -v pgcopydb >/dev/null; then
            def pg_pgcopydb "PostgreSQL to PostgreSQL, 2 connections" peer main \
                "pgcopydb clone (2 table, 2 index jobs)" "" \
                "$(pg_recreate r_peer); rm -rf $WORK/pgcopydb" \
                "t pgcopydb clone --source $PGBASE/$db --target $PGBASE/r_peer --table-jobs 2 --index-jobs 2 --dir $WORK/pgcopydb" \
                "$(pg_fp r_peer)" "$(fp_of pg $db)"
        fi
    fi
    if [ $size = main ] && [ $JOBS_MY -eq 1 ]; then
        use_build ours
        def my_dbdump_j2 "MySQL dump, 2 connections" ours main "dbdump -j 2" "$ARC/my_j2.dbd" \
            "rm -f $ARC/my_j2.dbd" \
            "t $D -j 2 -o $ARC/my_j2.dbd $MYBASE/$db" "$CHECK_OURS $ARC/my_j2.dbd && echo ok" ok
        if command -v mydumper >/dev/null; then
            def my_mydumper_t2 "MySQL dump, 2 connections" peer main "mydumper -t 2 -c" "$ARC/my_j2.dir" \
                "rm -rf $ARC/my_j2.dir" \
                "t mydumper -h 127.0.0.1 -P $MY_PORT -u root -t 2 -c -r 250000 -B $db -o $ARC/my_j2.dir" \
                "test -s $ARC/my_j2.dir/metadata && echo ok" ok
        fi
        def my_dbrestore_j2 "MySQL restore, 2 connections" ours main "dbrestore -j 2" "$ARC/my_j2.dbd" \
            "$(my_recreate r_ours)" \
            "t $R -j 2 -i $ARC/my_j2.dbd $MYBASE/r_ours" "$(my_fp r_ours)" "$(fp_of my $db)"
        if command -v myloader >/dev/null; then
            def my_myloader_t2 "MySQL restore, 2 connections" peer main "myloader -t 2" "$ARC/my_j2.dir" \
                "$MYCLI -e 'DROP DATABASE IF EXISTS r_peer'" \
                "t myloader -h 127.0.0.1 -P $MY_PORT -u root -t 2 -d $ARC/my_j2.dir -B r_peer" \
                "$(my_fp r_peer)" "$(fp_of my $db)"
        fi
    fi
    # The 8-table set: the data and 3 secondary indexes per table, restores included.
    if [ $size = main ] && [ $JOBS8 -eq 1 ] && [ $JOBS_PG -eq 1 ]; then
        use_build ours
        g8="PostgreSQL, 8 tables with indexes, 2 connections"
        def pg8_dbdump_j2 "$g8: dump" ours main "dbdump -j 2" "$ARC/pg8.dbd" "rm -f $ARC/pg8.dbd" \
            "t $D -j 2 -o $ARC/pg8.dbd $PGBASE/bench8" "$CHECK_OURS $ARC/pg8.dbd && echo ok" ok
        def pg8_dump_j2 "$g8: dump" peer main "pg_dump -j 2 -Fd" "$ARC/pg8.dir" "rm -rf $ARC/pg8.dir" \
            "t pg_dump -j 2 -Fd -f $ARC/pg8.dir $PGBASE/bench8" "pg_restore -l $ARC/pg8.dir >/dev/null && echo ok" ok
        def pg8_dbrestore_j2 "$g8: restore" ours main "dbrestore -j 2 (stdin)" "$ARC/pg8.dbd" \
            "$(pg_recreate r_ours)" "t $R -j 2 $PGBASE/r_ours <$ARC/pg8.dbd" \
            "$(pg_fp r_ours "$(union8)")" "$(fp_of pg bench8 "$(union8)")"
        def pg8_dbrestore "$g8: restore" ours main "dbrestore (one connection)" "$ARC/pg8.dbd" \
            "$(pg_recreate r_ours)" "t $R -i $ARC/pg8.dbd $PGBASE/r_ours" \
            "$(pg_fp r_ours "$(union8)")" "$(fp_of pg bench8 "$(union8)")"
        def pg8_pipe_j2 "$g8: server to server" ours main "dbdump -j 2 | dbrestore -j 2" "" \
            "$(pg_recreate r_ours)" "t $D -j 2 $PGBASE/bench8 | t $R -j 2 $PGBASE/r_ours" \
            "$(pg_fp r_ours "$(union8)")" "$(fp_of pg bench8 "$(union8)")"
        if command -v pgcopydb >/dev/null; then
            def pg8_pgcopydb "$g8: server to server" peer main "pgcopydb clone (2 table, 2 index jobs)" "" \
                "$(pg_recreate r_peer); rm -rf $WORK/pgcopydb" \
                "t pgcopydb clone --source $PGBASE/bench8 --target $PGBASE/r_peer --table-jobs 2 --index-jobs 2 --dir $WORK/pgcopydb" \
                "$(pg_fp r_peer "$(union8)")" "$(fp_of pg bench8 "$(union8)")"
        fi
        def pg8_restore_j2 "$g8: restore" peer main "pg_restore -j 2" "$ARC/pg8.dir" \
            "$(pg_recreate r_peer)" "t pg_restore -j 2 -d $PGBASE/r_peer $ARC/pg8.dir" \
            "$(pg_fp r_peer "$(union8)")" "$(fp_of pg bench8 "$(union8)")"
    fi
    if [ $size = main ] && [ $JOBS8 -eq 1 ] && [ $JOBS_MY -eq 1 ]; then
        use_build ours
        g8="MySQL, 8 tables with indexes, 2 connections"
        def my8_dbdump_j2 "$g8: dump" ours main "dbdump -j 2" "$ARC/my8.dbd" "rm -f $ARC/my8.dbd" \
            "t $D -j 2 -o $ARC/my8.dbd $MYBASE/bench8" "$CHECK_OURS $ARC/my8.dbd && echo ok" ok
        def my8_dbrestore_j2 "$g8: restore" ours main "dbrestore -j 2" "$ARC/my8.dbd" \
            "$(my_recreate r_ours)" "t $R -j 2 -i $ARC/my8.dbd $MYBASE/r_ours" \
            "$(my_fp r_ours "$(union8 r_ours.) AS u8")" "$(fp_of my bench8 "$(union8 bench8.) AS u8")"
        if command -v mydumper >/dev/null; then
            def my8_mydumper_t2 "$g8: dump" peer main "mydumper -t 2 -c" "$ARC/my8.dir" \
                "rm -rf $ARC/my8.dir" \
                "t mydumper -h 127.0.0.1 -P $MY_PORT -u root -t 2 -c -r 250000 -B bench8 -o $ARC/my8.dir" \
                "test -s $ARC/my8.dir/metadata && echo ok" ok
            def my8_myloader_t2 "$g8: restore" peer main "myloader -t 2" "$ARC/my8.dir" \
                "$MYCLI -e 'DROP DATABASE IF EXISTS r_peer'" \
                "t myloader -h 127.0.0.1 -P $MY_PORT -u root -t 2 -d $ARC/my8.dir -B r_peer" \
                "$(my_fp r_peer "$(union8 r_peer.) AS u8")" "$(fp_of my bench8 "$(union8 bench8.) AS u8")"
        fi
    fi
    if { [ $size = main ] && [ $OURS_MY -eq 1 ]; } || { [ $size = small ] && [ $SMALL_MY -eq 1 ]; }; then
        g="MySQL dump"; [ $size = main ] || g="memory: small"
        for b in $BUILDS; do
            use_build $b
            def "my_dbdump$sfx$X" "$g" $who $size "${LB}dbdump${sfx:+ MySQL}" "$ARC/my$sfx$X.dbd" \
                "rm -f $ARC/my$sfx$X.dbd" \
                "t $D -o $ARC/my$sfx$X.dbd $MYBASE/$db" "$CHECK_OURS $ARC/my$sfx$X.dbd && echo ok" ok
            def "my_restore_dbr$sfx$X" "${g/dump/restore}" $who $size "${LB}dbrestore${sfx:+ MySQL}" \
                "$ARC/my$sfx$X.dbd" "$(my_recreate r_$who)" \
                "t $R -i $ARC/my$sfx$X.dbd $MYBASE/r_$who" "$(my_fp r_$who)" "$(fp_of my $db)"
        done
    fi
    if [ $size = main ] && [ $PEER_MY -eq 1 ]; then
        def my_dump_peer "MySQL dump" peer main "mysqldump --single-transaction | zstd -3" \
            "$ARC/my.sql.zst" "rm -f $ARC/my.sql.zst" \
            "t mysqldump --no-defaults -h 127.0.0.1 -P $MY_PORT -u root --single-transaction $db | t zstd -3 -q -c >$ARC/my.sql.zst" \
            "zstd -q -t $ARC/my.sql.zst && echo ok" ok
        def my_restore_peer "MySQL restore" peer main "zstd -dc | mysql" "$ARC/my.sql.zst" \
            "$(my_recreate r_peer)" \
            "t zstd -dc $ARC/my.sql.zst | t $MYCLI r_peer" "$(my_fp r_peer)" "$(fp_of my $db)"
    fi
    if { [ $size = main ] && [ $OURS_SQ -eq 1 ]; } || { [ $size = small ] && [ $SMALL_SQ -eq 1 ]; }; then
        g="SQLite dump"; [ $size = main ] || g="memory: small"
        for b in $BUILDS; do
            use_build $b
            def "sq_dbdump$sfx$X" "$g" $who $size "${LB}dbdump${sfx:+ SQLite}" "$ARC/sq$sfx$X.dbd" \
                "rm -f $ARC/sq$sfx$X.dbd" \
                "t $D -o $ARC/sq$sfx$X.dbd sqlite:///$WORK/$db.db" "$CHECK_OURS $ARC/sq$sfx$X.dbd && echo ok" ok
            def "sq_restore_dbr$sfx$X" "${g/dump/restore}" $who $size "${LB}dbrestore${sfx:+ SQLite}" \
                "$ARC/sq$sfx$X.dbd" "rm -f $WORK/r_$who.db" \
                "t $R -i $ARC/sq$sfx$X.dbd sqlite:///$WORK/r_$who.db" "$(sq_fp "$WORK/r_$who.db")" "$(fp_of sq $db)"
        done
    fi
    if [ $size = main ] && [ $PEER_SQ -eq 1 ]; then
        def sq_dump_peer "SQLite dump" peer main "sqlite3 .dump | zstd -3" "$ARC/sq.sql.zst" \
            "rm -f $ARC/sq.sql.zst" \
            "t sqlite3 $WORK/$db.db .dump | t zstd -3 -q -c >$ARC/sq.sql.zst" \
            "zstd -q -t $ARC/sq.sql.zst && echo ok" ok
        def sq_restore_peer "SQLite restore" peer main "zstd -dc | sqlite3" "$ARC/sq.sql.zst" \
            "rm -f $WORK/r_peer.db" \
            "t zstd -dc $ARC/sq.sql.zst | t sqlite3 $WORK/r_peer.db" "$(sq_fp "$WORK/r_peer.db")" "$(fp_of sq $db)"
    fi
    if [ $MIGRATE -eq 1 ]; then
        g="SQLite -> PostgreSQL ($size)"
        # --verify: the migration reads every row back and compares it with what it sent
        for b in $BUILDS; do
            use_build $b
            def "mig_dbr$sfx$X" "$g" $who $size "${LB}dbdump | dbrestore --verify" "" "$(pg_recreate m_$who)" \
                "t $D sqlite:///$WORK/$db.db | t $R --verify $PGBASE/m_$who" "$(pg_count m_$who)" "$n"
        done
        if [ -n "$PGLOADER" ]; then
            def "mig_pgloader$sfx" "$g" peer $size "pgloader" "" "$(pg_recreate m_peer)" \
                "t pgloader --root-dir $WORK/pgloader sqlite:///$WORK/$db.db $PGBASE/m_peer" \
                "$(pg_count m_peer)" "$n"
        fi
    fi
done

# Compression settings of dbdump on the PostgreSQL main dataset: levels, and zstd worker
# threads when this dbdump has --threads. Figures to choose the defaults from.
if [ $COMPRESS -eq 1 ]; then
    sweep=()
    for lv in $SWEEP_LEVELS; do sweep+=("--compress-level $lv"); done
    if [ -z "$DUMP_ERR" ] && "$DBDUMP" --help 2>&1 | grep -q -- '--threads'; then
        for th in $SWEEP_THREADS; do
            for lv in $SWEEP_LEVELS; do sweep+=("--compress-level $lv --threads $th"); done
        done
    fi
    k=0
    for a in "${sweep[@]}"; do
        k=$((k + 1))
        for b in $BUILDS; do
            use_build $b
            kind=sweep; [ $who = ours ] || kind=base
            def "cz_$(printf %02d $k)$X" "compression" $kind main "${LB}dbdump $a" "$ARC/cz$X.dbd" \
                "rm -f $ARC/cz$X.dbd" "t $D $a -o $ARC/cz$X.dbd $PGBASE/bench" \
                "$CHECK_OURS $ARC/cz$X.dbd && echo ok" ok
        done
    done
fi
use_build ours # the report prints the current build's check of its archives

# ---------------------------------------------------------------------------------------------
# 6. Timing
# ---------------------------------------------------------------------------------------------
PRELUDE='set -o pipefail; t() { /usr/bin/time -q -f "%M %U %S" -a -o "$RSSF" "$@"; }; '
export RSSF

run_one() { # ID REP
    local id=$1 rep=$2 status=ok msg="" rc wall rss=0 cpu="" size="" got expect limit t0 t1
    local base="$LOGS/$id.r$rep"
    local arc; arc=$(cut -f6 "$RES/$id.meta")
    local cmdtext; cmdtext=$(cat "$RES/$id.cmd")
    local builderr="" pre="" dump=$DBDUMP restore=$DBRESTORE dump_err=$DUMP_ERR restore_err=$RESTORE_ERR
    if [ "$(cut -f3 "$RES/$id.meta")" = base ]; then
        pre="baseline "; dump=$BASE_DBDUMP; restore=$BASE_DBRESTORE
        dump_err=$BASE_DUMP_ERR; restore_err=$BASE_RESTORE_ERR
    fi
    case "$cmdtext" in *"$dump"*) builderr=${dump_err:+${pre}dbdump $dump_err} ;; esac
    case "$cmdtext" in *"$restore"*) builderr=${builderr:-${restore_err:+${pre}dbrestore $restore_err}} ;; esac
    if [ -n "$builderr" ]; then
        printf '%s\tFAILED\t\t\t\t\t%s\n' "$rep" "$builderr" >>"$RES/$id.runs"
        log "  $id rep $rep: FAILED (${pre}not built)"
        return
    fi
    case "$id" in
        *restore*)
            if [ ! -s "$arc" ]; then
                printf '%s\tFAILED\t\t\t\t\tno archive to restore (its dump failed)\n' "$rep" \
                    >>"$RES/$id.runs"
                log "  $id rep $rep: FAILED (no archive)"
                return
            fi ;;
    esac
    if ! bash -c "$(cat "$RES/$id.setup")" >"$base.setup" 2>&1; then
        printf '%s\tFAILED\t\t\t\t\tsetup: %s\n' "$rep" "$(tail -n 1 "$base.setup")" >>"$RES/$id.runs"
        return
    fi
    case "$id" in mig_pgloader*) limit=$PGLOADER_TIMEOUT ;; *) limit=$TIMEOUT ;; esac
    RSSF="$base.rss"
    : >"$RSSF"
    sync
    awk -v f="$RES/load_max" '{ getline m < f; if ($1 > m + 0) { print $1 > f } }' /proc/loadavg
    t0=$EPOCHREALTIME
    timeout -k 10 "$limit" bash -c "$PRELUDE$(cat "$RES/$id.cmd")" >"$base.out" 2>"$base.err"
    rc=$?
    t1=$EPOCHREALTIME
    wall=$(python3 -c "print(f'{$t1 - $t0:.3f}')")
    # One line per timed process: peak RSS KiB, user s, system s.
    rss=$(awk 'NF == 3 && $1 ~ /^[0-9]+$/ { s += $1 } END { print s + 0 }' "$RSSF")
    cpu=$(awk 'NF == 3 && $1 ~ /^[0-9]+$/ { s += $2 + $3 } END { printf "%.2f", s }' "$RSSF")
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        status=FAILED; msg="timed out after ${limit}s"
    elif [ $rc -ne 0 ]; then
        status=FAILED
        # The lines that say what went wrong, else the last ones.
        msg=$(grep -i -m 2 -E 'error|fail|not |cannot|unsupported|denied|refus|exhaust|killed' \
            "$base.err")
        [ -n "$msg" ] || msg=$(grep -v '^[[:space:]]*$' "$base.err" | tail -n 2)
        msg="exit $rc: $(printf '%s' "$msg" | tr '\n|' '  ' | cut -c1-200)"
    else
        got=$(bash -c "$(cat "$RES/$id.verify")" 2>"$base.verify.err" | tail -n 1 | tr -d '[:space:]')
        expect=$(cat "$RES/$id.expect")
        if [ "$got" != "$expect" ]; then
            if [ "${got%%:*}" = "${expect%%:*}" ] && [ "$got" != "${got%%:*}" ]; then
                # Every row is there, but not the same values or types as in the source.
                status=DIFFERS
                msg="content differs from the source (fingerprint $got, source $expect)"
            else
                status=FAILED
                msg="check: expected $expect, got '${got}' $(tail -n 1 "$base.verify.err" | tr '|' ' ' | cut -c1-160)"
            fi
        fi
    fi
    if [ -n "$arc" ] && [ -e "$arc" ]; then
        case "$id" in *restore*) ;; *) size=$(du -sb "$arc" | cut -f1) ;; esac
    fi
    # Free the disk of a restore/migration target (the setup makes it empty again).
    case "$id" in *restore*|mig_*) bash -c "$(cat "$RES/$id.setup")" >/dev/null 2>&1 ;; esac
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$status" "$wall" "$rss" "$size" "$cpu" "$msg" \
        >>"$RES/$id.runs"
    log "  $id rep $rep: $status ${wall}s cpu ${cpu}s rss ${rss}KiB ${size:+size $size }$msg"
}

log "timing ${#IDS[@]} commands x $REPS repetitions (rows: main $ROWS, small $SMALL_ROWS)"
for rep in $(seq 1 "$REPS"); do
    for g in "${GROUPS_ORDER[@]}"; do
        # shellcheck disable=SC2206
        ids=(${GROUP_IDS[$g]})
        if [ $((rep % 2)) -eq 0 ]; then # alternate who goes first
            rev=()
            for ((i = ${#ids[@]} - 1; i >= 0; i--)); do rev+=("${ids[$i]}"); done
            ids=("${rev[@]}")
        fi
        for id in "${ids[@]}"; do run_one "$id" "$rep"; done
    done
done

# ---------------------------------------------------------------------------------------------
# 7. Report
# ---------------------------------------------------------------------------------------------
uptime >"$RES/load_end"
{
    echo "nproc=$(nproc)"
    echo "mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "kernel=$(uname -r)"
    echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "sqlite=$(sqlite3 --version | cut -d' ' -f1)"
    echo "postgresql=$(pg_dump --version | awk '{ print $3 }')"
    echo "mariadb=$($MYCLI -N -B -e 'SELECT VERSION()' 2>/dev/null || mariadb --version)"
    echo "zstd=$(zstd --version | sed 's/.*v\([0-9.]*\).*/\1/')"
    echo "pgloader=${PGLOADER:+$(pgloader --version 2>/dev/null | head -n 1 | sed 's/.*"\(.*\)".*/\1/')}"
    echo "cc=$(cc --version | head -n 1)"
    echo "commit=$BUILD_COMMIT"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "rows=$ROWS"
    echo "small_rows=$SMALL_ROWS"
    echo "reps=$REPS"
    echo "work=$WORK"
    echo "build=$BUILD_DIR"
    echo "dbdump_args=$DBDUMP_ARGS"
    echo "dbrestore_args=$DBRESTORE_ARGS"
    echo "dump_check=${CHECK_OURS#"$ROOT/"}"
    echo "note=$NOTE"
    if [ -n "$BASELINE" ]; then
        echo "baseline=$BASELINE"
        echo "baseline_version=$BASE_VERSION"
        echo "baseline_src=$BASE_SRC"
    fi
    echo "invocation=bench/run.sh${ORIG_ARGS:+ $ORIG_ARGS}"
    echo "load_max=$(cat "$RES/load_max")"
    echo "loadavg_start=$(cat "$RES/loadavg_start")"
    echo "pg_base=$PGBASE"
    echo "my_base=$MYBASE"
    echo "my_cli=$MYCLI"
    echo "load_start=$(cat "$RES/load_start")"
    echo "load_end=$(cat "$RES/load_end")"
} >"$RES/env"
python3 "$ROOT/bench/report.py" "$RES" >"$OUT_DIR/report.md" || die "report.py failed"
rm -rf "$OUT_DIR/raw" && cp -r "$RES" "$OUT_DIR/raw"
log "report: $OUT_DIR/report.md"
if [ "$WRITE_RESULTS" -eq 1 ]; then
    cp "$OUT_DIR/report.md" "$ROOT/bench/RESULTS.md"
    log "wrote bench/RESULTS.md"
fi
cat "$OUT_DIR/report.md"
exit 0
}
