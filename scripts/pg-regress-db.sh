#!/bin/bash
# pg-regress-db.sh - build PostgreSQL 15's "regression" database on a running server.
#
#   scripts/pg-regress-db.sh PG_URL WORKDIR
#
# PG_URL   a superuser URL of a running PostgreSQL 15 server on this machine, e.g.
#          postgresql://postgres@127.0.0.1:5432/postgres (authentication must work without a
#          password in the URL: trust, ~/.pgpass, or PGPASSWORD in the environment)
# WORKDIR  a scratch directory the script may fill (~200 MB: the source package, the built
#          modules, pg_regress's output). The server's OS user must be able to read it and
#          write WORKDIR/out/results (the tests COPY to and from files there); the script
#          makes those parts world-readable / -writable and checks it.
#
# What it does, each step printed:
#   1. installs what is missing with apt-get: make, gcc, dpkg-dev, and
#      postgresql-server-dev-15 pinned to the installed postgresql-15 version (so the
#      running server is never upgraded as a side effect);
#   2. fetches Debian's source package postgresql-15 through a private apt configuration
#      in WORKDIR/apt (a deb-src list for bookworm, bookworm-updates, bookworm-security;
#      /etc/apt is not touched), the version equal to the installed server when the archive
#      has it, else the newest 15.x there (said so); kept in WORKDIR/src for re-runs;
#   3. builds regress.so and contrib/spi's autoinc.so and refint.so (the parallel
#      schedule loads them) with PGXS into WORKDIR/lib, not the whole server;
#   4. drops the database "regression" if it exists (terminating its sessions), then runs
#      the installed pg_regress in installcheck mode: it creates "regression", runs
#      --schedule=parallel_schedule against the given server, and leaves the database there;
#   5. prints pg_regress's summary line and the failed tests.
#
# Exit status: 0 when the "regression" database was built (some tests may still "fail"
# with output differences caused by the environment; they are listed), non-zero when
# pg_regress could not run or the database was not left behind.
#
# Environment: PG_BINDIR (default /usr/lib/postgresql/15/bin), REGRESS_MAX_CONNECTIONS
# (default 2: the machine is shared), REGRESS_SCHEDULE (default parallel_schedule).
set -euo pipefail

log() { printf '==> %s\n' "$*"; }
warn() { printf 'pg-regress-db.sh: warning: %s\n' "$*" >&2; }
die() {
    printf 'pg-regress-db.sh: %s\n' "$*" >&2
    exit 1
}

[ $# -eq 2 ] || {
    echo "usage: $0 PG_URL WORKDIR" >&2
    exit 2
}
PG_URL=$1
WORKDIR=$2
MAJOR=15
PGBIN=${PG_BINDIR:-/usr/lib/postgresql/$MAJOR/bin}
MAXCONN=${REGRESS_MAX_CONNECTIONS:-2}
SCHEDULE=${REGRESS_SCHEDULE:-parallel_schedule}
DBNAME=regression
START=$(date +%s)

mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)
chmod a+rx "$WORKDIR"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && SUDO=sudo
fi

apt_install() {
    log "apt-get install -y $*"
    if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$WORKDIR/apt-install.log" 2>&1; then
        log "apt-get update (install failed; package lists may be missing or stale)"
        $SUDO apt-get update -q >>"$WORKDIR/apt-install.log" 2>&1 || true
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$WORKDIR/apt-install.log" 2>&1 || {
            tail -n 20 "$WORKDIR/apt-install.log" >&2
            die "apt-get install $* failed (log: $WORKDIR/apt-install.log)"
        }
    fi
}

# --- 0. the server ------------------------------------------------------------------------
[ -x "$PGBIN/psql" ] || die "$PGBIN/psql not found: install postgresql-client-$MAJOR (or set PG_BINDIR)"
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -At "$PG_URL")
log "checking the server at $PG_URL"
info=$("${PSQL[@]}" -F '|' \
    -c "SELECT current_setting('server_version_num'), current_setting('server_version'),
               (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)" \
    -c '\echo :HOST|:PORT|:USER') || die "cannot connect to $PG_URL"
IFS='|' read -r vnum vstr issuper <<<"$(sed -n 1p <<<"$info")"
IFS='|' read -r PGH PGP PGU <<<"$(sed -n 2p <<<"$info")"
[ "${vnum:0:2}" = "$MAJOR" ] || die "the server is PostgreSQL $vstr; this script builds the $MAJOR regression database"
[ "$issuper" = t ] || die "user $PGU is not a superuser on the server"
echo "    PostgreSQL $vstr, host $PGH, port $PGP, user $PGU"

# --- 1. tools and server headers -----------------------------------------------------------
need=()
command -v make >/dev/null 2>&1 || need+=(make)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
command -v bzip2 >/dev/null 2>&1 || need+=(bzip2)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
if [ ! -f "/usr/include/postgresql/$MAJOR/server/postgres.h" ] ||
    [ ! -f "/usr/lib/postgresql/$MAJOR/lib/pgxs/src/makefiles/pgxs.mk" ]; then
    srvver=$(dpkg-query -W -f='${Version}' "postgresql-$MAJOR" 2>/dev/null || true)
    if [ -n "$srvver" ]; then
        need+=("postgresql-server-dev-$MAJOR=$srvver")
    else
        need+=("postgresql-server-dev-$MAJOR")
    fi
fi
if [ ${#need[@]} -gt 0 ]; then
    apt_install "${need[@]}"
else
    log "build tools and postgresql-server-dev-$MAJOR already installed"
fi
PG_CONFIG=$PGBIN/pg_config
[ -x "$PG_CONFIG" ] || PG_CONFIG=/usr/lib/postgresql/$MAJOR/bin/pg_config
PG_REGRESS=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress
[ -x "$PG_REGRESS" ] || die "$PG_REGRESS not found (it comes with postgresql-client-$MAJOR)"

# --- 2. Debian's source package ------------------------------------------------------------
want=$(dpkg-query -W -f='${Version}' "postgresql-$MAJOR" 2>/dev/null || true)
if [ -z "$want" ]; then
    # No Debian server package: derive it from the running server's version string,
    # e.g. "15.18 (Debian 15.18-0+deb12u1)".
    want=$(sed -n 's/.*(Debian \([^)]*\)).*/\1/p' <<<"$vstr")
fi
APTDIR=$WORKDIR/apt
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/sources.list.d"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$APTDIR/sources.list" <<EOF
deb-src [signed-by=$KEYRING] http://deb.debian.org/debian bookworm main
deb-src [signed-by=$KEYRING] http://deb.debian.org/debian bookworm-updates main
deb-src [signed-by=$KEYRING] http://deb.debian.org/debian-security bookworm-security main
EOF
APTOPT=(-o "Dir::Etc::SourceList=$APTDIR/sources.list"
    -o "Dir::Etc::SourceParts=$APTDIR/sources.list.d"
    -o "Dir::State::Lists=$APTDIR/lists"
    -o "Dir::Cache=$APTDIR/cache")
# as root, apt's _apt user could not read WORKDIR: download as root
[ "$(id -u)" -ne 0 ] || APTOPT+=(-o "APT::Sandbox::User=root")

SRCROOT=$WORKDIR/src
mkdir -p "$SRCROOT"
stamp=$SRCROOT/VERSION
srcver=""
[ -f "$stamp" ] && srcver=$(cat "$stamp")
if [ -n "$srcver" ] && [ "$srcver" = "$want" ] && [ -f "$SRCROOT/tree/src/test/regress/parallel_schedule" ]; then
    log "source package postgresql-$MAJOR $srcver already in $SRCROOT/tree"
else
    log "apt-get update with the private deb-src list in $APTDIR"
    apt-get "${APTOPT[@]}" update -q >"$APTDIR/update.log" 2>&1 || {
        tail -n 20 "$APTDIR/update.log" >&2
        die "apt-get update (deb-src) failed (log: $APTDIR/update.log)"
    }
    versions=$(apt-cache "${APTOPT[@]}" showsrc "postgresql-$MAJOR" 2>/dev/null |
        sed -n 's/^Version: //p' | sort -u)
    [ -n "$versions" ] || die "no source package postgresql-$MAJOR in the Debian archive"
    if [ -n "$want" ] && grep -qxF "$want" <<<"$versions"; then
        srcver=$want
        echo "    source version $srcver (equal to the installed server)"
    else
        srcver=""
        for v in $versions; do
            if [ -z "$srcver" ] || dpkg --compare-versions "$v" gt "$srcver"; then
                srcver=$v
            fi
        done
        warn "source version ${want:-?} (the installed server's) is not in the archive; using $srcver (archive has: $(tr '\n' ' ' <<<"$versions"))"
    fi
    rm -rf "$SRCROOT/dl" "$SRCROOT/tree"
    mkdir -p "$SRCROOT/dl"
    log "apt-get source postgresql-$MAJOR=$srcver"
    (cd "$SRCROOT/dl" && apt-get "${APTOPT[@]}" source -q "postgresql-$MAJOR=$srcver") \
        >"$SRCROOT/source.log" 2>&1 || {
        tail -n 20 "$SRCROOT/source.log" >&2
        die "apt-get source failed (log: $SRCROOT/source.log)"
    }
    tree=$(find "$SRCROOT/dl" -mindepth 1 -maxdepth 1 -type d -name "postgresql-$MAJOR-*" | head -n 1)
    if [ -z "$tree" ] || [ ! -f "$tree/src/test/regress/parallel_schedule" ]; then
        die "the unpacked source has no src/test/regress/parallel_schedule"
    fi
    mv "$tree" "$SRCROOT/tree"
    rm -f "$SRCROOT"/dl/*.tar.* "$SRCROOT"/dl/*.dsc
    echo "$srcver" >"$stamp"
fi
REGSRC=$SRCROOT/tree/src/test/regress
SPISRC=$SRCROOT/tree/contrib/spi
chmod -R a+rX "$SRCROOT/tree/src/test/regress"
chmod a+rx "$SRCROOT" "$SRCROOT/tree" "$SRCROOT/tree/src" "$SRCROOT/tree/src/test"
echo "    source: $REGSRC ($(cat "$stamp"))"

# --- 3. the C modules the schedule loads, built with PGXS ----------------------------------
LIBDIR=$WORKDIR/lib
log "building regress.so, autoinc.so, refint.so with PGXS in $LIBDIR"
rm -rf "$LIBDIR"
mkdir -p "$LIBDIR"
cp "$REGSRC/regress.c" "$SPISRC/autoinc.c" "$SPISRC/refint.c" "$LIBDIR/"
cat >"$LIBDIR/Makefile" <<'EOF'
# regress.so from src/test/regress, autoinc.so and refint.so from contrib/spi
MODULES = regress autoinc refint
# as contrib/spi builds it for the regression tests (triggers.sql expects its NOTICEs)
PG_CPPFLAGS = -DREFINT_VERBOSE
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
EOF
t0=$(date +%s)
make -C "$LIBDIR" PG_CONFIG="$PG_CONFIG" with_llvm=no -j2 >"$LIBDIR/build.log" 2>&1 || {
    tail -n 30 "$LIBDIR/build.log" >&2
    die "building the modules failed (log: $LIBDIR/build.log)"
}
chmod -R a+rX "$LIBDIR"
echo "    built in $(($(date +%s) - t0)) s: $(cd "$LIBDIR" && echo *.so)"

# --- 4. run pg_regress ---------------------------------------------------------------------
OUTDIR=$WORKDIR/out
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR/results"
chmod a+rx "$OUTDIR"
# The server writes files here (COPY TO, lo_export) as its own OS user.
chmod 1777 "$OUTDIR/results"

log "checking that the server can read $REGSRC/data and write $OUTDIR/results"
"${PSQL[@]}" -c "SELECT pg_stat_file('$REGSRC/data/onek.data')" >/dev/null 2>"$OUTDIR/probe.err" || {
    cat "$OUTDIR/probe.err" >&2
    die "the server cannot read $REGSRC/data (is it on this machine? can its OS user traverse $WORKDIR?)"
}
"${PSQL[@]}" -c "COPY (SELECT 1) TO '$OUTDIR/results/.probe'" >/dev/null 2>"$OUTDIR/probe.err" || {
    cat "$OUTDIR/probe.err" >&2
    die "the server cannot write $OUTDIR/results"
}
rm -f "$OUTDIR/results/.probe" "$OUTDIR/probe.err"

log "dropping database $DBNAME if it exists"
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)"

log "pg_regress --schedule=$SCHEDULE --max-connections=$MAXCONN (installcheck: creates $DBNAME and leaves it)"
t0=$(date +%s)
set +e
(
    cd "$OUTDIR" &&
        exec "$PG_REGRESS" \
            --inputdir="$REGSRC" \
            --outputdir="$OUTDIR" \
            --dlpath="$LIBDIR" \
            --bindir="$PGBIN" \
            --schedule="$REGSRC/$SCHEDULE" \
            --max-connections="$MAXCONN" \
            --max-concurrent-tests=20 \
            --host="$PGH" --port="$PGP" --user="$PGU" \
            --dbname="$DBNAME"
) >"$OUTDIR/pg_regress.log" 2>&1
rc=$?
set -e
elapsed=$(($(date +%s) - t0))

# --- 5. report -----------------------------------------------------------------------------
summary=$(grep -E '^ *(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests (passed|failed))' \
    "$OUTDIR/pg_regress.log" | sed 's/^ *//; s/ *$//' || true)
failed=$(grep -E '\.\.\. FAILED|failed \(ignored\)' "$OUTDIR/pg_regress.log" |
    sed -E 's/^ *(test +)?([A-Za-z0-9_]+) +\.\.\. .*/\2/' || true)
nfailed=0
[ -n "$failed" ] && nfailed=$(wc -l <<<"$failed")

exists=$("${PSQL[@]}" -c "SELECT count(*) FROM pg_database WHERE datname = '$DBNAME'")
echo "pg_regress exit status $rc after ${elapsed} s (output: $OUTDIR/pg_regress.log)"
if [ -z "$summary" ]; then
    tail -n 30 "$OUTDIR/pg_regress.log" >&2
    die "pg_regress did not run the schedule (no summary line)"
fi
echo "summary: $summary"
echo "failed tests: $nfailed${failed:+ ($(tr '\n' ' ' <<<"$failed" | sed 's/ $//'))}"
[ "$nfailed" -eq 0 ] || echo "differences: $OUTDIR/regression.diffs"
[ "$exists" = 1 ] || die "database $DBNAME was not created"
ntables=$("$PGBIN/psql" -X -At -h "$PGH" -p "$PGP" -U "$PGU" -d "$DBNAME" \
    -c "SELECT count(*) FROM pg_class WHERE relkind IN ('r','p') AND relnamespace <> 'pg_catalog'::regnamespace AND relnamespace <> 'information_schema'::regnamespace" 2>/dev/null || echo "?")
echo "database $DBNAME is left on the server ($ntables tables and partitions); source postgresql-$MAJOR $(cat "$stamp"); total $(($(date +%s) - START)) s"
