#!/usr/bin/env bash
# The FastCGI worker pool: $BUILD_DIR/inkwell-fcgi, a master that listens on
# $INKWELL_SOCKET and forks $INKWELL_WORKERS workers. It logs to stderr, which
# goes to $STACK_DIR/log/inkwell.log.
#
#   tests/stack/pool.sh start|stop|status|pid|reload [dev|test|bench|faults|browser]
#
# stop: SIGTERM (graceful), SIGKILL to the whole process group after 15 s;
# then any inkwell-fcgi of this stack still alive (workers of a master that
# was killed) gets the same. status counts such orphans as running.
# reload: SIGHUP (graceful reload).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
load_env "${2:-}"

bin=$BUILD_DIR/inkwell-fcgi
pidfile=$STACK_DIR/run/inkwell.pid
logfile=$STACK_DIR/log/inkwell.log
# Identifies the master in /proc/PID/cmdline.
pattern=inkwell-fcgi
start_timeout=10

start() {
  local pid
  if pid=$(running_pid "$pidfile" "$pattern"); then
    say "pool: already running (pid $pid)"
    return 0
  fi
  [[ -x $bin ]] || die "pool: $bin not found (run make build)"
  # Workers of a killed master would keep answering on the old socket.
  stop_strays inkwell-fcgi 15 || die "pool: processes of an earlier pool survive SIGKILL"
  # A socket left by a killed pool would make the wait below pass too early.
  rm -f -- "$INKWELL_SOCKET"

  say "pool: starting $INKWELL_WORKERS workers on $INKWELL_SOCKET"
  # setsid: its own process group (so stop can reach the workers) and no
  # terminal signals; stop.sh stops it in order.
  setsid "$bin" </dev/null >>"$logfile" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"

  local deadline=$((SECONDS + start_timeout))
  until [[ -S $INKWELL_SOCKET ]]; do
    if ! child_alive "$pid"; then
      log_tail "$logfile"
      die "pool: inkwell-fcgi exited during start-up (log: $logfile)"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$logfile"
      die "pool: no socket $INKWELL_SOCKET after ${start_timeout}s (log: $logfile)"
    fi
    sleep 0.1
  done
  # The recorded pid must be the program itself, or stop could not find it.
  pid_matches "$pid" "$pattern" || die "pool: pid $pid is not the expected process"
  say "pool: running (pid $pid)"
}

stop() {
  local rc=0
  stop_daemon pool "$pidfile" "$pattern" 15 group || rc=1
  stop_strays inkwell-fcgi 15 || rc=1
  rm -f -- "$INKWELL_SOCKET"
  return "$rc"
}

# status: the master, or the processes of a pool whose master is gone.
status() {
  local pid pids
  if pid=$(running_pid "$pidfile" "$pattern"); then
    say "pool: running (pid $pid)"
    return 0
  fi
  pids=$(stack_pids inkwell-fcgi)
  if [[ -n $pids ]]; then
    say "pool: master gone, orphaned processes still running: ${pids//$'\n'/ }"
    return 3
  fi
  say "pool: stopped"
  return 1
}

signal() {
  local pid
  pid=$(running_pid "$pidfile" "$pattern") || die "pool: not running"
  kill "-$1" "$pid"
  say "pool: sent SIG$1 to pid $pid"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  pid) running_pid "$pidfile" "$pattern" ;;
  reload) signal HUP ;;
  *)
    echo "usage: $0 start|stop|status|pid|reload [dev|test|bench|faults|browser]" >&2
    exit 2
    ;;
esac
