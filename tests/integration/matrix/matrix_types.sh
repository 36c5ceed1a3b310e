#!/usr/bin/env bash
# matrix_types.sh SOURCE DBDUMP DBRESTORE WORKDIR
#
# Cross-engine type test. SOURCE gets a table "edge" with one column per portable type its
# engine has, filled with edge values (extremes, denormals, 6-digit fractions, non-BMP text,
# empty and NUL-holding bytes) and a row of NULLs; it is dumped once and restored into SQLite,
# PostgreSQL and MySQL with --verify. Every value must arrive equal: the test reads each
# column with each engine's own client in a canonical text form (integers, exact decimal
# text, hex of text and bytes, floats as the shortest text of the same double, 26-character
# timestamps, 0/1 booleans) and compares the target with the source.
# Then the lossy cases of spec/TYPES.md ("Cross-engine matrix"), one table per archive
# (dbdump -t): refused with exit 7 naming table, column and row; with --lossy the documented
# conversion, counted and verified. Also --plan (nothing written) and a --verify mismatch
# (exit 10).
set -euo pipefail

SRC=$1
DBDUMP=$2
DBRESTORE=$3
WORK=$4
NAME="matrix_types_$SRC"
PREFIX="dbt_mxt_${SRC:0:2}_$$"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

case "$SRC" in
sqlite)
    cols="id:int i:int r:f64 t:text b:blob d:str ts:ts26 bo:bool j:text"
    load="CREATE TABLE edge (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB,
    d DATE, ts DATETIME, bo BOOLEAN, j JSON);
INSERT INTO edge VALUES (1, -9223372036854775808, 1.7976931348623157e308,
    'Grüße 𝄞 tab	\"q\" ''s'' \\ \`b\`', X'00FF100A', '0001-01-01', '1970-01-01 00:00:00.000001',
    1, '{\"a\": [1, 2.5], \"b\": null}');
INSERT INTO edge VALUES (2, 9223372036854775807, 4.9406564584124654e-324, '', X'',
    '9999-12-31', '9999-12-31 23:59:59.999999', 0, '[]');
INSERT INTO edge VALUES (3, 0, -2.5, 'ENC:v3:k1:00ff', X'00', '2024-02-29',
    '2000-02-29 12:00:00.500001', 1, '\"x\"');
INSERT INTO edge (id) VALUES (4);"
    ;;
postgresql)
    cols="id:int i16:int i32:int i64:int f32:f64 f64:f64 dec:str t:text vc:text b:blob d:str ts:ts26 tz:ts26 bo:bool j:text u:uuid tm:str"
    load="CREATE TABLE edge (id integer PRIMARY KEY, i16 smallint, i32 integer, i64 bigint,
    f32 real, f64 double precision, dec numeric(30,10), t text, vc varchar(20), b bytea,
    d date, ts timestamp(6), tz timestamptz(6), bo boolean, j json, u uuid, tm time(6));
SET TimeZone = 'UTC';
INSERT INTO edge VALUES (1, -32768, -2147483648, -9223372036854775808, 3.4028235e38,
    1.7976931348623157e308, -99999999999999999999.9999999999,
    E'Grüße 𝄞 tab\\t\"q\" ''s'' \\\\ \`b\`', 'éééééééééééééééééééé', '\\x00ff100a', '0001-01-01',
    '1970-01-01 00:00:00.000001', '2038-01-19 03:14:07.999999+00', true,
    '{\"a\": [1, 2.5], \"b\": null}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '23:59:59.999999');
INSERT INTO edge VALUES (2, 32767, 2147483647, 9223372036854775807, 1.17549435e-38,
    4.9406564584124654e-324, 12345678901234567890.0123456789, '', '', '\\x', '9999-12-31',
    '9999-12-31 23:59:59.999999', '1970-01-01 00:00:00.000001+00', false, '[]',
    '00000000-0000-0000-0000-000000000000', '00:00:00.000001');
INSERT INTO edge VALUES (3, 0, 0, 0, -1.5, -2.5, 0.0000000001, 'ENC:v3:k1:00ff', 'x', '\\x00',
    '2024-02-29', '2000-02-29 12:00:00.500001', '2000-02-29 23:59:59.000001+00', true, '\"x\"',
    'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12', '12:00:00.000001');
INSERT INTO edge (id) VALUES (4);"
    ;;
mysql)
    cols="id:int i8:int u8:int i16:int i24:int i32:int u32:int i64:int u64:int f32:f64 f64:f64 dec:str t:text vc:text b:blob d:str ts:ts26 tz:ts26 bo:bool j:text tm:str y:int e:text"
    load="SET time_zone = '+00:00';
CREATE TABLE edge (id int PRIMARY KEY, i8 tinyint, u8 tinyint unsigned, i16 smallint,
    i24 mediumint, i32 int, u32 int unsigned, i64 bigint, u64 bigint unsigned, f32 float,
    f64 double, \`dec\` decimal(30,10), t text, vc varchar(20), b longblob, d date,
    ts datetime(6), tz timestamp(6) NULL DEFAULT NULL, bo tinyint(1), j json, tm time, y year,
    e enum('a','b c')) CHARACTER SET utf8mb4;
INSERT INTO edge VALUES (1, -128, 255, -32768, -8388608, -2147483648, 4294967295,
    -9223372036854775808, 9223372036854775807, 1e38, 1.7976931348623157e308,
    -99999999999999999999.9999999999, 'Grüße 𝄞 tab\\t\"q\" ''s'' \\\\ \`b\`',
    'éééééééééééééééééééé', X'00FF100A', '1000-01-01', '1000-01-01 00:00:00.000001',
    '1970-01-01 00:00:01.000001', 1, '{\"a\": [1, 2.5], \"b\": null}', '-838:59:59', 1901, 'b c');
INSERT INTO edge VALUES (2, 127, 0, 32767, 8388607, 2147483647, 0, 9223372036854775807, 0,
    -1.5, 4.9406564584124654e-324, 12345678901234567890.0123456789, '', '', X'', '9999-12-31',
    '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', 0, '[]', '838:59:59', 2155,
    'a');
INSERT INTO edge VALUES (3, 0, 1, 0, 0, 0, 1, 0, 1, 0.25, -2.5, 0.0000000001,
    'ENC:v3:k1:00ff', 'x', X'00', '2024-02-29', '2000-02-29 12:00:00.500001',
    '2000-02-29 23:59:59.000001', 1, '\"x\"', '00:00:00', 2000, 'a');
INSERT INTO edge (id) VALUES (4);"
    ;;
*) fail "unknown source $SRC" ;;
esac

# Canonical text of a column in an engine (see the file comment); NULL is '~' and any value
# ':<text>' (null_marked), so the rows of '' / X'' and of NULLs differ.
cexpr() { # cexpr ENGINE KIND COLUMN
    local c v
    c=$(qi "$1" "$3")
    case "$1:$2" in
    *:int | *:text | *:blob) expr_for "$1" "$2" "$3"; return ;;
    sqlite:bool | mysql:bool) expr_for "$1" int "$3"; return ;;
    sqlite:f64) v="printf('%!.20e', $c)" ;; # 21 digits: the same double
    postgresql:f64) v="CAST(CAST($c AS float8) AS TEXT)" ;;
    mysql:f64) v="CAST($c AS DOUBLE)" ;;
    sqlite:str | postgresql:str) v="CAST($c AS TEXT)" ;;
    mysql:str) v="CAST($c AS CHAR)" ;;
    sqlite:ts26 | postgresql:ts26) v="substr(CAST($c AS TEXT), 1, 26)" ;;
    mysql:ts26) v="SUBSTR(CAST($c AS CHAR), 1, 26)" ;;
    postgresql:bool)
        v="CASE WHEN CAST($c AS TEXT) IN ('true', '1') THEN '1'
            WHEN CAST($c AS TEXT) IN ('false', '0') THEN '0' END" ;;
    *:uuid) v="lower(CAST($c AS $( [ "$1" = mysql ] && echo CHAR || echo TEXT)))" ;;
    esac
    null_marked "$1" "$c" "$v"
}
# canon ENGINE URL: the rows of edge in canonical form, floats as Python's repr of the double.
canon() {
    local sel="" c kinds=""
    for c in $cols; do
        sel="$sel${sel:+, }$(cexpr "$1" "${c#*:}" "${c%%:*}")"
        kinds="$kinds${kinds:+ }${c#*:}"
    done
    q "$1" "$2" "SELECT $sel FROM $(qi "$1" edge) ORDER BY 1" | python3 -c '
import sys
kinds = sys.argv[1].split()
for line in sys.stdin:
    f = line.rstrip("\n").split("|")
    print("|".join(":" + repr(float(v[1:])) if k == "f64" and v[:1] == ":" else v
                   for k, v in zip(kinds, f)))
' "$kinds"
}

new_db "$SRC" src
src_url=$NEWURL
case "$SRC" in
sqlite) lite_q "${src_url#sqlite:}" "$load" ;;
postgresql) psql -X -q -v ON_ERROR_STOP=1 -d "$src_url" -c "$load" >/dev/null ;;
mysql) my "${src_url##*/}" -e "$load" ;;
esac || fail "creating the edge table failed"
"$DBDUMP" -q "$src_url" -o "$WORK/edge.dbd" || fail "dbdump of edge failed"
canon "$SRC" "$src_url" >"$WORK/src.canon"
[ "$(wc -l <"$WORK/src.canon")" = 4 ] || fail "source canon: $(cat "$WORK/src.canon")"

for tgt in sqlite postgresql mysql; do
    new_db "$tgt" "edge_$tgt"
    url=$NEWURL
    run_restore 0 "$WORK/edge-$tgt" --verify -i "$WORK/edge.dbd" "$url"
    grep -q '^edge .* 4 .* OK$' "$WORK/edge-$tgt.out" ||
        fail "$SRC -> $tgt: --verify: $(cat "$WORK/edge-$tgt.out")"
    canon "$tgt" "$url" >"$WORK/$tgt.canon"
    diff "$WORK/src.canon" "$WORK/$tgt.canon" >&2 ||
        fail "$SRC -> $tgt: edge values differ (< source, > target)"
    echo "ok types $SRC -> $tgt: $(wc -w <<<"$cols") columns x 4 rows equal"
done

# ------------------------------------------------------------------ lossy cases
# lossy TABLE COLUMN TARGET MODE [VALUE]: restore the one-table archive of TABLE into TARGET.
#   refused: exit 7 naming table, column and row 1, nothing left in the target table;
#   lossy:   refused without --lossy, then with --lossy exit 0, --verify OK, the value is
#            VALUE ("" = NULL) and the lossy conversion is reported;
#   equal:   exit 0, --verify OK, the value read back is VALUE.
lossy() {
    local table=$1 col=$2 tgt=$3 mode=$4 want=${5:-} url got
    new_db "$tgt" "${table}_$tgt"
    url=$NEWURL
    case "$mode" in
    refused | lossy)
        run_restore 7 "$WORK/$table-$tgt" --verify -i "$WORK/$table.dbd" "$url"
        grep -q "$table.*$col.*row 1" "$WORK/$table-$tgt.err" ||
            fail "$table -> $tgt: refusal does not name table, column, row: $(cat "$WORK/$table-$tgt.err")"
        [ -z "$(table_counts "$tgt" "$url")" ] || fail "$table -> $tgt: refused restore left tables"
        ;;
    esac
    case "$mode" in
    refused) echo "ok lossy $SRC $table -> $tgt: refused: $(tail -1 "$WORK/$table-$tgt.err")"; return ;;
    lossy)
        new_db "$tgt" "${table}_${tgt}_l"
        url=$NEWURL
        run_restore 0 "$WORK/$table-$tgt-l" --lossy --verify -i "$WORK/$table.dbd" "$url"
        grep -q -- "--lossy: 1 rows" "$WORK/$table-$tgt-l.err" ||
            fail "$table -> $tgt: lossy conversion not reported: $(cat "$WORK/$table-$tgt-l.err")"
        ;;
    equal) run_restore 0 "$WORK/$table-$tgt" --verify -i "$WORK/$table.dbd" "$url" ;;
    esac
    grep -q "^$table .* 1 .* OK$" "$WORK/$table-$tgt${mode/lossy/-l}.out" 2>/dev/null ||
        grep -q "^$table .* 1 .* OK$" "$WORK/$table-$tgt.out" ||
        fail "$table -> $tgt: --verify not OK"
    got=$(q "$tgt" "$url" "SELECT $(cexpr "$tgt" str "$col") FROM $(qi "$tgt" "$table")")
    # cexpr marks NULL '~' and a value ':VALUE'
    [ -n "$want" ] && want=":$want" || want="~"
    [ "$got" = "$want" ] || fail "$table -> $tgt ($mode): got '$got', expected '$want'"
    echo "ok lossy $SRC $table -> $tgt: $mode, value '${got#:}'"
}

# mk_lossy TABLE SQL: a source database of its own holding TABLE, dumped to TABLE.dbd.
mk_lossy() {
    local u
    new_db "$SRC" "src_$1"
    u=$NEWURL
    case "$SRC" in
    postgresql) psql -X -q -v ON_ERROR_STOP=1 -d "$u" -c "$2" >/dev/null ;;
    mysql) my "${u##*/}" -e "$2" ;;
    esac || fail "creating $1 failed"
    "$DBDUMP" -q "$u" -o "$WORK/$1.dbd" || fail "dbdump of $1 failed"
}

case "$SRC" in
postgresql)
    mk_lossy l_inf "CREATE TABLE l_inf (id int PRIMARY KEY, d date); INSERT INTO l_inf VALUES (1, 'infinity');"
    mk_lossy l_nan "CREATE TABLE l_nan (id int PRIMARY KEY, f float8); INSERT INTO l_nan VALUES (1, 'NaN');"
    mk_lossy l_negz "CREATE TABLE l_negz (id int PRIMARY KEY, f float8); INSERT INTO l_negz VALUES (1, '-0');"
    lossy l_inf d postgresql equal infinity
    lossy l_inf d mysql lossy ""
    lossy l_inf d sqlite equal infinity
    lossy l_nan f postgresql equal NaN
    lossy l_nan f mysql lossy ""
    lossy l_nan f sqlite lossy ""
    lossy l_negz f postgresql equal -0
    lossy l_negz f sqlite lossy 0.0
    # --plan names what will not arrive unchanged, writes nothing, needs no server.
    "$DBRESTORE" --plan -i "$WORK/l_nan.dbd" "mysql://nobody@127.0.0.1:1/none" >"$WORK/plan.out" 2>&1 ||
        fail "--plan failed: $(cat "$WORK/plan.out")"
    grep -q '^plan: ' "$WORK/plan.out" || fail "--plan has no summary line: $(cat "$WORK/plan.out")"
    grep -q '^table "l_nan" column "f": .*NaN.*refused' "$WORK/plan.out" ||
        fail "--plan does not name l_nan.f: $(cat "$WORK/plan.out")"
    echo "ok plan: $(tail -1 "$WORK/plan.out")"
    ;;
mysql)
    mk_lossy l_u64 "CREATE TABLE l_u64 (id int PRIMARY KEY, u bigint unsigned);
INSERT INTO l_u64 VALUES (1, 18446744073709551615);"
    mk_lossy l_zero "SET SESSION sql_mode = '';
CREATE TABLE l_zero (id int PRIMARY KEY, d date); INSERT INTO l_zero VALUES (1, '0000-00-00');"
    lossy l_u64 u mysql equal 18446744073709551615
    lossy l_u64 u postgresql equal 18446744073709551615
    lossy l_u64 u sqlite refused
    # --lossy has no rule for it: still refused
    new_db sqlite l_u64_sqlite_l
    url=$NEWURL
    run_restore 7 "$WORK/l_u64-sqlite-l" --lossy -i "$WORK/l_u64.dbd" "$url"
    lossy l_zero d mysql equal 0000-00-00
    lossy l_zero d postgresql lossy ""
    lossy l_zero d sqlite equal 0000-00-00
    ;;
sqlite)
    # --verify mismatch: --force into an existing table holding one more row -> exit 10.
    new_db sqlite mismatch
    url=$NEWURL
    lite_q "${url#sqlite:}" "CREATE TABLE edge (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT,
        b BLOB, d DATE, ts DATETIME, bo BOOLEAN, j JSON); INSERT INTO edge (id) VALUES (99);"
    run_restore 10 "$WORK/mismatch" --force --verify -i "$WORK/edge.dbd" "$url"
    grep -q '^edge .* 4 .* 5 .*MISMATCH' "$WORK/mismatch.out" ||
        fail "--verify mismatch not reported: $(cat "$WORK/mismatch.out")"
    grep -q '^Verify (before commit' "$WORK/mismatch.out" || fail "SQLite verify not before commit"
    [ "$(lite_q "${url#sqlite:}" "SELECT group_concat(id) FROM edge")" = 99 ] ||
        fail "--verify mismatch did not roll the restore back"
    echo "ok verify mismatch: exit 10, rolled back, $(grep '^edge' "$WORK/mismatch.out")"
    # Cross-engine --schema-only, then --data-only into those tables: rows only, verified.
    for tgt in mysql sqlite; do
        new_db "$tgt" "split_$tgt"
        url=$NEWURL
        run_restore 0 "$WORK/schema-$tgt" --schema-only -i "$WORK/edge.dbd" "$url"
        run_restore 0 "$WORK/data-$tgt" --data-only --verify -i "$WORK/edge.dbd" "$url"
        grep -q '^edge .* 4 .* 4  OK$' "$WORK/data-$tgt.out" ||
            fail "--data-only -> $tgt: $(cat "$WORK/data-$tgt.out" "$WORK/data-$tgt.err")"
        canon "$tgt" "$url" >"$WORK/split-$tgt.canon"
        diff "$WORK/src.canon" "$WORK/split-$tgt.canon" >&2 ||
            fail "--schema-only + --data-only -> $tgt: values differ"
        echo "ok --schema-only then --data-only sqlite -> $tgt"
    done
    ;;
esac
