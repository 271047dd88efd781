#!/usr/bin/env bash
# The cluster stack's database: three MariaDB Galera nodes on 127.0.0.1, each
# with its own datadir, socket and ports under $STACK_DIR/nodeN, run as user
# mysql (rsync SST fails as root), bootstrapped in order.
#
#   tests/stack/galera.sh start|stop|status [cluster]      all nodes
#   tests/stack/galera.sh start-node|stop-node|kill-node|status-node|pid|socket N [cluster]
#
# Ports (INKWELL_GALERA_PORT_BASE, default 4510): node N uses
# BASE+10N+1 SQL, +2 group communication (gmcast), +3 IST, +4 SST (rsync).
#
# start: the first start initialises node 1 and bootstraps the cluster from
# it; later starts bootstrap from the node marked safe_to_bootstrap (the last
# one stopped), or from the most advanced one (--wsrep-recover), and the
# others rejoin by IST. start-node N restarts a node that was killed: first
# --wsrep-recover, then --wsrep_start_position=<what it reported>, so that it
# rejoins by IST rather than a full SST.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
if [[ ${2:-} =~ ^[0-9]+$ ]]; then load_env "${3:-cluster}"; else load_env "${2:-cluster}"; fi
[[ $STACK == cluster ]] || die "galera.sh serves the cluster stack only"

NODES=3
port_base=${INKWELL_GALERA_PORT_BASE:-4510}
provider=/usr/lib/galera/libgalera_smm.so
start_timeout=90
admin_user=$(id -un)

node_dir() { printf '%s/node%s' "$INKWELL_CLUSTER_DIR" "$1"; }
node_port() { printf '%s' $((port_base + 10 * $1 + $2)); }
node_socket() { printf '%s/run/mysqld.sock' "$(node_dir "$1")"; }
# Our record of the pid (mariadbd, running as mysql, writes its own mysqld.pid).
node_pidfile() { printf '%s/run/node.pid' "$(node_dir "$1")"; }
node_log() { printf '%s/log/mysqld.log' "$(node_dir "$1")"; }
# Identifies node N's mariadbd in /proc/PID/cmdline.
node_pattern() { printf -- '--defaults-file=%s/my.cnf' "$(node_dir "$1")"; }

cluster_address() {
  local n list=()
  for ((n = 1; n <= NODES; n++)); do list+=("127.0.0.1:$(node_port "$n" 2)"); done
  local IFS=,
  printf 'gcomm://%s' "${list[*]}"
}

write_config() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$dir"/{data,run,log,tmp}
  cat >"$dir/my.cnf" <<CNF
[mysqld]
user=mysql
datadir=$dir/data
socket=$(node_socket "$n")
pid-file=$dir/run/mysqld.pid
log-error=$(node_log "$n")
tmpdir=$dir/tmp
bind-address=127.0.0.1
port=$(node_port "$n" 1)
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
performance_schema=OFF
max_connections=200
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
# The statements Inkwell marks SQL_CACHE (see the README's cluster settings).
query_cache_type=DEMAND
query_cache_size=32M
# Durability comes from replication to the other nodes.
innodb_flush_log_at_trx_commit=2
# What Galera needs.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=inkwell-test
wsrep_cluster_address=$(cluster_address)
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(node_port "$n" 2)
wsrep_node_incoming_address=127.0.0.1:$(node_port "$n" 1)
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(node_port "$n" 4)
# Loopback only; small gcache; a dead node is dropped after 2 s (default 5 s).
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(node_port "$n" 2);ist.recv_addr=127.0.0.1:$(node_port "$n" 3);gcache.size=32M;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.inactive_check_period=PT0.5S;evs.keepalive_period=PT0.5S"
wsrep_slave_threads=2
CNF
  chown -R mysql:mysql "$dir"
}

node_running() { running_pid "$(node_pidfile "$1")" "$(node_pattern "$1")" >/dev/null; }

admin_sql() {
  mariadb --no-defaults --socket="$(node_socket "$1")" --user="$admin_user" \
    --batch --skip-column-names
}

# wsrep_state N: node N's wsrep_local_state_comment (Synced, Joining...).
wsrep_state() {
  admin_sql "$1" <<<"SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2
}

# launch N [extra mariadbd options]: start node N in the background.
launch() {
  local n=$1 pid
  shift
  rm -f -- "$(node_socket "$n")"
  touch "$(node_log "$n")"
  chown mysql:mysql "$(node_log "$n")"
  setsid mariadbd "$(node_pattern "$n")" "$@" </dev/null >>"$(node_log "$n")" 2>&1 &
  pid=$!
  echo "$pid" >"$(node_pidfile "$n")"
}

# wait_synced N: until node N answers and reports Synced.
wait_synced() {
  local n=$1 pid deadline=$((SECONDS + start_timeout))
  pid=$(read_pid "$(node_pidfile "$n")")
  until [[ $(wsrep_state "$n") == Synced ]]; do
    if ! child_alive "$pid"; then
      log_tail "$(node_log "$n")"
      die "galera: node$n exited during start-up (log: $(node_log "$n"))"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$(node_log "$n")"
      die "galera: node$n not Synced after ${start_timeout}s (log: $(node_log "$n"))"
    fi
    sleep 0.2
  done
}

# recovered_position N: run --wsrep-recover on node N's data and print the
# position it reports (uuid:seqno), or nothing.
recovered_position() {
  local n=$1 out
  out=$(timeout 60 mariadbd "$(node_pattern "$n")" --wsrep-recover --log-error=/dev/stderr 2>&1 || true)
  sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:-\{0,1\}[0-9]*\).*/\1/p' <<<"$out" | tail -n 1
}

install_db() {
  local dir
  dir=$(node_dir 1)
  say "galera: initialising node1 ($dir/data)"
  if ! mariadb-install-db --no-defaults --datadir="$dir/data" --user=mysql \
    --auth-root-authentication-method=socket --skip-test-db \
    >>"$dir/log/install.log" 2>&1; then
    log_tail "$dir/log/install.log"
    die "galera: mariadb-install-db failed"
  fi
  chown -R mysql:mysql "$dir"
}

sql_string() {
  local v=${1//\\/\\\\}
  printf "'%s'" "${v//\'/\\\'}"
}

create_db_and_user() {
  local db=${INKWELL_DB_NAME//\`/\`\`} user pass
  user=$(sql_string "$INKWELL_DB_USER")
  pass=$(sql_string "$INKWELL_DB_PASSWORD")
  admin_sql "$1" <<SQL
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS $user@'localhost' IDENTIFIED BY $pass;
CREATE USER IF NOT EXISTS $user@'127.0.0.1' IDENTIFIED BY $pass;
GRANT ALL PRIVILEGES ON \`$db\`.* TO $user@'localhost';
GRANT ALL PRIVILEGES ON \`$db\`.* TO $user@'127.0.0.1';
SQL
}

# start_node N [bootstrap]: start node N (rejoining by IST when it has data).
start_node() {
  local n=$1 bootstrap=${2:-} pos opts=()
  if node_running "$n"; then
    say "galera: node$n already running"
    return 0
  fi
  write_config "$n"
  if [[ -f $(node_dir "$n")/data/grastate.dat ]]; then
    pos=$(recovered_position "$n")
    [[ -n $pos ]] && opts+=("--wsrep_start_position=$pos")
  fi
  [[ -n $bootstrap ]] && opts+=(--wsrep-new-cluster)
  say "galera: starting node$n${bootstrap:+ (bootstrap)}${pos:+ at $pos} (socket $(node_socket "$n"))"
  launch "$n" "${opts[@]}"
  wait_synced "$n"
  say "galera: node$n Synced (pid $(read_pid "$(node_pidfile "$n")"))"
}

# bootstrap_node: the node to start the cluster from: the one marked
# safe_to_bootstrap, else the one with the highest recovered seqno.
bootstrap_node() {
  local n best=1 best_seq=-2 seq state
  for ((n = 1; n <= NODES; n++)); do
    state=$(node_dir "$n")/data/grastate.dat
    [[ -f $state ]] || continue
    if grep -q '^safe_to_bootstrap: *1' "$state"; then
      echo "$n"
      return 0
    fi
  done
  for ((n = 1; n <= NODES; n++)); do
    [[ -f $(node_dir "$n")/data/grastate.dat ]] || continue
    write_config "$n"
    seq=$(recovered_position "$n")
    seq=${seq##*:}
    [[ $seq =~ ^-?[0-9]+$ ]] || continue
    if ((seq > best_seq)); then best=$n best_seq=$seq; fi
  done
  sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' "$(node_dir "$best")/data/grastate.dat"
  echo "$best"
}

start_all() {
  local n first
  for ((n = 1; n <= NODES; n++)); do
    if node_running "$n"; then
      say "galera: node$n already running"
    fi
  done
  if ! node_running 1 && ! node_running 2 && ! node_running 3; then
    if [[ ! -d $(node_dir 1)/data/mysql ]]; then
      write_config 1
      install_db
      first=1
    else
      first=$(bootstrap_node)
    fi
    start_node "$first" bootstrap
    create_db_and_user "$first"
  fi
  for ((n = 1; n <= NODES; n++)); do start_node "$n"; done
}

stop_node() {
  stop_daemon "galera node$1" "$(node_pidfile "$1")" "$(node_pattern "$1")" 60
}

kill_node() {
  local pid
  pid=$(running_pid "$(node_pidfile "$1")" "$(node_pattern "$1")") || die "galera: node$1 not running"
  kill -KILL "$pid"
  wait_stopped "$pid" "$(node_pattern "$1")" 10 || die "galera: node$1 survived SIGKILL"
  say "galera: node$1 killed (pid $pid)"
}

status_node() {
  status_line "galera node$1" "$(node_pidfile "$1")" "$(node_pattern "$1")" || return 1
  say "galera: node$1 $(wsrep_state "$1")"
}

node_arg() {
  [[ ${1:-} =~ ^[1-3]$ ]] || die "node number 1-3 expected, got '${1:-}'"
}

case ${1:-} in
  start) start_all ;;
  stop)
    rc=0
    for n in 3 2 1; do stop_node "$n" || rc=1; done
    exit "$rc"
    ;;
  status)
    rc=0
    for n in 1 2 3; do status_node "$n" || rc=1; done
    exit "$rc"
    ;;
  start-node) node_arg "${2:-}" && start_node "$2" ;;
  stop-node) node_arg "${2:-}" && stop_node "$2" ;;
  kill-node) node_arg "${2:-}" && kill_node "$2" ;;
  status-node) node_arg "${2:-}" && status_node "$2" ;;
  socket) node_arg "${2:-}" && node_socket "$2" ;;
  pid) node_arg "${2:-}" && running_pid "$(node_pidfile "$2")" "$(node_pattern "$2")" ;;
  *)
    echo "usage: $0 start|stop|status [cluster] | start-node|stop-node|kill-node|status-node|pid|socket N [cluster]" >&2
    exit 2
    ;;
esac
