#!/bin/sh
# galera-cluster.sh - a throwaway 3-node MariaDB Galera cluster on loopback, for tests.
#
#   scripts/galera-cluster.sh start DIR PORT   nodes 1..3 in DIR/node1..3, SQL on ports PORT,
#                                              PORT+1, PORT+2; node 1 bootstraps the cluster,
#                                              2 and 3 join it by rsync SST; waits until the
#                                              cluster has 3 synced nodes
#   scripts/galera-cluster.sh stop DIR         stop the nodes (3, 2, then 1)
#
# Galera (galera-4) replication ports: PORT+10..12, IST PORT+20..22, SST PORT+30..32, all on
# 127.0.0.1. Each node publishes its SQL address (wsrep_node_incoming_address), as clients
# that read every node (dbrestore --verify) need. The servers run as user mysql (rsync SST refuses to run as root), so DIR is
# given to mysql. Users as scripts/mariadb-server.sh makes them: root without a password over
# TCP from 127.0.0.1 (mysql://root@127.0.0.1:PORT/). No option files are read.
set -eu

die() { echo "galera-cluster.sh: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

find_bin() {
    for n in "$@"; do
        p=$(command -v "$n" 2>/dev/null) && { echo "$p"; return 0; }
        for d in /usr/sbin /usr/bin; do
            [ -x "$d/$n" ] && { echo "$d/$n"; return 0; }
        done
    done
    return 1
}

provider() {
    for f in /usr/lib/galera/libgalera_smm.so /usr/lib/libgalera_smm.so \
             /usr/lib/x86_64-linux-gnu/galera/libgalera_smm.so; do
        [ -f "$f" ] && { echo "$f"; return 0; }
    done
    return 1
}

# node_start DIR PORT I [--wsrep-new-cluster]
node_start() {
    dir=$1 port=$2 i=$3
    shift 3
    n="$dir/node$i"
    p=$((port + i - 1))
    mkdir -p "$n"
    chown mysql:mysql "$n"
    if [ ! -d "$n/data/mysql" ]; then
        "$installdb" --no-defaults --user=mysql --datadir="$n/data" \
            --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
            >"$n/install.log" 2>&1 || { cat "$n/install.log" >&2; die "install of node $i"; }
    fi
    "$server" --no-defaults --user=mysql --datadir="$n/data" --socket="$n/mysqld.sock" \
        --pid-file="$n/mysqld.pid" --port="$p" --bind-address=127.0.0.1 --skip-name-resolve \
        --log-error="$n/server.log" --local-infile=1 --max-allowed-packet=256M \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
        --innodb-buffer-pool-size=128M --character-set-server=utf8mb4 \
        --collation-server=utf8mb4_general_ci --skip-log-bin --event-scheduler=OFF \
        --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
        --wsrep-on=ON --wsrep-provider="$prov" --wsrep-cluster-name=dbt_galera \
        --wsrep-node-name="node$i" --wsrep-node-address="127.0.0.1:$((port + 10 + i - 1))" \
        --wsrep-node-incoming-address="127.0.0.1:$p" \
        --wsrep-cluster-address="gcomm://127.0.0.1:$((port + 10)),127.0.0.1:$((port + 11)),127.0.0.1:$((port + 12))" \
        --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$((port + 10 + i - 1));ist.recv_addr=127.0.0.1:$((port + 20 + i - 1));gcache.size=64M" \
        --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((port + 30 + i - 1))" \
        "$@" >"$n/mariadbd.out" 2>&1 &
    spid=$!
    k=0
    until [ "$("$client" --no-defaults --protocol=socket --socket="$n/mysqld.sock" -uroot -N \
               -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" = Synced ]; do
        k=$((k + 1))
        kill -0 "$spid" 2>/dev/null || { tail -n 30 "$n/server.log" >&2; die "node $i died"; }
        [ $k -lt 480 ] || { tail -n 30 "$n/server.log" >&2; die "node $i not synced after 120 s"; }
        sleep 0.25
    done
}

cmd_start() {
    dir=$1 port=$2
    case "$port" in ''|*[!0-9]*) die "bad port '$port'" ;; esac
    id mysql >/dev/null 2>&1 || die "no user mysql (install mariadb-server)"
    command -v rsync >/dev/null || die "rsync not found (SST; install rsync)"
    installdb=$(find_bin mariadb-install-db mysql_install_db) || die "mariadb-install-db not found"
    server=$(find_bin mariadbd mysqld) || die "mariadbd not found"
    client=$(find_bin mariadb mysql) || die "mariadb client not found"
    prov=$(provider) || die "libgalera_smm.so not found (install galera-4)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chown mysql:mysql "$dir"
    node_start "$dir" "$port" 1 --wsrep-new-cluster
    # root over TCP from loopback (replicated to the nodes that join)
    "$client" --no-defaults --protocol=socket --socket="$dir/node1/mysqld.sock" -uroot -e "
        CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
        GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" ||
        die "cannot create root@127.0.0.1"
    node_start "$dir" "$port" 2
    node_start "$dir" "$port" 3
    size=$("$client" --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot -N \
           -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)
    [ "$size" = 3 ] || die "cluster size $size, not 3"
    echo "mysql://root@127.0.0.1:$port/ mysql://root@127.0.0.1:$((port + 1))/ mysql://root@127.0.0.1:$((port + 2))/"
}

node_stop() {
    pidfile="$1/mysqld.pid"
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    case "$pid" in ''|*[!0-9]*) return 0 ;; esac
    kill -TERM "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    k=0
    while kill -0 "$pid" 2>/dev/null; do
        k=$((k + 1))
        [ $k -ne 600 ] || kill -KILL "$pid" 2>/dev/null || true
        [ $k -lt 700 ] || die "node pid $pid does not stop"
        sleep 0.1
    done
    rm -f "$pidfile"
}

cmd_stop() {
    for i in 3 2 1; do node_stop "$1/node$i"; done
}

[ $# -ge 1 ] || usage
case "$1" in
    start) [ $# -eq 3 ] || usage; cmd_start "$2" "$3" ;;
    stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
    *) usage ;;
esac
