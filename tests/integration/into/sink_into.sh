#!/usr/bin/env bash
# sink_into.sh ENGINE DBDUMP SINK_INTO WORKDIR
#
# The restore sinks' side of data-only restores into existing tables (engines/engine.h), driven
# by sink_into.c without the pump: a source table of the engine's usual types is dumped, then
# loaded into an existing target table that has two more columns (with defaults) in another
# order, holding two rows:
#   - abort after DELETE + load: the target is exactly as before (nothing created, rolled back;
#     MySQL: InnoDB's AUTO_INCREMENT counter, which ROLLBACK leaves moved, put back too);
#   - commit after TRUNCATE/DELETE: the rows equal the source's, the extra columns hold their
#     defaults, and --verify's read-back (projected onto the loaded columns) matches;
#   - a duplicate primary key fails the load and changes nothing;
#   - query_int: a count, NULL and no row give 0, text is refused, a bad query names `what`;
#   - a TEMPORARY staging table (schema NULL) loaded and merged through exec_sql;
#   - SQLite: a missing file is refused and not created; MySQL: the session keeps
#     UNIQUE_CHECKS on and autocommit off, and DDL through exec_sql (an implicit commit) fails.
# ENGINE: sqlite | postgresql | mysql.
set -euo pipefail

ENG=$1
DBDUMP=$2
SINK=$3
WORK=$4
NAME="into_sink_$ENG"
PREFIX="dbt_is_${ENG:0:2}_$$"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

eq_() { # eq_ GOT WANT WHAT
    [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}
has() { # has FILE TEXT WHAT
    grep -qF -- "$2" "$1" || fail "$3: '$2' not in: $(cat "$1")"
}

new_db "$ENG" src
SRC=$NEWURL
new_db "$ENG" tgt
TGT=$NEWURL
case "$ENG" in
sqlite)
    exec_sql sqlite "$SRC" <<'SQL' || fail "creating the source failed"
CREATE TABLE t (id INTEGER PRIMARY KEY, flag INTEGER, ts TEXT, doc TEXT, amount REAL, b BLOB,
                note TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300)
INSERT INTO t SELECT i, i % 2, '2024-01-01 ' || printf('%02d', i % 24) || ':00:00',
                     '{"i":' || i || '}', i * 1.125, randomblob(8),
                     CASE WHEN i % 7 THEN 'note ' || i || char(9) || 'tab' || char(10) END
FROM c;
SQL
    exec_sql sqlite "$TGT" > /dev/null <<'SQL' || fail "creating the target failed"
PRAGMA journal_mode = WAL;
CREATE TABLE t (extra_first TEXT DEFAULT 'd1', id INTEGER PRIMARY KEY, note TEXT,
                flag INTEGER, ts TEXT, doc TEXT, amount REAL, b BLOB, extra INTEGER DEFAULT 42);
INSERT INTO t (id, note) VALUES (1, 'old1'), (2, 'old2');
PRAGMA user_version = 7;
SQL
    COUNTED=t
    EMPTY="DELETE FROM t"
    CANON="SELECT id || '|' || flag || '|' || ts || '|' || doc || '|' || amount || '|' ||
           hex(b) || '|' || ifnull(note, 'N') FROM t ORDER BY id"
    STAGE="CREATE TEMP TABLE stg AS SELECT id, flag, ts, doc, amount, b, note FROM t WHERE 0"
    MERGE="INSERT INTO t (id, flag, ts, doc, amount, b, note) SELECT id, flag, ts, doc, amount, b,
           note FROM stg WHERE true ON CONFLICT (id) DO UPDATE SET note = 'merged'"
    ;;
postgresql)
    exec_sql postgresql "$SRC" <<'SQL' || fail "creating the source failed"
CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, flag boolean,
                ts timestamptz, doc jsonb, amount numeric(12,3), b bytea, note text);
INSERT INTO t (flag, ts, doc, amount, b, note)
SELECT i % 2 = 0, '2024-01-01 00:00:00+00'::timestamptz + i * interval '1 hour',
       jsonb_build_object('i', i, 'a', ARRAY[i, i + 1]), i * 1.125, decode(md5(i::text), 'hex'),
       CASE WHEN i % 7 <> 0 THEN 'note ' || i || E'\ttab\nnl\\' END
FROM generate_series(1, 300) i;
SQL
    exec_sql postgresql "$TGT" <<'SQL' || fail "creating the target failed"
CREATE TABLE t (extra_first text DEFAULT 'd1',
                id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text, flag boolean,
                ts timestamptz, doc jsonb, amount numeric(12,3), b bytea, extra int DEFAULT 42,
                CHECK (amount >= 0));
INSERT INTO t (note) VALUES ('old1'), ('old2');
SQL
    COUNTED=public.t
    EMPTY="TRUNCATE public.t"
    CANON="SELECT format('%s|%s|%s|%s|%s|%s|%s', id, flag, ts AT TIME ZONE 'UTC', doc, amount,
           encode(b, 'hex'), coalesce(note, 'N')) FROM public.t ORDER BY id"
    STAGE="CREATE TEMP TABLE stg (LIKE public.t INCLUDING DEFAULTS) ON COMMIT DROP"
    MERGE="INSERT INTO public.t (id, flag, ts, doc, amount, b, note) OVERRIDING SYSTEM VALUE
           SELECT id, flag, ts, doc, amount, b, note FROM stg
           ON CONFLICT (id) DO UPDATE SET note = 'merged'"
    ;;
mysql)
    exec_sql mysql "$SRC" <<'SQL' || fail "creating the source failed"
CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, flag tinyint(1), ts datetime(3), doc json,
                amount decimal(12,3), b varbinary(64), note text);
INSERT INTO t (flag, ts, doc, amount, b, note)
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300)
SELECT i % 2, '2024-01-01 00:00:00' + INTERVAL i HOUR, JSON_OBJECT('i', i), i * 1.125,
       UNHEX(MD5(i)), IF(i % 7 = 0, NULL, CONCAT('note ', i, '\ttab\nnl\\')) FROM c;
SQL
    exec_sql mysql "$TGT" <<'SQL' || fail "creating the target failed"
CREATE TABLE t (extra_first varchar(10) DEFAULT 'd1', id int AUTO_INCREMENT PRIMARY KEY,
                note text, flag tinyint(1), ts datetime(3), doc json, amount decimal(12,3),
                b varbinary(64), extra int DEFAULT 42, CHECK (amount >= 0)) ENGINE=InnoDB;
INSERT INTO t (note) VALUES ('old1'), ('old2');
SQL
    COUNTED=t
    EMPTY="DELETE FROM t"
    CANON="SELECT CONCAT_WS('|', id, flag, ts, doc, amount, HEX(b), IFNULL(note, 'N')) FROM t
           ORDER BY id"
    STAGE="CREATE TEMPORARY TABLE stg LIKE t"
    MERGE="INSERT INTO t (id, flag, ts, doc, amount, b, note) SELECT id, flag, ts, doc, amount,
           b, note FROM stg ON DUPLICATE KEY UPDATE note = 'merged'"
    ;;
*) fail "unknown engine $ENG" ;;
esac
COLS=id,flag,ts,doc,amount,b,note
dump_src "$SRC" "$WORK/src.dbd"
q "$ENG" "$SRC" "$CANON" > "$WORK/src.rows"
eq_ "$(q "$ENG" "$SRC" "SELECT count(*) FROM t")" 300 "source rows"

sink() { # sink EXPECTED_RC OUTFILE ARGS...
    local want=$1 out=$2 rc=0
    shift 2
    "$SINK" "$TGT" "$WORK/src.dbd" t "$COLS" "$@" > "$out" 2>&1 || rc=$?
    [ "$rc" = "$want" ] || fail "sink_into $*: exit $rc, want $want: $(cat "$out")"
}
snap() { snapshot "$ENG" "$TGT"; }
unchanged() { # unchanged WHAT
    snap > "$WORK/now.snap"
    diff "$WORK/before.snap" "$WORK/now.snap" > "$WORK/snap.diff" ||
        fail "$1 changed the target: $(head -20 "$WORK/snap.diff")"
}

snap > "$WORK/before.snap"

# ---- abort after emptying and loading: nothing changed
sink 0 "$WORK/abort.out" abort "$EMPTY" "SELECT count(*) FROM $COUNTED" "$COUNTED"
eq_ "$(cat "$WORK/abort.out")" "before=2 after=300 q=300
aborted" "abort run"
unchanged "an aborted load"

# ---- a duplicate primary key: the load fails, nothing changed
sink 1 "$WORK/dup.out" commit
has "$WORK/dup.out" "FAIL" "duplicate key"
unchanged "a load with a duplicate key"

# ---- query_int: NULL and no row give 0; text and a bad query are errors naming `what`
sink 0 "$WORK/null.out" abort "$EMPTY" "SELECT NULL"
eq_ "$(head -1 "$WORK/null.out")" "before=2 after=300 q=0" "query_int of NULL"
sink 0 "$WORK/norow.out" abort "$EMPTY" "SELECT 1 FROM $COUNTED WHERE 1 = 0"
eq_ "$(head -1 "$WORK/norow.out")" "before=2 after=300 q=0" "query_int without a row"
sink 1 "$WORK/text.out" abort "$EMPTY" "SELECT 'abc'"
has "$WORK/text.out" "the query: not an integer: 'abc'" "query_int of text"
sink 1 "$WORK/bad.out" abort "$EMPTY" "SELECT count(*) FROM no_such_table"
has "$WORK/bad.out" "rc=-5" "query_int of a bad query (DBC_EBACKEND)"
has "$WORK/bad.out" "the query:" "query_int of a bad query names what"
has "$WORK/bad.out" "no_such_table" "query_int of a bad query: the server's message"
unchanged "the failed queries"

if [ "$ENG" = sqlite ]; then
    "$SINK" "sqlite:$WORK/missing.db" - - - openonly > "$WORK/missing.out" 2>&1
    has "$WORK/missing.out" "rc=-10 database file '$WORK/missing.db' does not exist" "missing file"
    [ ! -e "$WORK/missing.db" ] || fail "a missing file was created"
fi
if [ "$ENG" = mysql ]; then
    sink 0 "$WORK/session.out" abort "$EMPTY" \
        "SELECT @@unique_checks + 10 * @@foreign_key_checks + 100 * @@autocommit"
    eq_ "$(head -1 "$WORK/session.out")" "before=2 after=300 q=1" \
        "unique_checks on, foreign_key_checks off, autocommit off"
    sink 1 "$WORK/ddl.out" abort "CREATE TABLE t_ddl (a int)"
    has "$WORK/ddl.out" "ended the restore's transaction (an implicit commit)" "DDL in into mode"
    my "${TGT##*/}" -e "DROP TABLE t_ddl"
    unchanged "the DDL run (t_ddl dropped)"
fi

# ---- commit after emptying: the source's rows, the defaults, a matching read-back
sink 0 "$WORK/commit.out" commit "$EMPTY" "SELECT count(*) FROM $COUNTED" "$COUNTED"
eq_ "$(cat "$WORK/commit.out")" "before=2 after=300 q=300
verify: found=1 rows sent=300 got=300 match" "commit run"
q "$ENG" "$TGT" "$CANON" > "$WORK/tgt.rows"
diff "$WORK/src.rows" "$WORK/tgt.rows" > "$WORK/rows.diff" ||
    fail "loaded rows differ from the source: $(head -10 "$WORK/rows.diff")"
eq_ "$(q "$ENG" "$TGT" "SELECT count(*) FROM t WHERE extra = 42 AND extra_first = 'd1'")" 300 \
    "the target's defaults in the columns the archive does not fill"
if [ "$ENG" = sqlite ]; then
    eq_ "$(lite_q "${TGT#sqlite:}" "PRAGMA journal_mode")" wal "journal mode kept"
    eq_ "$(lite_q "${TGT#sqlite:}" "PRAGMA user_version")" 7 "user_version kept"
fi

# ---- a temporary staging table (schema NULL), merged through exec_sql
q "$ENG" "$TGT" "UPDATE t SET note = 'kept' WHERE id <= 10" > /dev/null
q "$ENG" "$TGT" "DELETE FROM t WHERE id > 250" > /dev/null
sink 0 "$WORK/stage.out" commit "$STAGE" "SELECT count(*) FROM stg" "$COUNTED" stg "$MERGE"
eq_ "$(head -1 "$WORK/stage.out")" "before=250 after=300 q=300" "staging run"
eq_ "$(q "$ENG" "$TGT" "SELECT count(*) FROM t WHERE note = 'merged'")" 250 "merged rows"
eq_ "$(q "$ENG" "$TGT" "SELECT count(*) FROM t WHERE note = 'kept'")" 0 "updated rows"
echo "PASS: $NAME"
