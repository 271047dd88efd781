#!/usr/bin/env bash
# Private MariaDB for the dev or test stack: data in $STACK_DIR/db, unix socket
# only (--skip-networking), started and stopped by its recorded pid.
#
#   tests/stack/mariadb.sh start|stop|status|pid [dev|test|bench|faults|browser]
#
# start also (idempotently) creates the database $INKWELL_DB_NAME and the user
# $INKWELL_DB_USER@localhost with $INKWELL_DB_PASSWORD, granted all on it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
load_env "${2:-}"

datadir=$STACK_DIR/db
pidfile=$STACK_DIR/run/mysqld.pid
logfile=$STACK_DIR/log/mysqld.log
install_log=$STACK_DIR/log/mariadb-install.log
# Identifies our mariadbd in /proc/PID/cmdline (and is its --datadir option).
pattern="--datadir=$datadir"
start_timeout=60

# mariadbd refuses to run as root unless told to.
as_root=()
[[ $(id -u) -eq 0 ]] && as_root=(--user=root)
# The administrative account: with socket authentication, the OS user.
admin_user=$(id -un)

admin_sql() {
  mariadb --no-defaults --socket="$INKWELL_DB_SOCKET" --user="$admin_user" \
    --batch --skip-column-names
}

# sql_string VALUE: VALUE as a single-quoted SQL string literal.
sql_string() {
  local v=${1//\\/\\\\}
  printf "'%s'" "${v//\'/\\\'}"
}

install_db() {
  say "mariadb: initialising $datadir"
  local socket_user=()
  [[ $(id -u) -eq 0 ]] || socket_user=(--auth-root-socket-user="$admin_user")
  if ! mariadb-install-db --no-defaults --datadir="$datadir" "${as_root[@]}" \
    --auth-root-authentication-method=socket "${socket_user[@]}" \
    --skip-test-db >>"$install_log" 2>&1; then
    log_tail "$install_log"
    die "mariadb: mariadb-install-db failed"
  fi
}

create_db_and_user() {
  local db=${INKWELL_DB_NAME//\`/\`\`} user pass
  user=$(sql_string "$INKWELL_DB_USER")
  pass=$(sql_string "$INKWELL_DB_PASSWORD")
  admin_sql <<SQL
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS $user@'localhost' IDENTIFIED BY $pass;
ALTER USER $user@'localhost' IDENTIFIED BY $pass;
GRANT ALL PRIVILEGES ON \`$db\`.* TO $user@'localhost';
SQL
}

start() {
  local pid
  if pid=$(running_pid "$pidfile" "$pattern"); then
    say "mariadb: already running (pid $pid)"
    create_db_and_user
    return 0
  fi
  [[ -d $datadir/mysql ]] || install_db
  rm -f -- "$INKWELL_DB_SOCKET"

  # INKWELL_DB_BUFFER_POOL: make bench-scale's million posts need more.
  local tuning=(--innodb-buffer-pool-size="${INKWELL_DB_BUFFER_POOL:-256M}")
  # MariaDB's query cache answers the statements Inkwell marks SQL_CACHE
  # (app/models/cached_select.hpp); INKWELL_DB_QUERY_CACHE=0 turns it off.
  tuning+=(--query-cache-type=DEMAND --query-cache-size="${INKWELL_DB_QUERY_CACHE:-64M}")
  # A throwaway instance: trade durability for speed.
  [[ $STACK != dev ]] && tuning+=(--innodb-flush-log-at-trx-commit=2)
  # Its own temporary directory: nothing else on the machine cleans it.
  mkdir -p "$STACK_DIR/tmp"
  tuning+=(--tmpdir="$STACK_DIR/tmp")

  say "mariadb: starting (socket $INKWELL_DB_SOCKET)"
  # setsid: a terminal's Ctrl-C must not reach it; stop.sh stops it in order.
  setsid mariadbd --no-defaults "$pattern" "${as_root[@]}" \
    --socket="$INKWELL_DB_SOCKET" --skip-networking \
    --pid-file="$pidfile" --log-error="$logfile" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --skip-name-resolve "${tuning[@]}" </dev/null >>"$logfile" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"

  local deadline=$((SECONDS + start_timeout))
  until mariadb-admin --no-defaults --socket="$INKWELL_DB_SOCKET" \
    --user="$admin_user" ping >/dev/null 2>&1; do
    if ! child_alive "$pid"; then
      log_tail "$logfile"
      die "mariadb: mariadbd exited during start-up (log: $logfile)"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$logfile"
      die "mariadb: no answer on $INKWELL_DB_SOCKET after ${start_timeout}s (log: $logfile)"
    fi
    sleep 0.2
  done
  create_db_and_user
  # The recorded pid must be the program itself, or stop could not find it.
  pid_matches "$pid" "$pattern" || die "mariadb: pid $pid is not the expected process"
  say "mariadb: running (pid $pid)"
}

case ${1:-} in
  start) start ;;
  stop) stop_daemon mariadb "$pidfile" "$pattern" 30 ;;
  status) status_line mariadb "$pidfile" "$pattern" ;;
  pid) running_pid "$pidfile" "$pattern" ;;
  *)
    echo "usage: $0 start|stop|status|pid [dev|test|bench|faults|browser]" >&2
    exit 2
    ;;
esac
