#!/usr/bin/env bash
# nginx for the dev or test stack, with its own prefix, config and logs under
# $STACK_DIR: the config is generated from nginx/dev.conf.in; it listens on
# 127.0.0.1:$HTTP_PORT only and passes everything but static files to the
# FastCGI pool's socket.
#
#   tests/stack/nginx.sh start|stop|status|reload [dev|test|bench|faults|browser]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
load_env "${2:-}"

template=$ROOT/nginx/dev.conf.in
conf=$STACK_DIR/nginx/nginx.conf
pidfile=$STACK_DIR/run/nginx.pid
logfile=$STACK_DIR/log/nginx-error.log
# The master keeps its arguments in its title: identifies it in cmdline.
pattern="-c $conf"
nginx_cmd=(nginx -p "$STACK_DIR/nginx/" -c "$conf" -e "$logfile")
start_timeout=10

# sed_escape VALUE: VALUE safe as the replacement of s|...|...|.
sed_escape() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }

# Generate the config from the template and check it with nginx -t.
render() {
  local tmp out
  tmp=$(mktemp "$conf.XXXXXX")
  sed -e "s|@HTTP_PORT@|$(sed_escape "$HTTP_PORT")|g" \
    -e "s|@STACK_DIR@|$(sed_escape "$STACK_DIR")|g" \
    -e "s|@ROOT@|$(sed_escape "$ROOT")|g" \
    -e "s|@SOCKET@|$(sed_escape "$INKWELL_SOCKET")|g" "$template" >"$tmp"
  # The cluster stack: the upstream lists every host's pool socket (each
  # twice, so that a retry can reach the other worker set of the same host
  # too); a host whose pool refuses is skipped for 2 s.
  if [[ $STACK == cluster ]]; then
    local servers="" s
    for s in ${INKWELL_CLUSTER_SOCKETS:-$INKWELL_CLUSTER_DIR/host1/run/inkwell.sock $INKWELL_CLUSTER_DIR/host2/run/inkwell.sock}; do
      servers+="        server unix:$s max_fails=1 fail_timeout=2s;\n"
    done
    servers+=$servers
    awk -v servers="$servers" '
      /server unix:.* max_fails=0;/ { if (!done) { printf "%s", servers; done = 1 } next }
      { print }' "$tmp" >"$tmp.cluster"
    mv -f -- "$tmp.cluster" "$tmp"
  fi
  chmod 644 "$tmp"
  mv -f -- "$tmp" "$conf"
  if ! out=$("${nginx_cmd[@]}" -t -q 2>&1); then
    printf '%s\n' "$out" >&2
    die "nginx: invalid configuration $conf"
  fi
}

start() {
  local pid
  if pid=$(running_pid "$pidfile" "$pattern"); then
    say "nginx: already running (pid $pid)"
    return 0
  fi
  port_open "$HTTP_PORT" && die "nginx: 127.0.0.1:$HTTP_PORT is already in use by another program"
  render
  say "nginx: starting on http://127.0.0.1:$HTTP_PORT/"
  # nginx daemonizes itself (setsid, pid file); this returns once it has.
  if ! "${nginx_cmd[@]}" </dev/null >>"$logfile" 2>&1; then
    log_tail "$logfile"
    die "nginx: failed to start (log: $logfile)"
  fi

  local deadline=$((SECONDS + start_timeout))
  # Read the pid file without running_pid: it may be half written yet.
  until pid=$(read_pid "$pidfile") && pid_matches "$pid" "$pattern" &&
    port_open "$HTTP_PORT"; do
    if ((SECONDS >= deadline)); then
      log_tail "$logfile"
      die "nginx: not answering on port $HTTP_PORT after ${start_timeout}s (log: $logfile)"
    fi
    sleep 0.1
  done
  say "nginx: running (pid $pid)"
}

reload() {
  local pid
  pid=$(running_pid "$pidfile" "$pattern") || die "nginx: not running"
  render
  kill -HUP "$pid"
  say "nginx: reloaded (pid $pid)"
}

case ${1:-} in
  start) start ;;
  stop) stop_daemon nginx "$pidfile" "$pattern" 10 group ;;
  status) status_line nginx "$pidfile" "$pattern" ;;
  reload) reload ;;
  *)
    echo "usage: $0 start|stop|status|reload [dev|test|bench|faults|browser]" >&2
    exit 2
    ;;
esac
