#!/usr/bin/env bash
# Start a private Inkwell stack: MariaDB, mail sink, migrations, FastCGI pool,
# nginx. The test and bench stacks are throwaways: anything still running in
# one is stopped and its directory wiped first. The dev stack keeps its data.
#
#   tests/stack/start.sh dev|test|bench|faults|browser|cluster
#
# cluster: three Galera nodes, two app hosts, one nginx (tests/stack/cluster.sh).
#
# On failure it exits non-zero and leaves what did start running; callers stop
# it with stop.sh (run-stack.sh and run-tests.sh do).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

stack=${1:-}
[[ $stack == dev || $stack == test || $stack == bench || $stack == faults || $stack == browser || $stack == cluster ]] || {
  echo "usage: $0 dev|test|bench|faults|browser|cluster" >&2
  exit 2
}

if [[ $stack != dev ]]; then
  # shellcheck source=SCRIPTDIR/env.sh
  source "$here/env.sh" "$stack" --paths-only
  "$here/stop.sh" "$stack"
  # Wipe only a directory this tooling created (it carries the marker).
  if [[ -e $STACK_DIR ]]; then
    [[ -f $STACK_DIR/.inkwell-stack ]] ||
      die "refusing to wipe $STACK_DIR: no .inkwell-stack marker (not created by tests/stack)"
    say "wiping $STACK_DIR"
    rm -rf -- "$STACK_DIR"
  fi
fi

# shellcheck source=SCRIPTDIR/env.sh
source "$here/env.sh" "$stack"
[[ $stack == cluster ]] && exec "$here/cluster.sh" start

"$here/mariadb.sh" start "$stack"
"$here/mailsink.sh" start "$stack"

[[ -x $BUILD_DIR/inkwell ]] || die "$BUILD_DIR/inkwell not found (run make build)"
say "applying migrations from $INKWELL_MIGRATIONS"
"$BUILD_DIR/inkwell" migrate || die "inkwell migrate failed"

"$here/mailer.sh" start "$stack"
"$here/pool.sh" start "$stack"
"$here/nginx.sh" start "$stack"
say "stack is up: http://127.0.0.1:$HTTP_PORT/ (logs in $STACK_DIR/log)"
