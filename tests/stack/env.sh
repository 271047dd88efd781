# shellcheck shell=bash
# Environment of a private Inkwell stack. Source it, do not run it:
#
#   source tests/stack/env.sh dev|test|bench|faults|browser|cluster [--paths-only]
#
# cluster (tests/stack/cluster.sh) is the multi-host throwaway: three Galera
# nodes, two app hosts (var/cluster/host1, host2) and one nginx.
#
# bench (scripts/bench.sh), faults (tests/faults/run.py) and browser
# (tests/browser/run.py) are throwaways like test, each in its own directory and ports, so that a benchmark or a
# fault campaign never touches the dev or test stack.
#
# Sets ROOT, STACK, STACK_DIR, BUILD_DIR, HTTP_PORT, SMTP_PORT and exports the
# application's INKWELL_* configuration (SPEC.md §9). Anything already set in
# the caller's environment wins (INKWELL_HTTP_PORT, INKWELL_SMTP_PORT,
# INKWELL_STACK_DIR, INKWELL_BUILD_DIR and every INKWELL_* app setting).
# Creates the stack's directories and, once, its secret key (and for dev a
# random database password). With --paths-only, only the paths and ports are
# set and nothing is created.

_ink_stack=${1:-}
case $_ink_stack in
  dev | test | bench | faults | browser | cluster) ;;
  *)
    echo "usage: source tests/stack/env.sh dev|test|bench|faults|browser|cluster [--paths-only]" >&2
    return 2
    ;;
esac

# Sourcing dev then test in one shell would silently keep dev's settings
# (the caller's environment wins), so refuse to mix them.
if [[ -n ${INKWELL_STACK_LOADED:-} && $INKWELL_STACK_LOADED != "$_ink_stack" ]]; then
  echo "env.sh: this environment is already set up for the '$INKWELL_STACK_LOADED'" \
    "stack; refusing to load '$_ink_stack' on top of it (use a fresh shell)" >&2
  return 1
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
STACK=$_ink_stack
if [[ $STACK == dev ]]; then
  _ink_dir=$ROOT/var _ink_http=8080 _ink_smtp=8025 _ink_env=development
elif [[ $STACK == bench ]]; then
  _ink_dir=$ROOT/var/bench _ink_http=8082 _ink_smtp=8027 _ink_env=test
elif [[ $STACK == faults ]]; then
  _ink_dir=$ROOT/var/faults _ink_http=8083 _ink_smtp=8028 _ink_env=test
elif [[ $STACK == browser ]]; then
  _ink_dir=$ROOT/var/browser _ink_http=8085 _ink_smtp=8029 _ink_env=test
elif [[ $STACK == cluster ]]; then
  _ink_dir=$ROOT/var/cluster _ink_http=8084 _ink_smtp=8590 _ink_env=test
else
  _ink_dir=$ROOT/var/test _ink_http=8081 _ink_smtp=8026 _ink_env=test
fi
export INKWELL_STACK_DIR=${INKWELL_STACK_DIR:-$_ink_dir}
export INKWELL_HTTP_PORT=${INKWELL_HTTP_PORT:-$_ink_http}
export INKWELL_SMTP_PORT=${INKWELL_SMTP_PORT:-$_ink_smtp}
export INKWELL_BUILD_DIR=${INKWELL_BUILD_DIR:-$ROOT/build}
STACK_DIR=$INKWELL_STACK_DIR
HTTP_PORT=$INKWELL_HTTP_PORT
SMTP_PORT=$INKWELL_SMTP_PORT
BUILD_DIR=$INKWELL_BUILD_DIR
export ROOT STACK STACK_DIR HTTP_PORT SMTP_PORT BUILD_DIR

if [[ ${2:-} == --paths-only ]]; then
  unset _ink_stack _ink_dir _ink_http _ink_smtp _ink_env _ink_key
  return 0
fi

# Directories. A stack directory we create gets a marker file: start.sh only
# ever wipes a directory that carries it. umask 022 so that nginx's workers
# (user nobody) can reach the FastCGI socket in run/.
if [[ ! -d $STACK_DIR ]] || [[ -z $(ls -A "$STACK_DIR") ]]; then
  (umask 022 && mkdir -p "$STACK_DIR" && : >"$STACK_DIR/.inkwell-stack")
fi
(umask 022 && mkdir -p "$STACK_DIR"/{run,log,db,nginx,mail/{cur,new,tmp}})

# _ink_secret FILE: create FILE once with 32 random bytes as hex, mode 600.
# Written to a temporary file and linked into place, so concurrent first runs
# agree on one value.
_ink_secret() {
  [[ -s $1 ]] && return 0
  local tmp
  tmp=$(umask 077 && mktemp "$1.XXXXXX")
  od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$tmp"
  ln "$tmp" "$1" 2>/dev/null || true
  rm -f -- "$tmp"
}

_ink_key=$STACK_DIR/secret_key
# Every host of the cluster signs with the one key of var/cluster.
[[ $STACK == cluster ]] && _ink_key=${INKWELL_CLUSTER_DIR:-$ROOT/var/cluster}/secret_key
_ink_secret "$_ink_key"
[[ -e $STACK_DIR/secret_key ]] || cp -- "$_ink_key" "$STACK_DIR/secret_key"
export INKWELL_ENV=${INKWELL_ENV:-$_ink_env}
export INKWELL_SECRET_KEY=${INKWELL_SECRET_KEY:-$(<"$_ink_key")}
export INKWELL_SOCKET=${INKWELL_SOCKET:-$STACK_DIR/run/inkwell.sock}
export INKWELL_SOCKET_MODE=${INKWELL_SOCKET_MODE:-0666}
export INKWELL_WORKERS=${INKWELL_WORKERS:-2}
if [[ $STACK == cluster ]]; then
  # The cluster's nodes live in var/cluster/nodeN whatever host directory
  # INKWELL_STACK_DIR names; node 1 serves the CLI and the tests' client.
  _ink_cluster=${INKWELL_CLUSTER_DIR:-$ROOT/var/cluster}
  export INKWELL_CLUSTER_DIR=$_ink_cluster
  export INKWELL_DB_SOCKET=${INKWELL_DB_SOCKET:-$_ink_cluster/node1/run/mysqld.sock}
  # A dead node stalls writes until the group drops it (evs.suspect_timeout,
  # 2 s on the test cluster): the request timeout allows for that.
  export INKWELL_DB_TIMEOUT_MS=${INKWELL_DB_TIMEOUT_MS:-10000}
  # Read-your-writes across hosts, and the page cache's cross-host check.
  export INKWELL_DB_SYNC_WAIT=${INKWELL_DB_SYNC_WAIT:-1}
  export INKWELL_PAGE_CACHE_SYNC_MS=${INKWELL_PAGE_CACHE_SYNC_MS:-500}
  unset _ink_cluster
fi
export INKWELL_DB_SOCKET=${INKWELL_DB_SOCKET:-$STACK_DIR/run/mysqld.sock}
export INKWELL_DB_USER=${INKWELL_DB_USER:-inkwell}
export INKWELL_DB_NAME=${INKWELL_DB_NAME:-inkwell}
if [[ $STACK == dev ]]; then
  _ink_secret "$STACK_DIR/db_password"
  export INKWELL_DB_PASSWORD=${INKWELL_DB_PASSWORD:-$(<"$STACK_DIR/db_password")}
else
  export INKWELL_DB_PASSWORD=${INKWELL_DB_PASSWORD:-inkwell}
  # The fake load balancers of the tests (tests/integration/test_proxies.cpp):
  # their X-Forwarded-For is believed.
  export INKWELL_TRUSTED_PROXIES=${INKWELL_TRUSTED_PROXIES-127.0.0.2/32 127.0.0.3/32}
  # Authors with 20 followers or more are merged into feeds when read: the
  # tests reach both kinds of author (the default is 500).
  [[ $STACK == bench ]] || export INKWELL_FEED_FANOUT_MAX=${INKWELL_FEED_FANOUT_MAX:-20}
  # Fast hashes: the tests register many users.
  export INKWELL_PASSWORD_METHOD=${INKWELL_PASSWORD_METHOD:-pbkdf2:sha256:1000}
fi
export INKWELL_MAIL_SERVER=${INKWELL_MAIL_SERVER:-127.0.0.1}
export INKWELL_MAIL_PORT=${INKWELL_MAIL_PORT:-$SMTP_PORT}
export INKWELL_MAIL_USE_TLS=${INKWELL_MAIL_USE_TLS:-0}
export INKWELL_BASE_URL=${INKWELL_BASE_URL:-http://127.0.0.1:$HTTP_PORT}
export INKWELL_VIEWS=${INKWELL_VIEWS:-$ROOT/views}
export INKWELL_MIGRATIONS=${INKWELL_MIGRATIONS:-$ROOT/sql/migrations}
export INKWELL_ADMIN=${INKWELL_ADMIN:-admin@example.com}
export INKWELL_STACK_LOADED=$STACK

unset -f _ink_secret
unset _ink_stack _ink_dir _ink_http _ink_smtp _ink_env _ink_key
