#!/usr/bin/env bash
# The mailer: $BUILD_DIR/inkwell-mailer, which delivers the mail outbox to the
# stack's SMTP sink ($INKWELL_MAIL_SERVER:$INKWELL_MAIL_PORT). It logs one
# line per message to stderr, which goes to $STACK_DIR/log/mailer.log.
#
#   tests/stack/mailer.sh start|stop|status|pid [dev|test|bench|faults|browser]
#
# start returns once the mailer has logged its start line (configuration
# read). stop: SIGTERM (the message being sent is finished), SIGKILL after 30 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
load_env "${2:-}"

bin=$BUILD_DIR/inkwell-mailer
pidfile=$STACK_DIR/run/mailer.pid
logfile=$STACK_DIR/log/mailer.log
# Identifies the mailer in /proc/PID/cmdline.
pattern=inkwell-mailer
start_timeout=10

start() {
  local pid
  if pid=$(running_pid "$pidfile" "$pattern"); then
    say "mailer: already running (pid $pid)"
    return 0
  fi
  [[ -x $bin ]] || die "mailer: $bin not found (run make build)"

  # Only what this start appends to the log counts as its start line.
  local offset=0
  [[ -f $logfile ]] && offset=$(stat -c %s -- "$logfile")

  say "mailer: starting (SMTP $INKWELL_MAIL_SERVER:$INKWELL_MAIL_PORT)"
  # setsid: no terminal signals; stop.sh stops it in order.
  setsid "$bin" </dev/null >>"$logfile" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"

  local deadline=$((SECONDS + start_timeout))
  until tail -c "+$((offset + 1))" -- "$logfile" 2>/dev/null | grep -q 'mailer: started'; do
    if ! child_alive "$pid"; then
      log_tail "$logfile"
      die "mailer: inkwell-mailer exited during start-up (log: $logfile)"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$logfile"
      die "mailer: no start line after ${start_timeout}s (log: $logfile)"
    fi
    sleep 0.1
  done
  # The recorded pid must be the program itself, or stop could not find it.
  pid_matches "$pid" "$pattern" || die "mailer: pid $pid is not the expected process"
  say "mailer: running (pid $pid)"
}

case ${1:-} in
  start) start ;;
  stop)
    # Also a mailer whose pid file was lost (its pid recorded by another start).
    stop_daemon mailer "$pidfile" "$pattern" 30 && stop_strays inkwell-mailer 30
    ;;
  status) status_line mailer "$pidfile" "$pattern" ;;
  pid) running_pid "$pidfile" "$pattern" ;;
  *)
    echo "usage: $0 start|stop|status|pid [dev|test|bench|faults|browser]" >&2
    exit 2
    ;;
esac
