#!/usr/bin/env bash
# into_epoch.sh ENGINE DBDUMP DBRESTORE SRCDIR WORK (ENGINE: postgresql | mysql)
# SQLite timestamps kept as INTEGER epoch seconds, milliseconds and microseconds (as drizzle
# and other ORMs store them) load with --data-only into the timestamp columns the app's own
# migrations made: the unit of each column comes from its values, every value arrives as the
# same instant (expected text computed here by Python, read back with the engine's client).
# A column whose values disagree (seconds and milliseconds) is refused before the commit,
# naming the column and suggesting --epoch-unit, which then decides; a bad unit is exit 2.
# A value with more fraction digits than its column keeps is refused (--lossy: truncated).
set -euo pipefail
ENGINE=$1 DBDUMP=$2 DBRESTORE=$3 SRCDIR=$4 WORK=$5
TEST_NAME=into_epoch_$ENGINE
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
DB=dbt_ie_$$
python3 - "$WORK/src.sql" "$WORK/want" "$WORK/want_plan" "$WORK/want_berlin" "$ENGINE" <<'PY'
import datetime, random, sys, zoneinfo
rnd = random.Random(7)
rows, want, berlin, ev = [], [], [], {"s": [], "ms": [], "us": []}
for i in range(1, 501):
    us = rnd.randrange(1577836800_000000, 1798761600_000000)  # 2020 .. 2027
    if i == 1:
        us = 0                                                # the epoch itself
    if i == 2:
        us = 946684799_999999                                 # 1999-12-31 23:59:59.999999
    s, ms = us // 1000000, us // 1000
    rows.append("(%d, %d, %d, %d)" % (i, s, ms, us))
    for k, v in (("s", s), ("ms", ms), ("us", us)):
        if v:
            ev[k].append(v)
    t = lambda v, d: (datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=v)
                      ).strftime("%Y-%m-%d %H:%M:%S.%f")[:20 + d if d else 19]
    want.append("%d|%s|%s|%s" % (i, t(s * 1000000, 0), t(ms * 1000, 3), t(us, 6)))
    # --time-zone Europe/Berlin: wall-clock columns get Berlin's local time (PostgreSQL's
    # created_at is timestamptz, an instant: read in UTC as before)
    b = lambda v, d: (datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) +
                      datetime.timedelta(microseconds=v)).astimezone(
                          zoneinfo.ZoneInfo("Europe/Berlin")).strftime(
                          "%Y-%m-%d %H:%M:%S.%f")[:20 + d if d else 19]
    berlin.append("%d|%s|%s|%s" % (i, t(s * 1000000, 0) if sys.argv[5] == "postgresql"
                                   else b(s * 1000000, 0), b(ms * 1000, 3), b(us, 6)))
open(sys.argv[1], "w").write(
    "CREATE TABLE events (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL,\n"
    "    updated_at INTEGER, seen_at INTEGER);\n"
    "INSERT INTO events VALUES %s;\n"
    "CREATE TABLE mixed (id INTEGER PRIMARY KEY, at INTEGER);\n"
    "INSERT INTO mixed VALUES (1, 1724929000), (2, 1724929498000);\n" % ",\n".join(rows))
open(sys.argv[2], "w").write("\n".join(want) + "\n")
open(sys.argv[4], "w").write("\n".join(berlin) + "\n")
line = '  column "%s": integers read as epoch %s (%s; %d values from %d to %d)'
open(sys.argv[3], "w").write("\n".join(
    [line % (c, u, "from the values", len(ev[k]), min(ev[k]), max(ev[k]))
     for c, u, k in (("created_at", "seconds", "s"), ("updated_at", "milliseconds", "ms"),
                     ("seen_at", "microseconds", "us"))] +
    [line % ("at", "milliseconds", "--epoch-unit", 2, 1724929000, 1724929498000)]) + "\n")
PY
sqlite3 -bail "$WORK/src.db" <"$WORK/src.sql"
expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$WORK/src.db"
case $ENGINE in
postgresql)
    need_pg
    pg_newdb "$DB"
    URL=$(pg_url "$DB")
    pg_db "$DB" -c "CREATE TABLE events (id integer PRIMARY KEY, created_at timestamptz NOT NULL,
        updated_at timestamp(3), seen_at timestamp(6));
        CREATE TABLE mixed (id integer PRIMARY KEY, at timestamptz)"
    read_back() { pg_db "$DB" -c "SET TimeZone = 'UTC'; SELECT id || '|' ||
        to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') || '|' ||
        to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.MS') || '|' ||
        to_char(seen_at, 'YYYY-MM-DD HH24:MI:SS.US') FROM events ORDER BY id"; }
    count() { pg_db "$DB" -c "SELECT count(*) FROM $1"; }
    mixed_at() { pg_db "$DB" -c "SET TimeZone = 'UTC';
        SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS') FROM mixed ORDER BY id" | tr '\n' ' '; }
    ;;
mysql)
    need_mysql
    my_newdb "$DB"
    URL=$(my_url "$DB")
    myq "$DB" "CREATE TABLE events (id int PRIMARY KEY, created_at datetime NOT NULL,
        updated_at datetime(3), seen_at datetime(6));
        CREATE TABLE mixed (id int PRIMARY KEY, at datetime)"
    read_back() { myq "$DB" "SELECT CONCAT(id, '|', DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'),
        '|', LEFT(DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f'), 23), '|',
        DATE_FORMAT(seen_at, '%Y-%m-%d %H:%i:%s.%f')) FROM events ORDER BY id"; }
    count() { myq "$DB" "SELECT count(*) FROM \`$1\`"; }
    mixed_at() { myq "$DB" "SELECT DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s') FROM mixed ORDER BY id" |
        tr '\n' ' '; }
    ;;
*) fail "unknown engine $ENGINE" ;;
esac

# the column whose values disagree: refused, nothing written
expect 7 "$DBRESTORE" --data-only -i "$WORK/a.dbd" "$URL"
grep -q 'column "at" row 2: value 1724929498000 reads as epoch ms but row 1 (1724929000) as s' \
    "$WORK/err" || fail "mixed units message: $(cat "$WORK/err")"
grep -q -- "--epoch-unit TABLE.COLUMN=s|ms|us" "$WORK/err" || fail "no --epoch-unit hint"
[ "$(count events)" = 0 ] && [ "$(count mixed)" = 0 ] || fail "rows written before the refusal"
# --plan reads every row as the load does: it stops with the same refusal (exit 7)
load_line=$(tail -n 1 "$WORK/err")
expect 7 "$DBRESTORE" --data-only --plan -i "$WORK/a.dbd" "$URL"
[ "$(tail -n 1 "$WORK/err"); rolled back: the target is unchanged" = "$load_line" ] ||
    fail "plan and load refuse differently: plan: $(tail -n 1 "$WORK/err") load: $load_line"
grep -q '^rows: table "mixed": 2 rows read, 1 would be refused (first: key id=2: ' "$WORK/out" ||
    fail "plan: rows of mixed: $(cat "$WORK/out")"
[ "$(count events)" = 0 ] || fail "--plan wrote rows"
# with the unit stated the plan goes through, and names each column's unit and its evidence
expect 0 "$DBRESTORE" --data-only --plan --epoch-unit mixed.at=ms -i "$WORK/a.dbd" "$URL"
grep '^  column .*integers read as epoch' "$WORK/out" >"$WORK/got_plan" || true
diff "$WORK/want_plan" "$WORK/got_plan" >&2 || fail "plan: epoch units and evidence"
grep -q "^plan: 502 archive rows converted as the load converts them: 0 would be refused" "$WORK/out" ||
    fail "plan summary: $(cat "$WORK/out")"
# with --truncate the line about emptying comes first; the last line says it was undone
expect 7 "$DBRESTORE" --data-only --truncate -i "$WORK/a.dbd" "$URL"
[ "$(head -n 1 "$WORK/err")" = "dbrestore: --truncate: 2 tables emptied inside the restore's transaction (undone if the restore fails)" ] &&
    tail -n 1 "$WORK/err" | grep -q "epoch ms but row 1 .*; rolled back: the target is unchanged$" ||
    fail "messages after a failure: $(cat "$WORK/err")"
expect 2 "$DBRESTORE" --data-only --epoch-unit mixed.at=sec -i "$WORK/a.dbd" "$URL"
expect 2 "$DBRESTORE" --data-only --epoch-unit at=ms -i "$WORK/a.dbd" "$URL"

# with the unit of the mixed column stated, everything loads; the other columns by inference
expect 0 "$DBRESTORE" --data-only --verify --epoch-unit mixed.at=ms -i "$WORK/a.dbd" "$URL"
grep -q "^Rows restored: 502 " "$WORK/out" || fail "verify: $(cat "$WORK/out")"
read_back >"$WORK/got"
diff "$WORK/want" "$WORK/got" | head -5 >&2 || true
cmp -s "$WORK/want" "$WORK/got" || fail "epoch values arrived as other instants"
# as stated: both values milliseconds (the first one lands in January 1970)
[ "$(mixed_at)" = "1970-01-20 23:08:49 2024-08-29 11:04:58 " ] || fail "mixed.at: $(mixed_at)"

# --time-zone: the application keeps wall clocks in Europe/Berlin; the plan says so
expect 0 "$DBRESTORE" --data-only --truncate --plan --time-zone Europe/Berlin \
    --epoch-unit mixed.at=ms -i "$WORK/a.dbd" "$URL"
grep -q "^time zone: instants (a value with a zone, epoch integers) go into wall-clock columns (timestamp without time zone, MySQL DATETIME) as the local time of Europe/Berlin; MySQL TIMESTAMP and timestamptz columns keep the instant$" "$WORK/out" ||
    fail "plan: time zone line: $(grep '^time zone' "$WORK/out")"
expect 0 "$DBRESTORE" --data-only --truncate --verify --time-zone Europe/Berlin \
    --epoch-unit mixed.at=ms -i "$WORK/a.dbd" "$URL"
read_back >"$WORK/got_berlin"
diff "$WORK/want_berlin" "$WORK/got_berlin" | head -5 >&2 || true
cmp -s "$WORK/want_berlin" "$WORK/got_berlin" || fail "--time-zone Europe/Berlin: wall clocks differ"
expect 2 "$DBRESTORE" --data-only --time-zone Mars/Base -i "$WORK/a.dbd" "$URL"
# back to UTC wall clocks for what follows
expect 0 "$DBRESTORE" -q --data-only --truncate --epoch-unit mixed.at=ms -i "$WORK/a.dbd" "$URL"

# the reverse: the timestamps, dumped from the target, into the app's SQLite file whose
# INTEGER columns it reads as epoch time. Without a unit: refused, naming the column and the
# option; with each column's unit stated: exactly the integers the source had (round trip).
expect 0 "$DBDUMP" -q -t events -o "$WORK/back.dbd" "$URL"
sqlite3 -bail "$WORK/back.db" "CREATE TABLE events (id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL, updated_at INTEGER, seen_at INTEGER)"
expect 7 "$DBRESTORE" --data-only -i "$WORK/back.dbd" "$WORK/back.db"
grep -q 'column "created_at" row 1: value .* is a timestamp in an integer column: if the application reads it as epoch time, state the unit, --epoch-unit TABLE.COLUMN=s|ms|us' "$WORK/err" ||
    fail "timestamp into INTEGER without a unit: $(cat "$WORK/err")"
expect 0 "$DBRESTORE" --data-only --verify --epoch-unit events.created_at=s \
    --epoch-unit events.updated_at=ms --epoch-unit events.seen_at=us -i "$WORK/back.dbd" "$WORK/back.db"
sqlite3 "$WORK/src.db" "SELECT id, created_at, updated_at, seen_at FROM events ORDER BY id" >"$WORK/ints.want"
sqlite3 "$WORK/back.db" "SELECT id, created_at, updated_at, seen_at FROM events ORDER BY id" >"$WORK/ints.got"
diff "$WORK/ints.want" "$WORK/ints.got" | head -5 >&2 || true
cmp -s "$WORK/ints.want" "$WORK/ints.got" || fail "timestamps back into epoch integers differ"
# a finer value than the unit keeps: refused (--lossy: truncated)
expect 7 "$DBRESTORE" --data-only --truncate --epoch-unit s -i "$WORK/back.dbd" "$WORK/back.db"
grep -q 'column "updated_at" row 2: value .* has more fraction digits than epoch seconds keep (--lossy: truncated)' "$WORK/err" ||
    fail "fraction into epoch seconds: $(cat "$WORK/err")"

# fewer fraction digits in the target column than the value has (Homarr's MySQL schema keeps
# epoch milliseconds in a plain timestamp): refused before writing, naming the column; with
# --lossy truncated (MySQL would truncate without a note, PostgreSQL timestamp(0) would round)
sqlite3 -bail "$WORK/p.db" "CREATE TABLE precise (id INTEGER PRIMARY KEY, at INTEGER, t TEXT);
    INSERT INTO precise VALUES (1, 1724929498000, '2024-08-29 11:04:58'),
                               (2, 1724929498999, '2024-08-29 11:04:58.5')"
expect 0 "$DBDUMP" -q -o "$WORK/p.dbd" "$WORK/p.db"
case $ENGINE in
postgresql)
    pg_db "$DB" -c "CREATE TABLE precise (id int PRIMARY KEY, at timestamp(0), t timestamp(0))"
    precise() { pg_db "$DB" -c "SELECT id || ' ' || at || ' ' || t FROM precise ORDER BY id"; }
    ;;
mysql)
    myq "$DB" "CREATE TABLE precise (id int PRIMARY KEY, at timestamp NULL, t datetime)"
    precise() { myq "$DB" "SET time_zone = '+00:00'; SELECT CONCAT(id, ' ', at, ' ', t)
        FROM precise ORDER BY id"; }
    ;;
esac
expect 7 "$DBRESTORE" --data-only -i "$WORK/p.dbd" "$URL"
grep -q 'column "at" row 2: value 1724929498999 has more fraction digits than the column.s 0' \
    "$WORK/err" || fail "precision message: $(cat "$WORK/err")"
[ "$(count precise)" = 0 ] || fail "rows written before the precision refusal"
expect 0 "$DBRESTORE" --data-only --lossy --verify -i "$WORK/p.dbd" "$URL"
[ "$(precise | tr '\n' '|')" = "1 2024-08-29 11:04:58 2024-08-29 11:04:58|2 2024-08-29 11:04:58 2024-08-29 11:04:58|" ] ||
    fail "--lossy precision: $(precise | tr '\n' '|')"
echo ok
