#!/usr/bin/env bash
# xlate_engines.sh ENGINE XLATE_SQLGEN WORKDIR [DBDUMP]
#
# Runs the translation layer's output on a real engine: xlate_sqlgen prints CREATE TABLE
# (dbe_xlate_target()->native_sql), INSERTs of converted edge values and the translated
# indexes / constraints for tables from all three source engines; the script is executed
# with the engine's own client (sqlite3, psql, mysql), then every value is read back with
# that client and compared with the expected text written here by hand, the digests of the
# rows as sent are compared with dbdump's reading of the target, and the constraints are
# exercised (unique, foreign key, check, identity counters).
#
# ENGINE: sqlite | postgresql (server in DBT_PG_URL) | mysql (server in DBT_MYSQL_URL).
# A missing server URL or client is a failure, never a skip.
set -euo pipefail

engine=$1
GEN=$2
WORK=$3
DBDUMP=${4:-}

TEST_NAME=xlate_engine_$engine
# shellcheck source=../../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"

rm -rf "$WORK"
mkdir -p "$WORK"
script="$WORK/script.sql"
"$GEN" "$engine" >"$script" || fail "xlate_sqlgen failed"

# Values the target refuses are listed, not loaded: only SQLite refuses one here.
refused=$(grep -c '^-- REFUSED' "$script" || true)
if [ "$engine" = sqlite ]; then
    [ "$refused" = 1 ] || fail "expected 1 refused row, got $refused"
    grep -qF -- '-- REFUSED: table "xl_mysql_src" column "u64" row 1: value 18446744073709551615 is above 9223372036854775807, which a SQLite integer cannot hold' "$script" ||
        fail "refusal message differs"
    grep -qF 'foreign key "xl_child_parent_fk" on "xl_child": SQLite cannot add it to an existing table: the table is rebuilt with it' "$script" ||
        fail "missing note for the foreign key added by a rebuild"
else
    [ "$refused" = 0 ] || fail "unexpected refusals: $(grep '^-- REFUSED' "$script")"
fi
grep -qF 'trigger "trg" on "xl_child": sqlite trigger code is not translated; not created' \
    "$script" || fail "missing note for the trigger"

PREFIX="dbt_xlate_$$"
cleanup() { :; }
case "$engine" in
sqlite)
    command -v sqlite3 >/dev/null || fail "sqlite3 client not found"
    db="$WORK/target.db"
    run_script() { sqlite3 -bail "$db" <"$script"; }
    q() { sqlite3 -batch -noheader -separator '|' "$db" "$1"; }
    q_run() { sqlite3 -batch "$db" "$1"; }
    ;;
postgresql)
    [ -n "${DBT_PG_URL:-}" ] || fail "DBT_PG_URL is not set (scripts/test.sh starts the server)"
    command -v psql >/dev/null || fail "psql not found"
    url=$(dbt_pg_url "$PREFIX")
    export PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=3"
    psql -X -q -d "$DBT_PG_URL" -c "CREATE DATABASE \"$PREFIX\"" >/dev/null ||
        fail "cannot create a database on $DBT_PG_URL"
    cleanup() { psql -X -q -d "$DBT_PG_URL" -c "DROP DATABASE IF EXISTS \"$PREFIX\"" >/dev/null 2>&1 || true; }
    run_script() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -f "$script" >/dev/null; }
    q() { psql -X -q -At -F '|' -v ON_ERROR_STOP=1 -d "$url" -c "$1"; }
    q_run() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$1"; }
    ;;
mysql)
    [ -n "${DBT_MYSQL_URL:-}" ] || fail "DBT_MYSQL_URL is not set (scripts/test.sh starts the server)"
    command -v mysql >/dev/null || fail "mysql client not found"
    dbt_mysql_split
    my() { MYSQL_PWD="$MY_PASS" mysql --no-defaults -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" "$@"; }
    my -e "CREATE DATABASE \`$PREFIX\`" || fail "cannot create a database on $DBT_MYSQL_URL"
    cleanup() { my -e "DROP DATABASE IF EXISTS \`$PREFIX\`" >/dev/null 2>&1 || true; }
    run_script() { my "$PREFIX" <"$script"; }
    q() { my -N -B "$PREFIX" -e "$1"; }
    q_run() { my "$PREFIX" -e "$1"; }
    ;;
*)
    fail "unknown engine $engine"
    ;;
esac
trap cleanup EXIT
# q_fails KIND SQL: SQL must fail with the engine's violation of a KIND (unique, fk, check)
# constraint; any other error (a typo, a missing table) is not the constraint at work.
q_fails() {
    local re
    case "$engine:$1" in
    sqlite:unique) re="UNIQUE constraint failed" ;;
    sqlite:fk) re="FOREIGN KEY constraint failed" ;;
    sqlite:check) re="CHECK constraint failed" ;;
    postgresql:unique) re="violates unique constraint" ;;
    postgresql:fk) re="violates foreign key constraint" ;;
    postgresql:check) re="violates check constraint" ;;
    mysql:unique) re="Duplicate entry" ;;
    mysql:fk) re="foreign key constraint fails" ;;
    mysql:check) re="CONSTRAINT .* failed" ;;
    esac
    if q_run "$2" >/dev/null 2>"$WORK/q_fails.err"; then
        return 1
    fi
    grep -Eq "$re" "$WORK/q_fails.err" ||
        fail "expected a $1 violation from: $2; got: $(cat "$WORK/q_fails.err")"
}

run_script || fail "the generated script failed on $engine (see $script)"

# --verify: every table's rows as sent (converted) have the digest dbdump computes reading the
# target back with the engine's own dump adapter: the target tables' portable types are the
# ones that adapter reports. Not xl_posts: its foreign key turned user_id (numeric(20,0) in
# PostgreSQL) into bigint after the load, so dbdump reads ints where decimal text was sent
# (a sink's read-back decodes in the target table's types instead). Not SQLite here: dbdump
# adds the implicit rowid of tables without an INTEGER PRIMARY KEY.
if [ "$engine" != sqlite ]; then
    [ -n "${DBDUMP:-}" ] || fail "DBDUMP not given"
    case "$engine" in
    postgresql) back="$url" ;;
    mysql) back="$MY_SCHEME://$MY_AUTH_AT$MY_HOST:$MY_PORT/$PREFIX" ;;
    esac
    "$DBDUMP" -q -o "$WORK/back.dbd" "$back" || fail "dbdump of the target failed"
    "$GEN" --digests "$WORK/back.dbd" | grep -v '^xl_posts|' | sort >"$WORK/digests.got"
    sed -n 's/^-- DIGEST //p' "$script" | grep -v '^xl_posts|' | sort >"$WORK/digests.want"
    [ "$(wc -l <"$WORK/digests.want")" -ge 7 ] || fail "digests missing in $script"
    diff "$WORK/digests.want" "$WORK/digests.got" >&2 ||
        fail "digests of the rows sent and read back differ (< sent, > read back)"
fi

ncheck=0
check() { # check NAME QUERY EXPECTED
    local got
    got=$(q "$2") || fail "$1: query failed: $2"
    ncheck=$((ncheck + 1))
    if [ "$got" != "$3" ]; then
        diff <(printf '%s\n' "$3") <(printf '%s\n' "$got") >&2 || true
        fail "$1: read-back differs (< expected, > got)"
    fi
}

T=$'\t'
case "$engine" in
sqlite)
    check sqlite_src "SELECT id, flag, typeof(flag), price, typeof(price), created, created_tz, day, t, secret, name, hex(data), doc, guid, ratio = 0.1 OR ratio = -3, typeof(ratio), untyped, typeof(untyped) FROM xl_sqlite_src WHERE id < 3 ORDER BY id" \
"1|1|integer|1.50|text|2020-01-02 03:04:05.123|2019-12-31 23:30:00Z|2020-02-29|12:30:00|ENC:v3:k1:00ff10aa|Grüße \"q\" 's' \\ \`b\`|00FF100A|{\"a\": [1, 2], \"b\": null}|A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11|1|real|42|text
2|0|integer|7.00|text|1999-12-31 23:59:59|2020-06-01 12:00:00Z|0001-01-01|23:59:59.999999||x; DROP TABLE t; --||[]|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|1|real|2.5|text"
    check sqlite_src_nulls "SELECT id, name, flag IS NULL, typeof(price), typeof(data) FROM xl_sqlite_src WHERE id > 2" \
        "9223372036854775807|n|1|null|null"
    check pg_src "SELECT \"select\", typeof(\"select\"), i16, i32, i64, f32 IN (3.4028234663852886e+38, 1.1754943508222875e-38), f64 IN (1.7976931348623157e+308, 4.9406564584124654e-324), typeof(f64), dec, typeof(dec), dec_u, hex(txt), vc, hex(\"by\"), typeof(\"by\"), d, tm, ttz, ts, tstz, iv, u, j, e, arr, b5, inet, id FROM \"xl pg \"\"src\"\" \`x\`; --\" ORDER BY id" \
"1|integer|-32768|2147483647|-9223372036854775808|1|1|real|-99999999.9999|text|123456789012345678901234567890.5|6C696E65310A6C696E65320974616220E282AC|éééééééééé|000102FEFF|blob|2024-02-29|24:00:00|12:00:00+05:30|1970-01-01 00:00:00.000001|2038-01-19 03:14:08.5Z|P1Y2M3DT1H2M3.5S|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"k\": \"v\",  \"n\": 1.50}|it's|[1,null,-3]|10101|192.168.0.1/24|1
0|integer|0|-2147483648|9223372036854775807|1|1|real|0.0001|text|-0.5||short||blob|0001-01-01|00:00:00|00:00:00-01|9999-12-31 23:59:59.999999|1901-12-13 20:45:52Z|P-1M-2DT-0.5S||[1, \"two\", null]|sad||00000||2"
    check mysql_src "SELECT u8, u16, u24, u32, u64, i8, yr, st, dur, dt, hex(bits), hex(\"blob\"), \"Order\", typeof(\"Order\") FROM xl_mysql_src" \
        "0|0|0|0|0|127|1901||838:59:59|1000-01-01 00:00:00|0000|78|-0.000000000000000000000000000001|text"
    ;;
postgresql)
    check sqlite_src "SELECT id, flag, price, created, created_tz, day, t, secret, name, encode(data, 'hex'), doc, guid, ratio, untyped FROM xl_sqlite_src ORDER BY id" \
"1|t|1.50|2020-01-02 03:04:05.123|2019-12-31 23:30:00+00|2020-02-29|12:30:00|ENC:v3:k1:00ff10aa|Grüße \"q\" 's' \\ \`b\`|00ff100a|{\"a\": [1, 2], \"b\": null}|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|0.1|42
2|f|7.00|1999-12-31 23:59:59|2020-06-01 12:00:00+00|0001-01-01|23:59:59.999999||x; DROP TABLE t; --||[]|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|-3|2.5
9223372036854775807||||||||n|||||"
    check pg_src "SELECT \"select\", i16, i32, i64, f32, f64, dec, dec_u, encode(convert_to(txt, 'UTF8'), 'hex'), vc, encode(\"by\", 'hex'), d, tm, ttz, ts, tstz, iv, u, j, e, arr, b5, inet, id FROM \"xl pg \"\"src\"\" \`x\`; --\" ORDER BY id" \
"t|-32768|2147483647|-9223372036854775808|3.4028235e+38|1.7976931348623157e+308|-99999999.9999|123456789012345678901234567890.5|6c696e65310a6c696e65320974616220e282ac|éééééééééé|000102feff|2024-02-29|24:00:00|12:00:00+05:30|1970-01-01 00:00:00.000001|2038-01-19 03:14:08.5+00|1 year 2 mons 3 days 01:02:03.5|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"k\": \"v\",  \"n\": 1.50}|it's|{1,NULL,-3}|10101|192.168.0.1/24|1
f|0|-2147483648|9223372036854775807|1.1754944e-38|5e-324|0.0001|-0.5||short||0001-01-01|00:00:00|00:00:00-01|9999-12-31 23:59:59.999999|1901-12-13 20:45:52+00|-1 mons -2 days -00:00:00.5||[1, \"two\", null]|sad||00000||2"
    check mysql_src "SELECT u8, u16, u24, u32, u64, i8, yr, st, dur, dt, bits, encode(\"blob\", 'hex'), \"Order\" FROM xl_mysql_src ORDER BY u64" \
"0|0|0|0|0|127|1901||838:59:59|1000-01-01 00:00:00|000000000000|78|-0.000000000000000000000000000001
255|65535|16777215|4294967295|18446744073709551615|-128|2155|a,c|-838:59:59|2020-02-29 23:59:59|111111111111|454e433a0001ff|12345678901234567890123456789012345.123456789012345678901234567890"
    check column_types "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'xl_mysql_src'::regclass AND attnum > 0" \
        "u8 smallint, u16 integer, u24 integer, u32 bigint, u64 numeric(20,0), i8 smallint, yr smallint, st text, dur interval, dt timestamp(0) without time zone, bits bit(12), blob bytea, Order numeric(65,30)"
    ;;
mysql)
    check sqlite_src "SELECT id, flag, price, created, created_tz, day, t, secret, name, HEX(data), doc, guid, ratio, untyped FROM xl_sqlite_src ORDER BY id" \
"1${T}1${T}1.50${T}2020-01-02 03:04:05.123000${T}2019-12-31 23:30:00.000000${T}2020-02-29${T}12:30:00.000000${T}ENC:v3:k1:00ff10aa${T}Grüße \"q\" 's' \\\\ \`b\`${T}00FF100A${T}{\"a\": [1, 2], \"b\": null}${T}A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11${T}0.1${T}42
2${T}0${T}7.00${T}1999-12-31 23:59:59.000000${T}2020-06-01 12:00:00.000000${T}0001-01-01${T}23:59:59.999999${T}${T}x; DROP TABLE t; --${T}${T}[]${T}a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11${T}-3${T}2.5
9223372036854775807${T}NULL${T}NULL${T}NULL${T}NULL${T}NULL${T}NULL${T}NULL${T}n${T}NULL${T}NULL${T}NULL${T}NULL${T}NULL"
    check pg_src "SELECT \`select\`, i16, i32, i64, f64, \`dec\`, dec_u, HEX(txt), vc, HEX(\`by\`), d, tm, ttz, ts, tstz, iv, u, j, e, arr, b5, inet, id, f32 = CAST(3.4028234663852886e38 AS FLOAT) FROM \`xl pg \"src\" \`\`x\`\`; --\` ORDER BY id" \
"1${T}-32768${T}2147483647${T}-9223372036854775808${T}1.7976931348623157e308${T}-99999999.9999${T}123456789012345678901234567890.5${T}6C696E65310A6C696E65320974616220E282AC${T}éééééééééé${T}000102FEFF${T}2024-02-29${T}24:00:00.000000${T}12:00:00+05:30${T}1970-01-01 00:00:00.000001${T}2038-01-19 03:14:08.500000${T}P1Y2M3DT1H2M3.5S${T}a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11${T}{\"k\": \"v\",  \"n\": 1.50}${T}it's${T}[1,null,-3]${T}10101${T}192.168.0.1/24${T}1${T}1
0${T}0${T}-2147483648${T}9223372036854775807${T}5e-324${T}0.0001${T}-0.5${T}${T}short${T}${T}0001-01-01${T}00:00:00.000000${T}00:00:00-01${T}9999-12-31 23:59:59.999999${T}1901-12-13 20:45:52.000000${T}P-1M-2DT-0.5S${T}NULL${T}[1, \"two\", null]${T}sad${T}NULL${T}00000${T}NULL${T}2${T}0"
    check mysql_src "SELECT u8, u16, u24, u32, u64, i8, yr, st, dur, dt, HEX(bits), HEX(\`blob\`), \`Order\` FROM xl_mysql_src ORDER BY u64" \
"0${T}0${T}0${T}0${T}0${T}127${T}1901${T}${T}838:59:59${T}1000-01-01 00:00:00${T}0${T}78${T}-0.000000000000000000000000000001
255${T}65535${T}16777215${T}4294967295${T}18446744073709551615${T}-128${T}2155${T}a,c${T}-838:59:59${T}2020-02-29 23:59:59${T}FFF${T}454E433A0001FF${T}12345678901234567890123456789012345.123456789012345678901234567890"
    ;;
esac

# 1,000 random blobs and ENC: secrets arrive byte for byte (compared with the source values)
"$GEN" "$engine" --blobs-manifest >"$WORK/blobs.want" || fail "manifest failed"
case "$engine" in
sqlite) q "SELECT id, lower(hex(data)), secret FROM xl_blobs ORDER BY id" >"$WORK/blobs.got" ;;
postgresql) q "SELECT id, encode(data, 'hex'), secret FROM xl_blobs ORDER BY id" >"$WORK/blobs.got" ;;
mysql) q "SELECT id, LOWER(HEX(data)), secret FROM xl_blobs ORDER BY id" | tr '\t' '|' >"$WORK/blobs.got" ;;
esac
[ "$(wc -l <"$WORK/blobs.want")" = 1000 ] || fail "manifest has $(wc -l <"$WORK/blobs.want") rows"
cmp -s "$WORK/blobs.want" "$WORK/blobs.got" || fail "blobs or secrets differ (see $WORK/blobs.*)"
ncheck=$((ncheck + 1000))

# Constraints and counters, the same on every engine where they exist.
q "INSERT INTO xl_parent (label) VALUES ('three')" >/dev/null || fail "insert without id failed"
check identity_moved "SELECT id FROM xl_parent WHERE label = 'three'" "3"
q_fails unique "INSERT INTO xl_parent (label) VALUES ('one')" || fail "unique index on xl_parent.label missing"
q "INSERT INTO xl_child (parent_id, qty) VALUES (1, 2)" >/dev/null || fail "child insert failed"
check child_identity "SELECT MAX(id) FROM xl_child" "13"
if [ "$engine" = sqlite ]; then
    fk="PRAGMA foreign_keys = ON;"
    q_fails fk "$fk INSERT INTO xl_child (parent_id, qty) VALUES (99, 1)" || fail "foreign key missing"
    q_fails check "INSERT INTO xl_child (parent_id, qty) VALUES (1, -1)" || fail "check constraint missing"
    q "$fk DELETE FROM xl_parent WHERE id = 1" >/dev/null || fail "delete failed"
    check cascade "SELECT COUNT(*) FROM xl_child" "2"
    check rebuilt_rows "SELECT group_concat(id) FROM (SELECT id FROM xl_child ORDER BY id)" "11,12"
else
    q_fails fk "INSERT INTO xl_child (parent_id, qty) VALUES (99, 1)" || fail "foreign key missing"
    q_fails check "INSERT INTO xl_child (parent_id, qty) VALUES (1, -1)" || fail "check constraint missing"
    q_fails check "INSERT INTO xl_child (parent_id, qty) VALUES (1, 100)" || fail "check constraint missing"
    q "DELETE FROM xl_parent WHERE id = 1" >/dev/null || fail "delete failed"
    check cascade "SELECT COUNT(*) FROM xl_child" "2"
fi
# MySQL BIGINT UNSIGNED ids and the columns referencing them
fkon=""
[ "$engine" = sqlite ] && fkon="PRAGMA foreign_keys = ON; "
q "${fkon}INSERT INTO xl_users (name) VALUES ('cy')" >/dev/null || fail "insert user failed"
check user_identity "SELECT id FROM xl_users WHERE name = 'cy'" "3"
q "${fkon}INSERT INTO xl_posts (user_id, title) VALUES (3, 'new')" >/dev/null ||
    fail "insert post failed"
check post_identity "SELECT id FROM xl_posts WHERE title = 'new'" "3"
q_fails fk "${fkon}INSERT INTO xl_posts (user_id, title) VALUES (99, 'x')" ||
    fail "foreign key xl_posts.user_id -> xl_users.id missing"
q "${fkon}DELETE FROM xl_users WHERE id = 1" >/dev/null || fail "delete user failed"
check cascade_posts "SELECT COUNT(*) FROM xl_posts" "2"
echo "ok: xlate_engine_$engine, $ncheck read-back checks"
