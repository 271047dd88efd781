# shellcheck shell=bash
# Helpers shared by the tests/stack/*.sh scripts (sourced, never run).
#
# Every daemon of the private stack is tracked by a pid file. A pid file is
# trusted only if /proc/PID/cmdline still contains a string that identifies
# *our* process (e.g. "--datadir=$STACK_DIR/db" for MariaDB); otherwise the
# pid is stale (process gone, zombie, or the number reused) and the file is
# removed.

say() { printf '[%s] %s\n' "${STACK:-stack}" "$*"; }
warn() { printf '[%s] %s\n' "${STACK:-stack}" "$*" >&2; }
die() {
  warn "error: $*"
  exit 1
}

# log_tail FILE [LINES]: show the end of a log file on stderr (if it exists).
log_tail() {
  local file=$1 lines=${2:-30}
  [[ -s $file ]] || return 0
  {
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file"
    tail -n "$lines" "$file"
    printf -- '----- end of %s -----\n' "$file"
  } >&2
}

# pid_matches PID PATTERN: true if PID is alive and its command line contains
# PATTERN. Zombies have an empty cmdline, so they count as gone.
pid_matches() {
  local pid=$1 pattern=$2 cmdline
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ -n $cmdline && $cmdline == *"$pattern"* ]]
}

# child_alive PID: true while our just-started child runs (it may not have
# exec'd its program yet, so its cmdline cannot be checked).
child_alive() {
  local state
  state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# read_pid PIDFILE: print the number recorded in PIDFILE (nothing if none).
read_pid() {
  local pid=""
  [[ -f $1 ]] && read -r pid 2>/dev/null <"$1"
  printf '%s' "$pid"
}

# running_pid PIDFILE PATTERN: print the recorded pid if that process is ours
# and alive. A stale pid file is removed. Returns 1 when not running.
running_pid() {
  local file=$1 pattern=$2 pid
  [[ -f $file ]] || return 1
  pid=$(read_pid "$file")
  if pid_matches "$pid" "$pattern"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f -- "$file"
  return 1
}

# group_alive PGID: true while a live (non-zombie) process is in the group.
group_alive() {
  ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { n++ } END { exit !n }'
}

# wait_stopped PID PATTERN SECONDS [group]: wait for our process (and with
# "group", every process of its process group) to exit.
wait_stopped() {
  local pid=$1 pattern=$2 deadline=$((SECONDS + $3)) group=${4:-}
  while pid_matches "$pid" "$pattern" || { [[ -n $group ]] && group_alive "$pid"; }; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# stop_daemon NAME PIDFILE PATTERN SECONDS [group]: SIGTERM the recorded pid,
# wait, then SIGKILL. With "group" the daemon was started as a process-group
# leader (setsid), so the wait and the SIGKILL cover its children as well.
stop_daemon() {
  local name=$1 file=$2 pattern=$3 timeout=$4 group=${5:-} pid
  if ! pid=$(running_pid "$file" "$pattern"); then
    say "$name: not running"
    return 0
  fi
  say "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_stopped "$pid" "$pattern" "$timeout" "$group"; then
    warn "$name: still running after ${timeout}s, sending SIGKILL"
    if [[ -n $group ]]; then
      kill -KILL -- "-$pid" 2>/dev/null || true
    else
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait_stopped "$pid" "$pattern" 5 "$group" || die "$name: pid $pid survived SIGKILL"
  fi
  rm -f -- "$file"
}

# stack_pids NAME: every live process of this stack ($STACK_DIR is in its
# environment as INKWELL_STACK_DIR, inherited from env.sh) whose program is
# NAME, whatever its parent: also workers whose master is gone. Needs to read
# /proc/PID/environ (our own processes, or root).
stack_pids() {
  local name=$1 cmd pid argv0
  for cmd in /proc/[0-9]*/cmdline; do
    argv0=""
    IFS= read -r -d '' argv0 2>/dev/null <"$cmd" || [[ -n $argv0 ]] || continue
    [[ ${argv0##*/} == "$name" ]] || continue
    pid=${cmd#/proc/}
    pid=${pid%/cmdline}
    grep -qzxF -- "INKWELL_STACK_DIR=$STACK_DIR" "/proc/$pid/environ" 2>/dev/null || continue
    printf '%s\n' "$pid"
  done
}

# stop_strays NAME SECONDS: SIGTERM every process stack_pids NAME finds, wait,
# then SIGKILL what is left. Returns 1 if one survives even that.
stop_strays() {
  local name=$1 deadline=$((SECONDS + $2)) pids
  pids=$(stack_pids "$name")
  [[ -z $pids ]] && return 0
  warn "$name: stopping processes left behind: ${pids//$'\n'/ }"
  # SIGCONT too: a stopped process would hold its SIGTERM pending.
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -CONT $pids 2>/dev/null || true
  while [[ -n $(stack_pids "$name") ]]; do
    if ((SECONDS >= deadline)); then
      pids=$(stack_pids "$name")
      warn "$name: still running after ${2}s, sending SIGKILL to ${pids//$'\n'/ }"
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
      sleep 0.2
      [[ -z $(stack_pids "$name") ]] || return 1
      return 0
    fi
    sleep 0.1
  done
}

# port_open PORT: true if something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# status_line NAME PIDFILE PATTERN: print the status; exit status 0 if running.
status_line() {
  local pid
  if pid=$(running_pid "$2" "$3"); then
    say "$1: running (pid $pid)"
  else
    say "$1: stopped"
    return 1
  fi
}

# load_env STACK: source env.sh for the stack named by the optional argument of
# a component script, else the stack already loaded into the environment,
# else dev.
load_env() {
  local stack=${1:-${INKWELL_STACK_LOADED:-dev}}
  # shellcheck source=SCRIPTDIR/env.sh
  source "$(dirname "${BASH_SOURCE[0]}")/env.sh" "$stack"
}
