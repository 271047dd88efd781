#!/usr/bin/env bash
# Runs a stack in the foreground: starts it, prints its URL, stays until
# Ctrl-C / SIGTERM, then stops it all.
#
#   tests/stack/run-stack.sh [dev|cluster]
#
# dev (`make run`, the default): data in var/ is kept between runs; with
# INKWELL_FAKE=1 an empty database is first filled with fake data.
# cluster (`make run-cluster`): the throwaway cluster stack (var/cluster:
# three Galera nodes, two app hosts, nginx on 8084).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
stack=${1:-dev}
[[ $stack == dev || $stack == cluster ]] || die "usage: $0 [dev|cluster]"
# shellcheck source=SCRIPTDIR/env.sh
source "$here/env.sh" "$stack"

# One foreground run of a stack per tree: a second one would stop the first's
# daemons on exit. Daemons must not inherit the lock (fd 8 closed below).
exec 8>"$STACK_DIR/run/run-stack.lock"
flock -n 8 || die "the $stack stack in $STACK_DIR is already run by another run-stack.sh"

sleeper=""
stopping=0
shutdown() {
  ((stopping)) && return 0
  stopping=1
  # Ignored, and so also in stop.sh: a second Ctrl-C must not cut it short.
  # The terminal (or a pipe such as `make run | tee`) may be gone already:
  # stopping must not depend on being able to print.
  trap '' INT TERM HUP PIPE
  if [[ -n $sleeper ]]; then kill "$sleeper" 2>/dev/null || true; fi
  {
    echo
    say "stopping the $stack stack"
    "$here/stop.sh" "$stack" 8>&- || warn "stop.sh $stack failed"
  } 2>&1 | { cat 2>/dev/null || cat >/dev/null; }
}
trap 'shutdown; exit 0' INT TERM HUP
# Also on any failure, e.g. start.sh stopping half-way.
trap 'shutdown' EXIT

# fake_data: with INKWELL_FAKE=1, fill a database without users with fake data
# if this build's `inkwell` has the fake command.
fake_data() {
  [[ ${INKWELL_FAKE:-0} == 1 ]] || return 0
  local help users
  help=$("$BUILD_DIR/inkwell" help 2>&1 || true)
  if [[ $help != *fake* ]]; then
    warn "INKWELL_FAKE=1, but this inkwell has no fake command: skipped"
    return 0
  fi
  if ! users=$(mariadb --no-defaults --socket="$INKWELL_DB_SOCKET" --user="$(id -un)" \
    --batch --skip-column-names -e 'SELECT COUNT(*) FROM users' "$INKWELL_DB_NAME"); then
    warn "could not count users: fake data skipped"
    return 0
  fi
  if [[ $users == 0 ]]; then
    say "filling the empty database with fake data"
    "$BUILD_DIR/inkwell" fake --users 100 --posts 2000 8>&-
  fi
}

"$here/start.sh" "$stack" 8>&-
if [[ $stack == dev ]]; then fake_data; fi
echo "Inkwell is running at http://127.0.0.1:$HTTP_PORT/"
# Sleep in the background and wait for it, so that signals are acted on at once.
while :; do
  sleep 3600 8>&- &
  sleeper=$!
  wait "$sleeper" || true
done
