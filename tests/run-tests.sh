#!/usr/bin/env bash
# `make test`: the unit tests, then the integration tests against a throwaway
# test stack (MariaDB, SMTP sink, FastCGI pool, nginx on 127.0.0.1:8081), which
# is always stopped at the end. Each runner's output is also kept in
# var/test-logs/. The last line is the total of both runners' doctest
# "test cases" figures:
#
#   N passed, M failed
#
# A runner that fails without reporting a failed test case (a crash, a missing
# binary, a stack that did not start) counts as one failed. The exit status is
# non-zero if anything failed.
#
#   tests/run-tests.sh [doctest options for both runners, e.g. -tc='*login*']
#
# INKWELL_TEST_STACK=cluster (`make test-cluster`): the integration tests only,
# against the cluster stack (three Galera nodes, two app hosts, nginx on
# 8084); logs in var/test-logs/cluster-*.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
stack=$ROOT/tests/stack
# shellcheck source=SCRIPTDIR/stack/lib.sh
source "$stack/lib.sh"
test_stack=${INKWELL_TEST_STACK:-test}
[[ $test_stack == test || $test_stack == cluster ]] || die "INKWELL_TEST_STACK must be test or cluster"
STACK=$test_stack # for the messages of lib.sh
build=${INKWELL_BUILD_DIR:-$ROOT/build}
logs=${INKWELL_TEST_LOGS:-$ROOT/var/test-logs}
[[ $test_stack == cluster ]] && logs=${INKWELL_TEST_LOGS:-$ROOT/var/test-logs/cluster}
mkdir -p "$logs" "$ROOT/var"
cd "$ROOT"

# One test run per tree at a time: the test stack's directory and ports are
# shared. Nothing started from here may inherit the lock (fd 9 closed).
exec 9>"$ROOT/var/test.lock"
if ! flock -n 9; then
  say "waiting for another test run in this tree to finish"
  flock 9
fi

passed=0 failed=0 rc=0
summary_re='test cases: *([0-9]+) *\| *([0-9]+) passed *\| *([0-9]+) failed'

# run_doctest NAME BINARY [ARGS...]: run a doctest runner, its output also in
# $logs/NAME.log, and add its figures to the totals. Sets runner_status.
run_doctest() {
  local name=$1 bin=$2 log=$logs/$1.log status line p=0 f=0
  shift 2
  say "running $name"
  if [[ -x $bin ]]; then
    set +e
    "$bin" "$@" 9>&- 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e
  else
    echo "$bin not found (run make build)" | tee "$log"
    status=127
  fi
  line=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep 'test cases:' | tail -n 1 || true)
  if [[ $line =~ $summary_re ]]; then
    p=${BASH_REMATCH[2]} f=${BASH_REMATCH[3]}
  fi
  if ((status != 0)); then
    warn "$name failed (exit status $status)"
    ((f > 0)) || f=1
    rc=1
  fi
  passed=$((passed + p)) failed=$((failed + f)) runner_status=$status
}

# show_stack_logs: the end of each stack log, for a failure's cause.
show_stack_logs() {
  if [[ $test_stack == cluster ]]; then
    local f
    for f in "$STACK_DIR"/host*/log/inkwell.log "$STACK_DIR"/host*/log/mailer.log \
      "$STACK_DIR"/node*/log/mysqld.log; do
      log_tail "$f" 20
    done
  fi
  log_tail "$STACK_DIR/log/inkwell.log" 40
  log_tail "$STACK_DIR/log/nginx-error.log" 20
  log_tail "$STACK_DIR/log/mysqld.log" 20
  log_tail "$STACK_DIR/log/mailsink.log" 20
}

stack_stopped=0
stop_stack() {
  ((stack_stopped)) && return 0
  stack_stopped=1
  "$stack/stop.sh" "$test_stack" 9>&- || warn "stop.sh $test_stack failed"
  # The next start wipes the stack directory: keep its logs.
  if [[ -d $STACK_DIR/log ]]; then
    rm -rf -- "$logs/stack-log"
    cp -r -- "$STACK_DIR/log" "$logs/stack-log"
  fi
}

[[ $test_stack == test ]] && run_doctest unit "$build/unit-tests" "$@"

# shellcheck source=SCRIPTDIR/stack/env.sh
source "$stack/env.sh" "$test_stack" --paths-only
trap stop_stack EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
set +e
"$stack/start.sh" "$test_stack" 9>&- 2>&1 | tee "$logs/stack-start.log"
start_status=${PIPESTATUS[0]}
set -e
if ((start_status == 0)); then
  # shellcheck source=SCRIPTDIR/stack/env.sh
  source "$stack/env.sh" "$test_stack"
  export INKWELL_TEST_URL=http://127.0.0.1:$HTTP_PORT
  export INKWELL_TEST_STACK_DIR=$STACK_DIR
  export INKWELL_TEST_MAILDIR=$STACK_DIR/mail
  export INKWELL_TEST_STACK=$test_stack
  export INKWELL_TEST_NGINX_LOG_DIR=$STACK_DIR/log
  export INKWELL_TEST_POOL_LOGS
  INKWELL_TEST_POOL_LOGS=$(printf '%q ' "$STACK_DIR"/log/inkwell.log)
  if [[ $test_stack == cluster ]]; then
    INKWELL_TEST_POOL_LOGS=$(printf '%q ' "$STACK_DIR"/host*/log/inkwell.log)
    # The pool the tests signal is host 1's; the database restarted is every
    # node; the tests' mariadb client (on node 1) reads causally (it checks
    # what a request just wrote through another node).
    export INKWELL_TEST_STACK_DIR=$STACK_DIR/host1
    export INKWELL_TEST_DB_SCRIPT=$stack/galera.sh
    mkdir -p "$STACK_DIR/client"
    printf '[mysql]\ninit-command="SET SESSION wsrep_sync_wait = 15"\n' >"$STACK_DIR/client/my.cnf"
    export MYSQL_HOME=$STACK_DIR/client
  fi
  run_doctest integration "$build/integration-tests" "$@"
  ((runner_status == 0)) || show_stack_logs
else
  warn "the test stack did not start: integration tests not run"
  show_stack_logs
  failed=$((failed + 1)) rc=1
fi
stop_stack

echo "$passed passed, $failed failed"
exit "$rc"
