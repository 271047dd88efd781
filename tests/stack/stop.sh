#!/usr/bin/env bash
# Stop a private Inkwell stack in reverse start order: nginx, pool, mail sink,
# MariaDB. Components that are not running are skipped; every component is
# attempted even if stopping another one failed.
#
#   tests/stack/stop.sh dev|test|bench|faults|browser|cluster
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

stack=${1:-}
[[ $stack == dev || $stack == test || $stack == bench || $stack == faults || $stack == browser || $stack == cluster ]] || {
  echo "usage: $0 dev|test|bench|faults|browser|cluster" >&2
  exit 2
}
[[ $stack == cluster ]] && exec "$here/cluster.sh" stop

rc=0
for component in nginx pool mailer mailsink mariadb; do
  "$here/$component.sh" stop "$stack" || rc=1
done
exit "$rc"
