#!/usr/bin/env bash
# The cluster stack (var/cluster): three Galera nodes (galera.sh), one mail
# sink, two app hosts and one nginx (127.0.0.1:$HTTP_PORT, default 8084) that
# balances over both hosts' pools and fails over between them.
#
#   tests/stack/cluster.sh start|stop|status
#   tests/stack/cluster.sh host N pool|mailer start|stop|status|pid
#   tests/stack/cluster.sh host-env N    (prints host N's environment, for eval)
#   tests/stack/cluster.sh pids pool|db  (every host's pool master, or every
#                                        Galera node's mariadbd: the running ones)
#
# Host N (1, 2) lives in var/cluster/hostN (its socket, pid files, logs) and
# talks to Galera node N first: INKWELL_DB_HOSTS lists node N, node 3, then
# the other one, tried in that order. Both hosts share the secret key. Both
# run `inkwell migrate` at the same moment at start (the lock row lets one
# apply the migrations, the other waits and finds nothing to do).
# start.sh cluster / stop.sh cluster call this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
load_env cluster

HOSTS=2
cluster_dir=$INKWELL_CLUSTER_DIR

node_socket() { printf '%s/node%s/run/mysqld.sock' "$cluster_dir" "$1"; }

# host_env N: export host N's settings (call in a subshell).
host_env() {
  local n=$1 order
  if ((n == 1)); then order="1 3 2"; else order="2 3 1"; fi
  local hosts=() i
  for i in $order; do hosts+=("$(node_socket "$i")"); done
  export INKWELL_STACK_DIR=$cluster_dir/host$n
  export INKWELL_SOCKET=$cluster_dir/host$n/run/inkwell.sock
  export INKWELL_DB_SOCKET
  INKWELL_DB_SOCKET=$(node_socket "$n")
  local IFS=,
  export INKWELL_DB_HOSTS="${hosts[*]}"
  unset IFS
  (umask 022 && mkdir -p "$INKWELL_STACK_DIR"/{run,log,nginx,mail/{cur,new,tmp}})
  [[ -f $INKWELL_STACK_DIR/.inkwell-stack ]] || : >"$INKWELL_STACK_DIR/.inkwell-stack"
}

host_do() {
  local n=$1 what=$2 action=$3
  [[ $n =~ ^[1-2]$ ]] || die "host number 1-$HOSTS expected, got '$n'"
  [[ $what == pool || $what == mailer ]] || die "pool or mailer expected, got '$what'"
  (
    host_env "$n"
    STACK="cluster host$n" "$here/$what.sh" "$action" cluster
  )
}

sockets() {
  local n out=()
  for ((n = 1; n <= HOSTS; n++)); do out+=("$cluster_dir/host$n/run/inkwell.sock"); done
  printf '%s' "${out[*]}"
}

migrate_all() {
  local n pids=() rc=0
  [[ -x $BUILD_DIR/inkwell ]] || die "$BUILD_DIR/inkwell not found (run make build)"
  say "applying migrations from every host at once (one applies, the others wait)"
  for ((n = 1; n <= HOSTS; n++)); do
    (
      host_env "$n"
      "$BUILD_DIR/inkwell" migrate >>"$INKWELL_STACK_DIR/log/migrate.log" 2>&1
    ) &
    pids+=($!)
  done
  for n in "${!pids[@]}"; do
    if ! wait "${pids[$n]}"; then
      log_tail "$cluster_dir/host$((n + 1))/log/migrate.log"
      rc=1
    fi
  done
  ((rc == 0)) || die "inkwell migrate failed"
  for ((n = 1; n <= HOSTS; n++)); do
    say "host$n: $(tail -n 1 "$cluster_dir/host$n/log/migrate.log")"
  done
}

start() {
  "$here/galera.sh" start cluster
  "$here/mailsink.sh" start cluster
  migrate_all
  local n
  for ((n = 1; n <= HOSTS; n++)); do
    host_do "$n" mailer start
    host_do "$n" pool start
  done
  INKWELL_CLUSTER_SOCKETS=$(sockets) "$here/nginx.sh" start cluster
  say "cluster is up: http://127.0.0.1:$HTTP_PORT/ (logs in $cluster_dir/*/log)"
}

stop() {
  local rc=0 n
  "$here/nginx.sh" stop cluster || rc=1
  for ((n = 1; n <= HOSTS; n++)); do
    host_do "$n" pool stop || rc=1
    host_do "$n" mailer stop || rc=1
  done
  "$here/mailsink.sh" stop cluster || rc=1
  "$here/galera.sh" stop cluster || rc=1
  return "$rc"
}

status() {
  local rc=0 n
  "$here/nginx.sh" status cluster || rc=1
  for ((n = 1; n <= HOSTS; n++)); do
    host_do "$n" pool status || rc=1
    host_do "$n" mailer status || rc=1
  done
  "$here/mailsink.sh" status cluster || rc=1
  "$here/galera.sh" status cluster || rc=1
  return "$rc"
}

# pids pool|db: the pid of every running pool master (one per host) or
# Galera node, one a line (scripts/bench.sh reads their CPU time).
pids() {
  local n
  case $1 in
    pool) for ((n = 1; n <= HOSTS; n++)); do host_do "$n" pool pid || true; done ;;
    db) for n in 1 2 3; do "$here/galera.sh" pid "$n" cluster || true; done ;;
    *) die "pool or db expected, got '$1'" ;;
  esac
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  host) host_do "${2:-}" "${3:-}" "${4:-}" ;;
  pids) pids "${2:-}" ;;
  host-env)
    host_env "${2:-1}"
    for v in INKWELL_STACK_DIR INKWELL_SOCKET INKWELL_DB_SOCKET INKWELL_DB_HOSTS; do
      printf 'export %s=%q\n' "$v" "${!v}"
    done
    ;;
  *)
    echo "usage: $0 start|stop|status | host N pool|mailer start|stop|status|pid | host-env N | pids pool|db" >&2
    exit 2
    ;;
esac
