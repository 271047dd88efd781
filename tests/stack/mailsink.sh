#!/usr/bin/env bash
# Dev/test mail sink: a real SMTP server (Debian's python3-aiosmtpd, Mailbox
# handler) on 127.0.0.1:$SMTP_PORT that stores every message it receives as a
# Maildir in $STACK_DIR/mail (new messages in mail/new/).
#
#   tests/stack/mailsink.sh start|stop|status [dev|test|bench|faults|browser]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
load_env "${2:-}"

maildir=$STACK_DIR/mail
pidfile=$STACK_DIR/run/mailsink.pid
logfile=$STACK_DIR/log/mailsink.log
# Identifies our sink in /proc/PID/cmdline.
pattern="aiosmtpd.handlers.Mailbox $maildir"
# Debian's interpreter: the python3 first in PATH may lack aiosmtpd.
python=/usr/bin/python3
start_timeout=10

start() {
  local pid
  if pid=$(running_pid "$pidfile" "$pattern"); then
    say "mailsink: already running (pid $pid)"
    return 0
  fi
  port_open "$SMTP_PORT" && die "mailsink: 127.0.0.1:$SMTP_PORT is already in use by another program"
  # The Maildir must exist before the first message, or it can be lost.
  mkdir -p "$maildir"/{cur,new,tmp}

  say "mailsink: starting on 127.0.0.1:$SMTP_PORT (Maildir $maildir)"
  # -n: do not setuid to nobody. -l before -c: the rest are the handler's args.
  setsid "$python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
    -c aiosmtpd.handlers.Mailbox "$maildir" </dev/null >>"$logfile" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"

  local deadline=$((SECONDS + start_timeout))
  until port_open "$SMTP_PORT"; do
    if ! child_alive "$pid"; then
      log_tail "$logfile"
      die "mailsink: exited during start-up (log: $logfile)"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$logfile"
      die "mailsink: port $SMTP_PORT not open after ${start_timeout}s (log: $logfile)"
    fi
    sleep 0.1
  done
  # The recorded pid must be the program itself, or stop could not find it.
  pid_matches "$pid" "$pattern" || die "mailsink: pid $pid is not the expected process"
  say "mailsink: running (pid $pid)"
}

case ${1:-} in
  start) start ;;
  stop) stop_daemon mailsink "$pidfile" "$pattern" 10 ;;
  status) status_line mailsink "$pidfile" "$pattern" ;;
  *)
    echo "usage: $0 start|stop|status [dev|test|bench|faults|browser]" >&2
    exit 2
    ;;
esac
