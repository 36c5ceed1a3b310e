#!/usr/bin/env bash
# galera_test.sh DBDUMP DBRESTORE WORKDIR - restores into a 3-node MariaDB Galera cluster that
# this script starts on loopback (scripts/galera-cluster.sh, galera-4, rsync SST, servers run
# as user mysql) and stops at the end. The source is a database on the test server in
# $DBT_MYSQL_URL. A missing Galera library is a failure, never a skip.
#
# - through node 1: --plan describes the cluster; the restore (--verify, which reads every
#   node) gives identical rows on every node (CHECKSUM TABLE read with wsrep_sync_wait) and
#   the objects made after the swap on every node;
# - through a round-robin TCP proxy in front of the three nodes (each new connection to the next
#   node, as a load balancer does), 12 times: each run exits 0 with every node identical to the
#   source, or fails loudly; never exit 0 with rows missing;
# - a MyISAM table with rows: refused by name (exit 7), nothing made on any node;
# - a data-only load of more than a lowered wsrep_max_ws_size (one transaction): succeeds
#   (streaming replication), identical on every node;
# - kill -9 during the rows: nothing under a real name on any node; the next run cleans up.
set -euo pipefail

DBDUMP=$1
DBRESTORE=$2
WORK=$3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
TEST_NAME=mysql_galera

fail() { echo "FAIL [$TEST_NAME]: $*" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
[ -n "${DBT_MYSQL_URL:-}" ] || fail "DBT_MYSQL_URL is not set (scripts/test.sh sets it)"
src_url=${DBT_MYSQL_URL%/}
CLIENT=$(command -v mariadb || command -v mysql) || fail "no mysql client"

# the cluster: a short directory (socket paths), given to user mysql by the script
CL=$(mktemp -d /tmp/dbt-galera.XXXXXX)
PORT=${DBT_GALERA_PORT:-24400}
PROXY=$((PORT + 50))
proxy_pid=
cleanup() {
    [ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null || true
    "$ROOT/scripts/galera-cluster.sh" stop "$CL" >/dev/null 2>&1 || true
    rm -rf "$CL"
    node_src -e "DROP DATABASE IF EXISTS dbt_galera_src" >/dev/null 2>&1 || true
}
trap cleanup EXIT

node_src() { # the test server (the source)
    local hp=${src_url#*@}
    "$CLIENT" --no-defaults --protocol=tcp -h "${hp%:*}" -P "${hp##*:}" -u root "$@"
}
node() { # node I [ARGS...]: a client on node I (1..3), reads wait for the cluster
    local i=$1
    shift
    "$CLIENT" --no-defaults --protocol=tcp -h 127.0.0.1 -P $((PORT + i - 1)) -u root \
        --init-command="SET SESSION wsrep_sync_wait = 15" "$@"
}
# nq I DB SQL: SQL on node I in DB ("" none), after the node has applied what the cluster
# committed before (a read first; connecting to DB directly would not wait)
nq() {
    local i=$1 db=$2
    shift 2
    node "$i" -N -B -e "SELECT 1 INTO @synced; ${db:+USE \`$db\`;} $*"
}
url() { echo "mysql://root@127.0.0.1:$1/$2"; }

"$ROOT/scripts/galera-cluster.sh" start "$CL" "$PORT" >"$WORK/cluster.log" 2>&1 ||
    { cat "$WORK/cluster.log" >&2; fail "the cluster did not start"; }
[ "$(nq 1 "" "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)" = 3 ] || fail "not 3 nodes"

# the source: InnoDB rows with a secondary index, a trigger, a view, a routine
node_src -e "DROP DATABASE IF EXISTS dbt_galera_src; CREATE DATABASE dbt_galera_src;
    USE dbt_galera_src;
    CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(40), KEY k_a (a)) ENGINE=InnoDB;
    INSERT INTO t SELECT seq, seq % 977, CONCAT('value ', seq) FROM seq_1_to_200000;
    CREATE TABLE log (n INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20)) ENGINE=InnoDB;
    CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW INSERT INTO log (what) VALUES ('t');
    CREATE VIEW v AS SELECT id, b FROM t WHERE a = 1;
    CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;"
want_t=$(node_src -N dbt_galera_src -e "CHECKSUM TABLE t EXTENDED" | cut -f2)
"$DBDUMP" -q "$src_url/dbt_galera_src" -o "$WORK/a.dbd" || fail "dbdump"

# same_everywhere DB: t's checksum and the object counts equal on all nodes and the source
same_everywhere() {
    local db=$1 i
    for i in 1 2 3; do
        [ "$(nq "$i" "$db" "CHECKSUM TABLE t EXTENDED" | cut -f2)" = "$want_t" ] ||
            return 1
        [ "$(nq "$i" "" "SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '$db'),
              (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '$db'),
              (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '$db')")" = "1	1	1" ] ||
            return 1
    done
}
leftovers() { # staging databases on any node
    local i n=0
    for i in 1 2 3; do
        n=$((n + $(nq "$i" "" "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\\_dbr\\_%'")))
    done
    echo "$n"
}

# 1. through node 1: --plan says what the cluster will do; --verify reads every node
"$DBRESTORE" --plan "$(url "$PORT" r1)" -i "$WORK/a.dbd" >"$WORK/plan" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "--plan"; }
grep -q "^plan: MySQL: Galera cluster of 3 nodes, restoring through node 'node1'" "$WORK/plan" ||
    fail "--plan does not describe the cluster: $(cat "$WORK/plan")"
"$DBRESTORE" -q --verify "$(url "$PORT" r1)" -i "$WORK/a.dbd" >"$WORK/verify" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "restore through node 1"; }
for p in $((PORT + 1)) $((PORT + 2)); do
    grep -q "^Verify (after commit: read back from 127.0.0.1:$p (another node of " "$WORK/verify" ||
        fail "--verify did not read node $p: $(cat "$WORK/verify")"
done
[ "$(grep -c "^t  *200000  *200000  *OK$" "$WORK/verify")" = 3 ] ||
    fail "--verify: t not OK on 3 nodes: $(cat "$WORK/verify")"
same_everywhere r1 || fail "through node 1: the nodes differ from the source"

# 2. through a round-robin proxy, many times
python3 "$HERE/rr_proxy.py" "$PROXY" "$PORT" $((PORT + 1)) $((PORT + 2)) >"$WORK/proxy.out" &
proxy_pid=$!
for _ in $(seq 50); do grep -q ready "$WORK/proxy.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$WORK/proxy.out" || fail "the proxy did not start"
ok=0 failed=0
for run in $(seq 1 12); do
    rc=0
    "$DBRESTORE" "$(url "$PROXY" "rr$run")" -i "$WORK/a.dbd" 2>"$WORK/err.$run" || rc=$?
    if [ $rc = 0 ]; then
        same_everywhere "rr$run" || fail "proxy run $run: exit 0 but the nodes differ from the source"
        ok=$((ok + 1))
    else
        grep -q "^dbrestore: " "$WORK/err.$run" || fail "proxy run $run: exit $rc without a message"
        failed=$((failed + 1))
    fi
done
echo "galera: through the round-robin proxy: $ok of 12 runs restored, $failed failed loudly"
[ $ok -ge 1 ] || fail "no run through the proxy succeeded: $(tail -2 "$WORK/err.1")"
grep -l "reached node" "$WORK"/err.* >/dev/null ||
    fail "no run noticed its second link on another node"

# 3. a MyISAM table with rows: refused by name, nothing made anywhere
node_src dbt_galera_src -e "CREATE TABLE m (id INT PRIMARY KEY) ENGINE=MyISAM;
    INSERT INTO m VALUES (1), (2); ANALYZE TABLE m" >/dev/null
"$DBDUMP" -q "$src_url/dbt_galera_src" -o "$WORK/m.dbd" || fail "dbdump with m"
rc=0
"$DBRESTORE" -q "$(url "$PORT" rm)" -i "$WORK/m.dbd" 2>"$WORK/err" || rc=$?
[ $rc = 7 ] || fail "MyISAM table: exit $rc, want 7: $(cat "$WORK/err")"
grep -q "replicates the rows of InnoDB tables only: 1 table would keep its rows on node 'node1' alone: 'm' (MyISAM)" "$WORK/err" ||
    fail "the refusal does not name the MyISAM table: $(cat "$WORK/err")"
for i in 1 2 3; do
    [ -z "$(nq "$i" "" "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'rm'")" ] ||
        fail "node $i: the refused restore made its database"
done
[ "$(leftovers)" = 0 ] || fail "the refused restore left a staging database"
node_src dbt_galera_src -e "DROP TABLE m"

# 4. data-only, one transaction larger than a lowered wsrep_max_ws_size
"$DBRESTORE" -q --schema-only "$(url "$PORT" d1)" -i "$WORK/a.dbd" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "--schema-only"; }
nq 1 d1 "DROP TRIGGER t_ai" # the schema's trigger would fill log during the load
old_ws=$(nq 1 "" "SELECT @@wsrep_max_ws_size")
for i in 1 2 3; do nq "$i" "" "SET GLOBAL wsrep_max_ws_size = 2097152"; done
rc=0
"$DBRESTORE" -q --data-only "$(url "$PORT" d1)" -i "$WORK/a.dbd" 2>"$WORK/err" || rc=$?
for i in 1 2 3; do nq "$i" "" "SET GLOBAL wsrep_max_ws_size = $old_ws"; done
[ $rc = 0 ] || fail "data-only over wsrep_max_ws_size (2 MiB): exit $rc: $(cat "$WORK/err")"
for i in 1 2 3; do
    [ "$(nq "$i" d1 "CHECKSUM TABLE t EXTENDED" | cut -f2)" = "$want_t" ] ||
        fail "data-only: node $i differs from the source"
done

# 5. kill -9 during the rows: nothing under a real name on any node; the next run cleans up
"$DBRESTORE" -q "$(url "$PORT" k1)" -i "$WORK/a.dbd" 2>"$WORK/err" &
pid=$!
# rows committed in the stage (batches commit one by one; TABLE_ROWS is only an estimate)
staged_rows() {
    local st
    st=$(nq 1 "" "SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE '\\_dbr\\_new\\_%\\_k1' AND TABLE_NAME = 't'")
    [ -n "$st" ] && nq 1 "" "SELECT COUNT(*) FROM \`$st\`.t" 2>/dev/null || echo 0
}
for _ in $(seq 600); do
    [ "$(staged_rows)" -gt 0 ] 2>/dev/null && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
kill -9 $pid 2>/dev/null || fail "kill: dbrestore ended before it could be killed"
wait $pid || true
for i in 1 2 3; do
    [ -z "$(nq "$i" "" "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'k1'")" ] ||
        fail "kill -9: node $i has the target database"
done
[ "$(leftovers)" != 0 ] || fail "kill -9: no staging database to find"
for _ in $(seq 100); do
    [ "$(nq 1 "" "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB LIKE '\\_dbr\\_new\\_%'")" = 0 ] && break
    sleep 0.1
done
"$DBRESTORE" "$(url "$PORT" k1)" -i "$WORK/a.dbd" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "the run after kill -9"; }
grep -q "an interrupted restore into 'k1' had not changed it" "$WORK/err" ||
    fail "the run after kill -9 does not say what it found: $(cat "$WORK/err")"
[ "$(leftovers)" = 0 ] || fail "a staging database is left after the next run"
same_everywhere k1 || fail "after kill -9 and a new run: the nodes differ from the source"
echo "galera: all checks passed"
