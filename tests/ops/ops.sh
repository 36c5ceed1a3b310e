#!/usr/bin/env bash
# ops.sh - operator-experience tests on the sample application (tests/data) against real engines:
#   ops.sh CASE DBDUMP DBRESTORE SRCDIR SAMPLE_DB WORK
# CASE: list-{sqlite,pg,mysql}, select-{sqlite,pg,mysql}, progress, progress-pg, quiet, confirm,
#       tosql-{sqlite,pg,mysql,cross}. Servers: DBT_PG_URL / DBT_MYSQL_URL (a missing one fails).
# The sample is a SQLite file; PostgreSQL and MySQL get its seven tables by a cross-engine
# restore (load_pg, load_my), and every expected count is read from the engine it is in.
set -euo pipefail
CASE=$1 DBDUMP=$2 DBRESTORE=$3 SRCDIR=$4 SAMPLE=$5 WORK=$6
TEST_NAME=ops_$CASE
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
[ -f "$SAMPLE" ] || fail "sample database not found: $SAMPLE"
NTABLES=7 # the sample's tables (SQLite also has sqlite_stat1, which the counts below skip)
DB=ops_$$_${CASE//-/_}

# source_counts ENGINE: "table rows" lines of the source, counted with the engine's client
sqlite_counts() {
    local t
    for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type='table' AND
                              name NOT LIKE 'sqlite_%' ORDER BY name"); do
        echo "$t $(sqlite3 "$1" "SELECT count(*) FROM \"$t\"")"
    done
}
pg_counts() {
    local t
    for t in $(pg_db "$1" -c "SELECT table_schema||'.'||table_name FROM information_schema.tables
                              WHERE table_type='BASE TABLE' AND table_schema NOT IN
                              ('pg_catalog','information_schema') ORDER BY 1"); do
        echo "$t $(pg_db "$1" -c "SELECT count(*) FROM $t")"
    done
}
my_counts() {
    local t
    for t in $(myq information_schema "SELECT TABLE_NAME FROM TABLES WHERE TABLE_SCHEMA='$1'
                                       AND TABLE_TYPE='BASE TABLE' ORDER BY 1"); do
        echo "$t $(myq "$1" "SELECT count(*) FROM \`$t\`")"
    done
}
# json_counts FILE: "table rows" lines from dbrestore --list --json (parsed with python json)
json_counts() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for t in sorted(d["tables"], key=lambda t: ((t["schema"] or "") + "." + t["name"])):
    if t["name"].startswith("sqlite_"):
        continue
    print((t["schema"] + "." if t["schema"] else "") + t["name"], t["rows"])
PY
}

# The sample's tables (SQLite's sqlite_stat1 stays behind) into a new PostgreSQL / MySQL
# database $DB.
sample_into() {
    [ -s "$WORK/sample.dbd" ] || "$DBDUMP" -q -o "$WORK/sample.dbd" "$SAMPLE" ||
        fail "dbdump of the sample"
    "$DBRESTORE" -q -i "$WORK/sample.dbd" "$1" 2>"$WORK/load.err" ||
        fail "loading the sample into $1: $(cat "$WORK/load.err")"
}
load_pg() { need_pg; pg_newdb "$DB"; sample_into "$(pg_url "$DB")"; }
load_my() { need_mysql; my_newdb "$DB"; sample_into "$(my_url "$DB")"; }

case $CASE in
list-sqlite | list-pg | list-mysql)
    case $CASE in
    list-sqlite) SRC=$SAMPLE; sqlite_counts "$SRC" >"$WORK/want"; ENG=sqlite ;;
    list-pg) load_pg; SRC=$(pg_url "$DB"); pg_counts "$DB" >"$WORK/want"; ENG=postgresql ;;
    list-mysql) load_my; SRC=$(my_url "$DB"); my_counts "$DB" >"$WORK/want"; ENG=mysql ;;
    esac
    [ "$(wc -l <"$WORK/want")" = $NTABLES ] ||
        fail "source has $(wc -l <"$WORK/want") tables, want $NTABLES"
    expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$SRC"
    expect 0 "$DBRESTORE" --list --json -i "$WORK/a.dbd"
    cp "$WORK/out" "$WORK/list.json"
    python3 -m json.tool "$WORK/list.json" >/dev/null || fail "--list --json is not JSON"
    json_counts "$WORK/list.json" | LC_ALL=C sort >"$WORK/got"
    LC_ALL=C sort -o "$WORK/want" "$WORK/want" # (MySQL's collation orders post_tags after posts)
    diff "$WORK/want" "$WORK/got" >&2 || fail "tables/row counts differ from the source's"
    python3 - "$WORK/list.json" "$ENG" <<'PY' || fail "header fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["engine"] == sys.argv[2], d["engine"]
assert d["format_version"] == "1.2" and d["created"] and d["server_version"], d
assert all(len(t["columns"]) > 0 and all(c["type"] for c in t["columns"]) for t in d["tables"])
assert sum(t["rows"] for t in d["tables"]) == d["rows"]
PY
    # text listing: the same counts, from stdin, nothing restored
    "$DBRESTORE" --list <"$WORK/a.dbd" >"$WORK/list.txt" || fail "--list from stdin"
    grep -q "^Source: $ENG " "$WORK/list.txt" || fail "text listing has no Source line"
    while read -r t n; do
        grep -q "^Table $t: $n rows" "$WORK/list.txt" || fail "text listing: $t $n rows missing"
    done <"$WORK/want"
    # hostile names: control characters and invalid UTF-8 in a table name stay valid JSON
    rm -f "$WORK/h.db"
    sqlite3 "$WORK/h.db" "CREATE TABLE \"a\"\"b\\c$(printf '\t\001')x\" (v);
                          CREATE TABLE \"$(printf 'bad\377\376utf8 \303\251')\" (v);
                          INSERT INTO \"a\"\"b\\c$(printf '\t\001')x\" VALUES (1)"
    expect 0 "$DBDUMP" -q -o "$WORK/h.dbd" "$WORK/h.db"
    expect 0 "$DBRESTORE" --list --json -i "$WORK/h.dbd"
    python3 - "$WORK/out" <<'PY' || fail "hostile names in --list --json"
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
names = sorted(t["name"] for t in d["tables"])
assert names == ['a"b\\c\t\x01x', "bad\ufffd\ufffdutf8 \u00e9"], names
PY
    ;;
select-sqlite | select-pg)
    if [ "$CASE" = select-sqlite ]; then
        # posts references users; comments references posts and users. The copy has no
        # trigger: a --data-only load fires the target's triggers (as pg_restore's does
        # without --disable-triggers), and the sample's comments_count would count again.
        cp "$SAMPLE" "$WORK/src.db"
        sqlite3 "$WORK/src.db" "DROP TRIGGER comments_count"
        SRC=$WORK/src.db; ALBUM=posts; ARTIST=users; TRACK=comments
        mk_target() { rm -f "$WORK/$1.db"; echo "$WORK/$1.db"; }
        tables_of() { sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type='table'
                                    AND name NOT LIKE 'sqlite_%' ORDER BY 1" | tr '\n' ' '; }
        count_of() { sqlite3 "$1" "SELECT count(*) FROM \"$2\""; }
        nindex_of() { sqlite3 "$1" "SELECT count(*) FROM sqlite_master WHERE type='index'
                                    AND tbl_name='$2' AND sql IS NOT NULL"; }
    else
        load_pg; SRC=$(pg_url "$DB"); ALBUM=public.posts; ARTIST=public.users
        TRACK=public.comments
        mk_target() { pg_newdb "$DB$1"; pg_url "$DB$1"; }
        tables_of() { pg_db "${1##*/}" -c "SELECT table_schema||'.'||table_name FROM
            information_schema.tables WHERE table_schema='public' ORDER BY 1" | tr '\n' ' '; }
        count_of() { pg_db "${1##*/}" -c "SELECT count(*) FROM $2"; }
        nindex_of() { pg_db "${1##*/}" -c "SELECT count(*) FROM pg_indexes
                                           WHERE schemaname||'.'||tablename='$2'"; }
    fi
    want_art=$(if [ "$CASE" = select-sqlite ]; then count_of "$SRC" users; else
        pg_db "$DB" -c "SELECT count(*) FROM public.users"; fi)
    want_alb=$(if [ "$CASE" = select-sqlite ]; then count_of "$SRC" posts; else
        pg_db "$DB" -c "SELECT count(*) FROM public.posts"; fi)
    # dbdump -t: only those tables go into the archive (glob, repeatable)
    expect 0 "$DBDUMP" -t "$ALBUM" -t '*sers' -o "$WORK/two.dbd" "$SRC"
    grep -qi warning "$WORK/err" && fail "unexpected warning: $(cat "$WORK/err")"
    expect 0 "$DBRESTORE" --list --json -i "$WORK/two.dbd"
    json_counts "$WORK/out" >"$WORK/got"
    printf '%s %s\n%s %s\n' "$ALBUM" "$want_alb" "$ARTIST" "$want_art" >"$WORK/want"
    diff "$WORK/want" "$WORK/got" >&2 || fail "dbdump -t: archive content"
    T=$(mk_target two)
    expect 0 "$DBRESTORE" -q -i "$WORK/two.dbd" "$T"
    [ "$(tables_of "$T")" = "$ALBUM $ARTIST " ] || fail "restore of -t archive: $(tables_of "$T")"
    [ "$(count_of "$T" "$ALBUM")" = "$want_alb" ] || fail "album rows"
    # a table without the table its foreign key references: a clear warning
    expect 0 "$DBDUMP" -t "$ALBUM" -o "$WORK/alb.dbd" "$SRC"
    grep -qi "warning: table .*posts is selected but the table .*users its foreign key" \
        "$WORK/err" || fail "no foreign-key warning from dbdump: $(cat "$WORK/err")"
    # dbrestore -T on the full archive; post-data objects of unselected tables are skipped
    expect 0 "$DBDUMP" -q -o "$WORK/full.dbd" "$SRC"
    T=$(mk_target excl)
    expect 0 "$DBRESTORE" -T "$TRACK" -T '*post_*' -T '*ttach*' -i "$WORK/full.dbd" "$T"
    grep -qi "warning: table .*posts" "$WORK/err" && fail "spurious warning: $(cat "$WORK/err")"
    got=$(tables_of "$T")
    for x in $got; do
        case $x in *comments | *post_* | *ttach*) fail "excluded $x restored" ;; esac
    done
    [ "$(echo "$got" | wc -w)" = 4 ] || fail "dbrestore -T: tables $got"
    [ "$(nindex_of "$T" "$TRACK")" = 0 ] || fail "indexes of an excluded table were created"
    # dbrestore -t with the referenced table missing: warning
    T=$(mk_target one)
    expect 0 "$DBRESTORE" -t "$TRACK" -i "$WORK/full.dbd" "$T"
    grep -Eqi "warning: table .*comments is selected but the table .*(posts|users)" "$WORK/err" ||
        fail "no foreign-key warning from dbrestore: $(cat "$WORK/err")"
    # --schema-only then --data-only gives the full database again
    T=$(mk_target split)
    expect 0 "$DBRESTORE" -q --schema-only -i "$WORK/full.dbd" "$T"
    [ "$(count_of "$T" "$ALBUM")" = 0 ] || fail "--schema-only loaded rows"
    [ "$(nindex_of "$T" "$TRACK")" -gt 0 ] || fail "--schema-only: no indexes"
    if [ "$CASE" = select-sqlite ]; then
        expect 0 "$DBRESTORE" -q --data-only -i "$WORK/full.dbd" "$T"
        [ "$(count_of "$T" "$ALBUM")" = "$want_alb" ] || fail "--data-only rows"
        [ "$(sq_fp "$T")" = "$(sq_fp "$SRC")" ] || fail "schema-only + data-only != source"
    else
        expect 0 "$DBRESTORE" -q --data-only -i "$WORK/full.dbd" "$T"
        [ "$(count_of "$T" "$ALBUM")" = "$want_alb" ] || fail "--data-only rows"
        # compared as sorted lines: COPY into a table of the same transaction and into an
        # existing one put large rows on other heap pages
        [ "$(pg_fp "${T##*/}" | sort)" = "$(pg_fp "$DB" | sort)" ] ||
            fail "schema-only + data-only != source"
        # a sequence value is data: carried by --data-only (as pg_restore does)
        pg_db "$DB" -c "CREATE SEQUENCE ops_seq; SELECT setval('ops_seq', 4242)" >/dev/null
        expect 0 "$DBDUMP" -q -o "$WORK/seq.dbd" "$SRC"
        T=$(mk_target seq)
        expect 0 "$DBRESTORE" -q --schema-only -i "$WORK/seq.dbd" "$T"
        [ "$(pg_db "${T##*/}" -c "SELECT last_value FROM ops_seq")" = 1 ] || fail "schema-only seq"
        expect 0 "$DBRESTORE" -q --data-only -i "$WORK/seq.dbd" "$T"
        [ "$(pg_db "${T##*/}" -c "SELECT last_value FROM ops_seq")" = 4242 ] ||
            fail "--data-only did not carry the sequence value"
        pg_db "$DB" -c "DROP SEQUENCE ops_seq"
    fi
    # dbdump --schema-only / --data-only archives
    expect 0 "$DBDUMP" --schema-only -o "$WORK/s.dbd" "$SRC"
    expect 0 "$DBRESTORE" --list --json -i "$WORK/s.dbd"
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert d["rows"] == 0 and len(d["tables"]) >= 7 and d["objects"]' "$WORK/out" ||
        fail "--schema-only archive"
    expect 0 "$DBDUMP" --data-only -o "$WORK/d.dbd" "$SRC"
    expect 0 "$DBRESTORE" --list --json -i "$WORK/d.dbd"
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert d["rows"] > 4000 and all(o["kind"] == "sequence" for o in d["objects"])' "$WORK/out" ||
        fail "--data-only archive"
    T=$(mk_target dd)
    expect 0 "$DBRESTORE" -q -i "$WORK/s.dbd" "$T"
    expect 0 "$DBRESTORE" -q -i "$WORK/d.dbd" "$T" # a data-only archive: into existing tables
    [ "$(count_of "$T" "$ALBUM")" = "$want_alb" ] || fail "data-only archive rows"
    expect 2 "$DBDUMP" -t nosuchtable "$SRC"
    expect 2 "$DBDUMP" --schema-only --data-only "$SRC"
    ;;
select-mysql)
    # -t on MySQL, and --schema-only followed by --data-only gives the source again
    load_my
    expect 0 "$DBDUMP" -q -o "$WORK/full.dbd" "$(my_url "$DB")"
    my_newdb "${DB}_t"
    expect 0 "$DBRESTORE" -t 'posts' -t 'users' -i "$WORK/full.dbd" "$(my_url "${DB}_t")"
    [ "$(myq information_schema "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM TABLES
         WHERE TABLE_SCHEMA='${DB}_t'")" = "posts,users" ] || fail "-t on MySQL"
    q='SELECT count(*) FROM posts'
    [ "$(myq "${DB}_t" "$q")" = "$(myq "$DB" "$q")" ] ||
        fail "-t rows"
    my_newdb "${DB}_s"
    expect 0 "$DBRESTORE" -q --schema-only -i "$WORK/full.dbd" "$(my_url "${DB}_s")"
    [ "$(myq "${DB}_s" 'SELECT count(*) FROM comments')" = 0 ] || fail "--schema-only loaded rows"
    expect 0 "$DBRESTORE" -q --data-only -i "$WORK/full.dbd" "$(my_url "${DB}_s")"
    [ "$(my_fp "${DB}_s" | sed "s/${DB}_s/X/g")" = "$(my_fp "$DB" | sed "s/$DB/X/g")" ] ||
        fail "schema-only + data-only != source"
    ;;
progress)
    command -v script >/dev/null || fail "script (util-linux) not found"
    # on a pseudo-terminal: the progress line (\r-redrawn, table name, rows) and the summary
    script -qfec "$DBDUMP -o $WORK/a.dbd $SAMPLE" /dev/null >"$WORK/pty" ||
        fail "dbdump on a pty"
    grep -a -q $'\r.*dbdump: dumping comments [0-9]* | [0-9]* rows, .* in, .* out, [0-9]* rows/s' \
        "$WORK/pty" || fail "no progress line on the pty: $(head -c 600 "$WORK/pty" | cat -v)"
    grep -a -q "dumped .*: 8 tables, 4066 rows, [0-9]* bytes in, [0-9]* bytes out \
(ratio [0-9.]*), [0-9.]*s" \
        "$WORK/pty" || fail "no dbdump summary line"
    script -qfec "$DBRESTORE -i $WORK/a.dbd $WORK/r.db" /dev/null >"$WORK/pty2" ||
        fail "dbrestore on a pty"
    grep -a -q $'\r.*dbrestore: restoring ' "$WORK/pty2" || fail "no dbrestore progress on the pty"
    grep -a -q "restored .*: 8 tables, 4066 rows," "$WORK/pty2" || fail "no dbrestore summary"
    # ETA from the source's row estimate: PostgreSQL tables carry one
    # not a terminal: no progress unless forced
    expect 0 "$DBDUMP" -o "$WORK/b.dbd" "$SAMPLE"
    grep -q $'\r' "$WORK/err" && fail "progress drawn on a non-terminal"
    expect 0 "$DBDUMP" --progress -o "$WORK/b.dbd" "$SAMPLE"
    grep -q $'\r' "$WORK/err" || fail "--progress did not force the display"
    script -qfec "$DBDUMP --no-progress -o $WORK/a.dbd $SAMPLE" /dev/null >"$WORK/pty3"
    grep -a -q 'dumping' "$WORK/pty3" && fail "--no-progress drew progress"
    ;;
progress-pg)
    # ETA from the source's row estimates (PostgreSQL reltuples after ANALYZE)
    load_pg
    pg_db "$DB" -c ANALYZE
    expect 0 "$DBDUMP" --progress -o "$WORK/a.dbd" "$(pg_url "$DB")"
    tr '\r' '\n' <"$WORK/err" >"$WORK/lines"
    grep -q "dumping public.comments [0-9]*/2351 | [0-9]* rows, .*, ETA [0-9]*:[0-9][0-9]" \
        "$WORK/lines" || fail "no per-table estimate and ETA: $(head -c 800 "$WORK/lines")"
    expect 0 "$DBRESTORE" --progress -i "$WORK/a.dbd" "$WORK/r.db" # PostgreSQL -> SQLite
    tr '\r' '\n' <"$WORK/err" >"$WORK/lines"
    grep -q "restored .*: 7 tables, 4057 rows" "$WORK/lines" || fail "restore summary"
    ;;
quiet)
    command -v script >/dev/null || fail "script (util-linux) not found"
    script -qfec "$DBDUMP -q -o $WORK/a.dbd $SAMPLE" /dev/null >"$WORK/pty" || fail dump
    [ ! -s "$WORK/pty" ] || fail "dbdump -q printed: $(cat -v "$WORK/pty" | head -c 300)"
    script -qfec "$DBRESTORE -q -i $WORK/a.dbd $WORK/r.db" /dev/null >"$WORK/pty" || fail restore
    [ ! -s "$WORK/pty" ] || fail "dbrestore -q printed: $(cat -v "$WORK/pty" | head -c 300)"
    script -qfec "$DBRESTORE -q --clean --yes -i $WORK/a.dbd $WORK/r.db" /dev/null >"$WORK/pty" ||
        fail "restore --clean"
    [ ! -s "$WORK/pty" ] || fail "dbrestore -q --clean printed: $(cat -v "$WORK/pty" | head -c 300)"
    expect 0 "$DBDUMP" -q -o "$WORK/b.dbd" "$SAMPLE"
    [ ! -s "$WORK/err" ] && [ ! -s "$WORK/out" ] || fail "dbdump -q printed something"
    # an error still prints in -q mode
    expect 3 "$DBDUMP" -q "$WORK/nonexistent.db"
    [ -s "$WORK/err" ] || fail "-q hid the error"
    ;;
confirm)
    command -v script >/dev/null || fail "script (util-linux) not found"
    expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$SAMPLE"
    cp "$SAMPLE" "$WORK/t.db"
    sqlite3 "$WORK/t.db" "DELETE FROM comments WHERE id > 10"
    before=$(sq_fp "$WORK/t.db" | md5sum)
    # a person says no: nothing changes, exit non-zero, the question names target and tables
    rc=0
    echo n | script -qfec "$DBRESTORE --clean -i $WORK/a.dbd $WORK/t.db" /dev/null \
        >"$WORK/pty" || rc=$?
    [ "$rc" = 1 ] || fail "answer n: exit $rc, want 1"
    grep -a -q "will DROP those of these 8 tables that exist in $WORK/t.db" "$WORK/pty" ||
        fail "question: $(cat -v "$WORK/pty")"
    grep -a -q "comments" "$WORK/pty" && grep -a -q "Continue? \[y/N\]" "$WORK/pty" ||
        fail "question text"
    [ "$(sq_fp "$WORK/t.db" | md5sum)" = "$before" ] || fail "target changed after 'n'"
    # a new SQLite file: nothing to drop, no question
    script -qfec "$DBRESTORE --clean -i $WORK/a.dbd $WORK/new.db" /dev/null </dev/null \
        >"$WORK/pty" || fail "--clean into a new file: $(cat -v "$WORK/pty")"
    grep -a -q Continue "$WORK/pty" && fail "asked before --clean into a new file"
    # yes: restored
    echo y | script -qfec "$DBRESTORE --clean -i $WORK/a.dbd $WORK/t.db" /dev/null \
        >"$WORK/pty" || fail "answer y failed: $(cat -v "$WORK/pty")"
    [ "$(sqlite3 "$WORK/t.db" 'SELECT count(*) FROM comments')" = 2351 ] || fail "not restored after y"
    # --yes: no question on a terminal
    sqlite3 "$WORK/t.db" "DELETE FROM comments WHERE id > 10"
    script -qfec "$DBRESTORE --clean --yes -i $WORK/a.dbd $WORK/t.db" /dev/null </dev/null \
        >"$WORK/pty" || fail "--yes failed"
    grep -a -q Continue "$WORK/pty" && fail "--yes still asked"
    [ "$(sqlite3 "$WORK/t.db" 'SELECT count(*) FROM comments')" = 2351 ] || fail "--yes: not restored"
    # no terminal (cron, pipes): proceeds as told
    sqlite3 "$WORK/t.db" "DELETE FROM comments WHERE id > 10"
    expect 0 "$DBRESTORE" --clean -i "$WORK/a.dbd" "$WORK/t.db" </dev/null
    grep -q Continue "$WORK/err" && fail "asked without a terminal"
    [ "$(sqlite3 "$WORK/t.db" 'SELECT count(*) FROM comments')" = 2351 ] || fail "no tty: not restored"
    ;;
tosql-sqlite)
    expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$SAMPLE"
    expect 0 "$DBRESTORE" --to-sql sqlite -i "$WORK/a.dbd"
    mv "$WORK/out" "$WORK/a.sql"
    sqlite3 -bail "$WORK/s.db" <"$WORK/a.sql" || fail "sqlite3 refused the script"
    expect 0 "$DBRESTORE" -q -i "$WORK/a.dbd" "$WORK/d.db"
    [ "$(sq_fp "$WORK/s.db")" = "$(sq_fp "$WORK/d.db")" ] || fail "script != direct restore"
    # edge values: quotes, backslashes, NUL in text, blobs, exact and special floats, NULL
    rm -f "$WORK/e.db"
    sqlite3 "$WORK/e.db" "CREATE TABLE e (id INTEGER PRIMARY KEY, v);
        INSERT INTO e (v) VALUES ('it''s \\ \"q\"'), (CAST(X'610062' AS TEXT)), (X'00ff27'),
        (0.1), (5e-324), (-0.0), (9e999), (-9e999), (1.0), (NULL), (9223372036854775807),
        (''), (X''), ('ünï ☃'), (CAST(X'ff' AS TEXT)), (CAST(X'610d0a62' AS TEXT)),
        (CAST(X'0d' AS TEXT)), (CAST(X'0a0d0d0a' AS TEXT)), (CAST(X'0d00ff' AS TEXT))"
    expect 0 "$DBDUMP" -q -o "$WORK/e.dbd" "$WORK/e.db"
    expect 0 "$DBRESTORE" --to-sql sqlite -i "$WORK/e.dbd"
    sqlite3 -bail "$WORK/e2.db" <"$WORK/out" || fail "edge script refused"
    q="SELECT id, typeof(v), hex(v), quote(v), CASE WHEN typeof(v) = 'real' THEN
       hex(ieee754_to_blob(v)) END FROM e ORDER BY id" # reals bit for bit
    [ "$(sqlite3 "$WORK/e.db" "$q")" = "$(sqlite3 "$WORK/e2.db" "$q")" ] ||
        fail "edge values differ: $(diff <(sqlite3 "$WORK/e.db" "$q") \
                                        <(sqlite3 "$WORK/e2.db" "$q"))"
    # a cut archive: exit 5, and the partial script ends in ROLLBACK (loading it changes nothing)
    sqlite3 "$WORK/big.db" "CREATE TABLE b (id INTEGER PRIMARY KEY, v BLOB);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
        INSERT INTO b SELECT i, randomblob(1000) FROM n"
    expect 0 "$DBDUMP" -q -o "$WORK/big.dbd" "$WORK/big.db"
    head -c $(($(stat -c %s "$WORK/big.dbd") / 2)) "$WORK/big.dbd" >"$WORK/cut.dbd"
    expect 5 "$DBRESTORE" --to-sql sqlite -i "$WORK/cut.dbd"
    tail -1 "$WORK/out" | grep -qx 'ROLLBACK;' || fail "cut script does not end in ROLLBACK"
    sqlite3 "$WORK/cut.db" <"$WORK/out" 2>/dev/null || true
    [ "$(sqlite3 "$WORK/cut.db" "SELECT count(*) FROM sqlite_master")" = 0 ] ||
        fail "loading a cut script left tables behind"
    expect 2 "$DBRESTORE" --to-sql oracle -i "$WORK/a.dbd"
    expect 2 "$DBRESTORE" --to-sql sqlite -i "$WORK/a.dbd" "$WORK/x.db"
    ;;
tosql-pg)
    load_pg
    expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$(pg_url "$DB")"
    expect 0 "$DBRESTORE" --to-sql postgresql -i "$WORK/a.dbd"
    mv "$WORK/out" "$WORK/a.sql"
    pg_newdb "${DB}_s"
    pg_newdb "${DB}_d"
    pg_db "${DB}_s" -f "$WORK/a.sql" >/dev/null 2>"$WORK/psql.err" ||
        fail "psql refused the script: $(head -3 "$WORK/psql.err")"
    expect 0 "$DBRESTORE" -q -i "$WORK/a.dbd" "$(pg_url "${DB}_d")"
    # same lines: one INSERT per row and COPY place large rows on different heap pages
    [ "$(pg_fp "${DB}_s" | sort)" = "$(pg_fp "${DB}_d" | sort)" ] || fail "script != direct restore"
    [ "$(pg_fp "${DB}_s" | sort)" = "$(pg_fp "$DB" | sort)" ] || fail "script != source"
    # edge values
    pg_newdb "${DB}_e"
    pg_db "${DB}_e" -c "CREATE TABLE e (id int PRIMARY KEY, t text, b bytea, f float8,
        r real, n numeric, ts timestamptz, u uuid, j jsonb, iv interval, bo boolean);
        INSERT INTO e VALUES (1, E'it''s \\\\ \"q\" \\n tab\\t', '\\x00ff27', 0.1, 3.4028235e38,
          1e-30, '2024-02-29 12:00:00.123456+00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          '{\"a\": [1, \"x\"]}', '1 year 2 days 00:00:00.000001', true),
        (2, '', '\\x', 5e-324, 'Infinity', 'NaN', '-infinity', NULL, 'null', '-1 mon', false),
        (3, NULL, NULL, '-Infinity', -0.0, -123.4500, NULL, NULL, NULL, NULL, NULL),
        (4, E'a\\r\\nb\\r', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (5, E'\\r\\\\r ''\\n\\r\\n', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
    expect 0 "$DBDUMP" -q -o "$WORK/e.dbd" "$(pg_url "${DB}_e")"
    expect 0 "$DBRESTORE" --to-sql postgresql -i "$WORK/e.dbd"
    pg_newdb "${DB}_e2"
    pg_db "${DB}_e2" -f "$WORK/out" >/dev/null 2>"$WORK/psql.err" ||
        fail "psql refused the edge script: $(head -3 "$WORK/psql.err")"
    [ "$(pg_fp "${DB}_e")" = "$(pg_fp "${DB}_e2")" ] || fail "edge values differ"
    ;;
tosql-mysql)
    load_my
    expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$(my_url "$DB")"
    expect 0 "$DBRESTORE" --to-sql mysql -i "$WORK/a.dbd"
    mv "$WORK/out" "$WORK/a.sql"
    my_newdb "${DB}_s"
    my_newdb "${DB}_d"
    my "${DB}_s" <"$WORK/a.sql" 2>"$WORK/my.err" || fail "mysql refused: $(head -3 "$WORK/my.err")"
    expect 0 "$DBRESTORE" -q -i "$WORK/a.dbd" "$(my_url "${DB}_d")"
    [ "$(my_fp "${DB}_s" | sed "s/${DB}_s/X/g")" = "$(my_fp "${DB}_d" | sed "s/${DB}_d/X/g")" ] ||
        fail "script != direct restore"
    my_newdb "${DB}_e"
    myq "${DB}_e" "CREATE TABLE e (id int PRIMARY KEY, t text, b blob, f double, r float,
        n decimal(20,6), d datetime(6), y year, bi bit(10), j json);
        INSERT INTO e VALUES (1, 'it''s \\\\ \"q\" \\n \\0 \\Z', X'00ff275c', 0.1, 3.40282e38,
          -123.450000, '2024-02-29 12:00:00.123456', 2024, b'1010101010', '{\"a\": 1}'),
        (2, '', X'', 5e-324, 1.17549e-38, 0, '0000-00-00 00:00:00', 0, b'0', NULL),
        (3, NULL, NULL, -0.0, NULL, NULL, NULL, NULL, NULL, NULL),
        (4, 'a\\r\\nb\\r', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (5, '\\r\\\\r ''\\n\\r\\n', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
    expect 0 "$DBDUMP" -q -o "$WORK/e.dbd" "$(my_url "${DB}_e")"
    expect 0 "$DBRESTORE" --to-sql mysql -i "$WORK/e.dbd"
    my_newdb "${DB}_e2"
    my "${DB}_e2" <"$WORK/out" 2>"$WORK/my.err" || fail "edge script: $(head -3 "$WORK/my.err")"
    [ "$(my_fp "${DB}_e" | sed "s/${DB}_e/X/g")" = "$(my_fp "${DB}_e2" | sed "s/${DB}_e2/X/g")" ] ||
        fail "edge values differ"
    ;;
tosql-cross)
    # cross-dialect scripts (the cross-engine translation) load like a direct restore
    need_pg
    need_mysql
    expect 0 "$DBDUMP" -q -o "$WORK/sq.dbd" "$SAMPLE"
    expect 0 "$DBRESTORE" -q --to-sql postgresql -i "$WORK/sq.dbd"
    pg_newdb "${DB}_s"
    pg_newdb "${DB}_d"
    pg_db "${DB}_s" -f "$WORK/out" >/dev/null 2>"$WORK/psql.err" ||
        fail "psql refused the sqlite->postgresql script: $(head -3 "$WORK/psql.err")"
    expect 0 "$DBRESTORE" -q -i "$WORK/sq.dbd" "$(pg_url "${DB}_d")"
    # same rows (the physical order of heap pages may differ), same schema
    [ "$(pg_fp "${DB}_s" | sort)" = "$(pg_fp "${DB}_d" | sort)" ] ||
        fail "sqlite->postgresql script != direct restore"
    expect 0 "$DBRESTORE" -q --to-sql mysql -i "$WORK/sq.dbd"
    my_newdb "${DB}_s"
    my_newdb "${DB}_d"
    my "${DB}_s" <"$WORK/out" 2>"$WORK/my.err" || fail "sqlite->mysql: $(head -3 "$WORK/my.err")"
    expect 0 "$DBRESTORE" -q -i "$WORK/sq.dbd" "$(my_url "${DB}_d")"
    [ "$(my_fp "${DB}_s" | sed "s/${DB}_s/X/g")" = "$(my_fp "${DB}_d" | sed "s/${DB}_d/X/g")" ] ||
        fail "sqlite->mysql script != direct restore"
    load_pg
    # real (float32) values whose shortest text has an exponent or no point: 1e+10 must not
    # gain a ".0" (a syntax error), 100 must stay REAL
    pg_db "$DB" -c "CREATE TABLE f4 (id int PRIMARY KEY, v real);
        INSERT INTO f4 VALUES (1, 1e10), (2, 100), (3, -3.5e20), (4, 0.1), (5, 16777216)" ||
        fail "creating f4"
    expect 0 "$DBDUMP" -q -o "$WORK/pg.dbd" "$(pg_url "$DB")"
    expect 0 "$DBRESTORE" -q --to-sql sqlite -i "$WORK/pg.dbd"
    sqlite3 -bail "$WORK/s.db" <"$WORK/out" || fail "sqlite3 refused the postgresql->sqlite script"
    expect 0 "$DBRESTORE" -q -i "$WORK/pg.dbd" "$WORK/d.db"
    [ "$(sq_fp "$WORK/s.db")" = "$(sq_fp "$WORK/d.db")" ] || fail "postgresql->sqlite script"
    ;;
readme)
    # The README's usage examples, run as written with the hosts, databases and paths replaced
    # by the test's own (ssh is a stand-in that runs its command here).
    need_pg
    README=$SRCDIR/README.md
    mkdir -p "$WORK/bin" "$WORK/backups"
    ln -s "$DBDUMP" "$WORK/bin/dbdump"
    ln -s "$DBRESTORE" "$WORK/bin/dbrestore"
    printf '#!/bin/sh\nshift\nexec sh -c "$*"\n' >"$WORK/bin/ssh"
    chmod +x "$WORK/bin/ssh"
    export PATH="$WORK/bin:$PATH"
    # block HEADING: the first ```sh (or ```cron) block after the "### HEADING" line
    block() { awk -v h="### $1" '$0 == h {f = 1; next} f && /^```(sh|cron)$/ {b = 1; next}
                                 b && /^```$/ {exit} b {print}' "$README"; }
    run_lines() { # run each non-comment line of stdin after the substitutions in $SUBST
        local line
        while IFS= read -r line; do
            line=${line%%#*}
            [ -n "${line// /}" ] || continue
            line=$(printf '%s\n' "$line" | sed -e "$SUBST")
            note "run: $line"
            bash -euo pipefail -c "$line" >"$WORK/out" 2>"$WORK/err" ||
                fail "README example failed: $line: $(cat "$WORK/err")"
        done
    }
    load_pg
    SRC_PG=$(pg_url "$DB")
    cp "$SAMPLE" "$WORK/app.db"
    # cron: quiet, dated file, then --check
    [ -n "$(block 'Nightly backup from cron')" ] || fail "no cron example in the README"
    SUBST="s|^15 3 \* \* \* *||; s|\\\\%|%|g; s|postgresql://backup@db/app|$SRC_PG|;
           s|/backups/|$WORK/backups/|g"
    block 'Nightly backup from cron' | head -1 | run_lines
    [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "cron example printed something"
    f=$WORK/backups/app-$(date +%F).dbd
    [ -s "$f" ] || fail "cron example did not write $f"
    SUBST="s|/backups/app-2026-11-23.dbd|$f|"
    awk '/^### Nightly backup from cron/ {f = 1} f && /^dbrestore --check/ {print; exit}' \
        "$README" | run_lines
    grep -q "archive OK" "$WORK/out" || fail "--check example"
    # ssh
    pg_newdb "${DB}_shop"
    SUBST="s|postgresql://app@localhost/shop|$SRC_PG|;
           s|postgresql://postgres@localhost/shop|$(pg_url "${DB}_shop")|;
           s| app.db | $WORK/app.db |; s|/backups/|$WORK/backups/|g"
    block 'Across machines through ssh' | run_lines
    [ "$(pg_fp "${DB}_shop")" = "$(pg_fp "$DB")" ] || fail "ssh example: copy differs"
    "$DBRESTORE" --check -i "$WORK/backups/app.dbd" >/dev/null || fail "ssh example archive"
    # cross-engine migration with --plan and --verify
    pg_newdb "${DB}_app"
    SUBST="s|^dbdump app.db -o app.dbd|dbdump $WORK/app.db -o $WORK/app.dbd|;
           s|-i app.dbd|-i $WORK/app.dbd|; s|postgresql://app@db/app|$(pg_url "${DB}_app")|"
    block 'Cross-engine migration' | run_lines
    grep -q "Rows restored: 4057" "$WORK/out" || fail "--verify example: $(tail -2 "$WORK/out")"
    # listing, selection, SQL scripts
    "$DBDUMP" -q -o "$WORK/shop.dbd" "$SRC_PG"
    pg_newdb "${DB}_scratch"
    pg_newdb "${DB}_shop2"
    SHOP2=$(pg_url "${DB}_shop2")
    SUBST="s| app.dbd| $WORK/app.dbd|g; s| app.db | $WORK/app.db |; s| posts.dbd| $WORK/i.dbd|;
           s| shop.dbd| $WORK/shop.dbd|g; s|postgresql://app@db/scratch|$(pg_url "${DB}_scratch")|;
           s|> shop.sql|> $WORK/shop.sql|;
           s|-d shop2 -f shop.sql|-X -q -v ON_ERROR_STOP=1 -d $SHOP2 -f $WORK/shop.sql|"
    block 'Looking inside an archive, restoring part of it, SQL scripts' | run_lines
    [ "$(pg_fp "${DB}_shop2" | sort)" = "$(pg_fp "$DB" | sort)" ] ||
        fail "--to-sql example: copy differs" # (rows on other heap pages: compared as lines)
    [ "$(pg_db "${DB}_scratch" -c 'SELECT count(*) FROM public.users')" = 0 ] ||
        fail "--schema-only example"
    "$DBRESTORE" --list --json -i "$WORK/i.dbd" >"$WORK/i.json"
    [ "$(json_counts "$WORK/i.json" | cut -d' ' -f1 | tr '\n' ' ')" = "posts " ] ||
        fail "-t example: $(json_counts "$WORK/i.json")"
    ;;
*)
    fail "unknown case $CASE"
    ;;
esac
echo ok
