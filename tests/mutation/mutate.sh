#!/usr/bin/env bash
# mutate.sh SRCDIR WORK - proof that the test suite bites: faults are injected into a copy of
# the tree one at a time, and for each the tests that should notice must fail. A fault the
# suite lets pass is a hole in an oracle, and fails this script.
#
# Needs the servers of scripts/test.sh (DBT_PG_URL, DBT_MYSQL_URL). The copy is built once
# (gcc, no corpus); each mutant is an exact text replacement (it must apply exactly once, so
# a mutant that no longer matches the code fails loudly instead of testing nothing), an
# incremental build, the listed tests, and the file put back. The same tests first pass on
# the unchanged copy (the control), so a failure under a mutant is the mutant's doing.
set -euo pipefail
SRC=$(cd "$1" && pwd)
WORK=$2
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
[ -n "${DBT_PG_URL:-}" ] && [ -n "${DBT_MYSQL_URL:-}" ] ||
    { echo "mutate.sh: DBT_PG_URL and DBT_MYSQL_URL must name the test servers" >&2; exit 1; }
rm -rf "$WORK"
mkdir -p "$WORK/src"
tar -C "$SRC" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$WORK/src" -xf -
log() { echo "== mutate.sh: $*"; }

# The mutants: NAME|FILE|TESTS (a ctest -R regex), then the text and its replacement in
# mutant_<NAME>_from / _to below.
MUTANTS="null_as_empty|engines/xlate.c|^matrix_types_sqlite$
sqlite_sink_value|engines/sqlite/lite_sink.c|^sqlite_roundtrip_sample$
timestamp_plus_1s|engines/pg/pg_copy.c|^pg_roundtrip-types$
failing_pg_dump|tests/reliability/lib.sh|^rel_kill_pg$
renamed_script|tests/integration/sqlite/rollback.sh|^sqlite_rollback$
own_snapshots|engines/pg/pg_source.c|^pg_snapshot-j4$
undo_keeps|engines/pg/pg_sink.c|^pg_restore-j4$"

# 1. a cross-engine NULL that arrives as '' in MySQL text columns
mutant_null_as_empty_from='        if (in->kind == DBF_V_NULL || c->same) {
            x->out[i] = *in;
            continue;'
mutant_null_as_empty_to='        if (in->kind == DBF_V_NULL || c->same) {
            x->out[i] = *in;
            if (in->kind == DBF_V_NULL && x->dialect == DBE_MYSQL &&
                c->ltype == DBF_T_TEXT)
                x->out[i] = (dbf_value){.kind = DBF_V_STR}; /* MUTANT: NULL becomes '"''"' */
            continue;'
# 2. the SQLite sink stores the third column's integers one higher
mutant_sqlite_sink_value_from='            src = sqlite3_bind_int64(st, b, v->u.i);'
mutant_sqlite_sink_value_to='            src = sqlite3_bind_int64(st, b, v->u.i + (i == 2)); /* MUTANT */'
# 3. PostgreSQL timestamps (binary COPY) one second late
mutant_timestamp_plus_1s_from='        put64(out, (uint64_t)(((int64_t)jd - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY + tm));'
mutant_timestamp_plus_1s_to='        put64(out, (uint64_t)(((int64_t)jd - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY + tm + 1000000));'
# 4. the fingerprint's pg_dump fails (two failed dumps must not compare equal)
mutant_failing_pg_dump_from='    if pg_dump -d "$(pg_url "$1")" --no-sync >"$out" 2>"$err"; then'
mutant_failing_pg_dump_to='    if pg_dump --no-such-option -d "$(pg_url "$1")" --no-sync >"$out" 2>"$err"; then'
# 5. a test script renamed (its test must fail, not vanish): handled by moving the file
# 6. dbdump -j: the connections after the first take snapshots of their own
mutant_own_snapshots_from='            (rc = conn_exec(l->conn, set, err)))'
mutant_own_snapshots_to='            (rc = set[0] ? 0 : 1)) /* MUTANT: no SET TRANSACTION SNAPSHOT */'

# 7. dbrestore -j into PostgreSQL: the clean-up after a failure says it dropped pg_dump's
#    objects but leaves them
mutant_undo_keeps_from='            rc = run_drops(k, o->sql, true, err);'
mutant_undo_keeps_to='            rc = 0; /* MUTANT: the drops are not run */'
apply() { # apply NAME FILE: replace the mutant's text, exactly once
    local from to
    from="mutant_$1_from" to="mutant_$1_to"
    FROM=${!from} TO=${!to} python3 - "$WORK/src/$2" <<'PY'
import os, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
n = s.count(os.environ["FROM"])
if n != 1:
    sys.exit("mutate.sh: the mutant's text occurs %d times in %s (want 1)" % (n, p))
open(p, "w", encoding="utf-8").write(s.replace(os.environ["FROM"], os.environ["TO"]))
PY
}

build() {
    cmake -S "$WORK/src" -B "$WORK/build" -DDBT_CORPUS= >"$WORK/cmake.log" 2>&1 ||
        { tail -20 "$WORK/cmake.log" >&2; return 1; }
    cmake --build "$WORK/build" -j "$JOBS" >"$WORK/build.log" 2>&1 ||
        { tail -20 "$WORK/build.log" >&2; return 1; }
}
run() { # run REGEX: the tests, quiet; their exit status
    ctest --test-dir "$WORK/build" -R "$1" --no-tests=error -j "$JOBS" >"$WORK/ctest.log" 2>&1
}

log "building a copy of the tree"
build || { echo "mutate.sh: the unchanged copy does not build" >&2; exit 1; }
all=$(cut -d'|' -f3 <<<"$MUTANTS" | paste -sd'|')
log "control: the mutants' tests pass on the unchanged copy"
run "$all" || { cat "$WORK/ctest.log" >&2; echo "mutate.sh: control run failed" >&2; exit 1; }

missed=""
while IFS='|' read -r name file tests; do
    cp "$WORK/src/$file" "$WORK/orig"
    if [ "$name" = renamed_script ]; then
        mv "$WORK/src/$file" "$WORK/src/${file%.sh}_renamed.sh"
    else
        apply "$name" "$file"
    fi
    if ! build; then
        echo "mutate.sh: mutant $name does not build" >&2
        exit 1
    fi
    if run "$tests"; then
        echo "mutate.sh: MISSED: mutant $name ($file) passed $tests" >&2
        missed="$missed $name"
    else
        log "caught: $name ($file): $(grep -c 'Failed\|Not Run' "$WORK/ctest.log" || true) of $tests failed"
    fi
    rm -f "$WORK/src/${file%.sh}_renamed.sh"
    cp "$WORK/orig" "$WORK/src/$file"
done <<<"$MUTANTS"
build
[ -z "$missed" ] || { echo "mutate.sh: the suite let these faults pass:$missed" >&2; exit 1; }
log "every mutant was caught"
rm -rf "$WORK"
