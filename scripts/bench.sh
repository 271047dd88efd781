#!/usr/bin/env bash
# `make bench`: a benchmark, not a test. Starts the throwaway bench stack
# (var/bench, nginx on 127.0.0.1:8082; tests/stack/start.sh bench), and
# measures through the same nginx, with wrk (-t2 -c32):
#
#   app     GET /                  the home page, from the FastCGI pool
#   bare    GET /bench/bare        build/bench-bare-fcgi: a FastCGI program that
#                                  answers every request with the home page's
#                                  bytes, as many processes as the pool
#   static  GET /bench/static.html nginx serving those bytes as a file
#
# then prints requests/s, p50 and p99 latency, app/bare and app/static in
# percent, and the largest worker RSS, beside the aims of DESIGN.md. Slowness
# never fails it: the exit status is non-zero only when a target did not
# answer 200 (or the stack did not start). Everything it starts is stopped on
# exit, Ctrl-C included. Traffic goes to 127.0.0.1 only.
#
#   scripts/bench.sh
#
# Environment: BENCH_DURATION (each measurement, default 10s), BENCH_WARMUP
# (the warm-up before each, default 2s); wrk durations like 10, 10s, 1m.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
stack=$ROOT/tests/stack
# shellcheck source=SCRIPTDIR/../tests/stack/lib.sh
source "$stack/lib.sh"
STACK="bench" # for the messages of lib.sh
cd "$ROOT"

duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
threads=2 connections=32
# The aims of DESIGN.md's "Where we aim".
aim_bare_pct=50 aim_p99_ms=10 aim_rss_mb=16

# seconds DURATION: a wrk duration (N, Ns, Nm, Nh) in seconds; fails if invalid.
seconds() {
  [[ $1 =~ ^([0-9]+)([smh]?)$ ]] || return 1
  local n=$((10#${BASH_REMATCH[1]}))
  case ${BASH_REMATCH[2]} in
    m) n=$((n * 60)) ;;
    h) n=$((n * 3600)) ;;
  esac
  ((n > 0)) || return 1
  printf '%s' "$n"
}
duration_s=$(seconds "$duration") || die "BENCH_DURATION=$duration: not a wrk duration (e.g. 10s)"
warmup_s=$(seconds "$warmup") || die "BENCH_WARMUP=$warmup: not a wrk duration (e.g. 2s)"

command -v wrk >/dev/null || die "wrk not found (make deps installs it)"
command -v curl >/dev/null || die "curl not found (make deps installs it)"
bare_bin=${INKWELL_BUILD_DIR:-$ROOT/build}/bench-bare-fcgi

# shellcheck source=SCRIPTDIR/../tests/stack/env.sh
source "$stack/env.sh" bench --paths-only
# The paths can be overridden from the environment; never let that point the
# throwaway bench stack (start.sh wipes it) at the dev or test stack.
case ${STACK_DIR%/} in
  "$ROOT/var" | "$ROOT/var/test")
    die "INKWELL_STACK_DIR=$STACK_DIR is the dev or test stack; the bench stack needs its own"
    ;;
esac
case $HTTP_PORT in
  8080 | 8081) die "INKWELL_HTTP_PORT=$HTTP_PORT is the dev or test stack's port" ;;
esac
[[ -x $bare_bin ]] || die "$bare_bin not found (run make build)"

# One benchmark per tree at a time: its stack directory and ports are shared.
# Like var/test.lock, the lock lives outside the stack directory (start.sh
# wipes that). Nothing started from here may inherit it (fd 9 closed).
mkdir -p "$ROOT/var"
exec 9>"$ROOT/var/bench.lock"
flock -n 9 || die "another benchmark is running in this tree"

base=http://127.0.0.1:$HTTP_PORT
bare_sock=$STACK_DIR/run/bare.sock
bare_pidfile=$STACK_DIR/run/bare.pid
bare_log=$STACK_DIR/log/bare.log
# Identifies our bare program in /proc/PID/cmdline.
bare_pattern="bench-bare-fcgi $bare_sock"
page=$STACK_DIR/bench/static.html

stop_bare() {
  [[ -f $bare_pidfile ]] || return 0
  stop_daemon bare-fcgi "$bare_pidfile" "$bare_pattern" 10 group
  rm -f -- "$bare_sock"
}

# The load generator runs in the background (see run_wrk) so that a signal is
# acted on at once; cleanup stops it.
wrk_pid=""
cleaned=0
cleanup() {
  ((cleaned)) && return 0
  cleaned=1
  # Ignored, and so also in stop.sh: a second Ctrl-C must not cut it short.
  trap '' INT TERM
  if [[ -n $wrk_pid ]]; then
    kill -TERM "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" 2>/dev/null || true
  fi
  stop_bare 9>&- || warn "could not stop bench-bare-fcgi"
  "$stack/stop.sh" bench 9>&- || warn "stop.sh bench failed"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A bare program left by a killed benchmark would keep running after start.sh
# wipes its pid file.
stop_bare
"$stack/start.sh" bench 9>&- || die "the bench stack did not start (logs in $STACK_DIR/log)"
# shellcheck source=SCRIPTDIR/../tests/stack/env.sh
source "$stack/env.sh" bench

# http_get URL [OUTFILE]: print "STATUS BYTES" of one GET (000 if no answer).
http_get() {
  curl -s --max-time 10 -o "${2:-/dev/null}" -w '%{http_code} %{size_download}\n' "$1" 9>&- ||
    true
}

# The home page, as the others' body: same bytes, same size.
(umask 022 && mkdir -p "$STACK_DIR/bench")
read -r code page_size < <(http_get "$base/" "$page")
[[ $code == 200 ]] || {
  log_tail "$STACK_DIR/log/inkwell.log" 20
  die "GET / answered $code, not 200 (log: $STACK_DIR/log/inkwell.log)"
}
chmod 644 "$page"
say "home page: $page_size bytes, saved as $page"

say "bare-fcgi: starting $INKWELL_WORKERS processes on $bare_sock"
rm -f -- "$bare_sock"
# setsid: its own process group (stop_bare reaches its children) and no
# terminal signals; cleanup stops it.
setsid "$bare_bin" "$bare_sock" "$page" "$INKWELL_WORKERS" </dev/null >>"$bare_log" 2>&1 9>&- &
bare_pid=$!
echo "$bare_pid" >"$bare_pidfile"
deadline=$((SECONDS + 10))
until [[ -S $bare_sock ]]; do
  if ! child_alive "$bare_pid"; then
    log_tail "$bare_log"
    die "bare-fcgi: exited during start-up (log: $bare_log)"
  fi
  ((SECONDS < deadline)) || die "bare-fcgi: no socket $bare_sock after 10s"
  sleep 0.1
done
pid_matches "$bare_pid" "$bare_pattern" || die "bare-fcgi: pid $bare_pid is not the expected process"

# run_wrk SECONDS DURATION URL OUTFILE: wrk in the background, waited for, and
# bounded by timeout(1) in case it hangs.
run_wrk() {
  local limit=$(($1 + 30))
  timeout -k 5 "$limit" wrk "-t$threads" "-c$connections" "-d$2" --latency "$3" \
    </dev/null >"$4" 2>&1 9>&- &
  wrk_pid=$!
  local status=0
  wait "$wrk_pid" || status=$?
  wrk_pid=""
  return "$status"
}

# to_ms VALUE: a wrk time (e.g. 812.00us, 1.25ms, 2.01s, 1.00m) in ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) { print "?"; exit }
    printf "%.2f", n * f
  }'
}

declare -A rps p50 p99 bytes notes
# The req/s of the targets that answered only 2xx/3xx: the ratios' inputs.
declare -A good_rps=([app]=- [bare]=- [static]=-)
failed=0
targets=(app bare static)
declare -A path=([app]=/ [bare]=/bench/bare [static]=/bench/static.html)
results=$STACK_DIR/bench

for t in "${targets[@]}"; do
  url=$base${path[$t]}
  rps[$t]=- p50[$t]=- p99[$t]=- bytes[$t]=- notes[$t]=""
  read -r code size < <(http_get "$url")
  bytes[$t]=$size
  if [[ $code != 200 ]]; then
    warn "$t: GET ${path[$t]} answered $code, not 200: not measured"
    notes[$t]="answered $code"
    failed=1
    continue
  fi
  say "$t: GET ${path[$t]}: warm-up $warmup, then wrk -t$threads -c$connections -d$duration"
  run_wrk "$warmup_s" "$warmup" "$url" "$results/wrk-$t-warmup.txt" ||
    warn "$t: the warm-up run failed (see $results/wrk-$t-warmup.txt)"
  out=$results/wrk-$t.txt
  if ! run_wrk "$duration_s" "$duration" "$url" "$out"; then
    cat "$out" >&2
    warn "$t: wrk failed"
    notes[$t]="wrk failed"
    failed=1
    continue
  fi
  rps[$t]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p50[$t]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99[$t]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  [[ -n ${rps[$t]} ]] || rps[$t]=-
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")
  sockerr=$(awk -F': *' '/Socket errors/ { print $2 }' "$out")
  if [[ -n $non2xx ]]; then
    warn "$t: $non2xx responses were not 2xx/3xx (see $out)"
    notes[$t]+="non-2xx: $non2xx; "
    failed=1
  else
    good_rps[$t]=${rps[$t]}
  fi
  if [[ -n $sockerr ]]; then
    warn "$t: socket errors: $sockerr"
    notes[$t]+="socket errors: $sockerr; "
  fi

  # Right after the app's run: the workers' resident memory.
  if [[ $t == app ]]; then
    rss_max_kb=0 nworkers=0
    if master=$(running_pid "$STACK_DIR/run/inkwell.pid" inkwell-fcgi); then
      for w in $(pgrep -P "$master" || true); do
        kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$w/status" 2>/dev/null || true)
        [[ $kb =~ ^[0-9]+$ ]] || continue
        nworkers=$((nworkers + 1))
        if ((kb > rss_max_kb)); then rss_max_kb=$kb; fi
      done
    fi
  fi
done

# pct A B: A/B in percent, or - when either is missing.
pct() {
  [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || {
    printf -- '-'
    return
  }
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'
}
# verdict 1|0|"": "ok" / "MISSED" / nothing (no figure).
verdict() { awk -v c="$1" 'BEGIN { if (c == "") exit; print (c ? "ok" : "MISSED") }'; }

app_bare=$(pct "${good_rps[app]}" "${good_rps[bare]}")
app_static=$(pct "${good_rps[app]}" "${good_rps[static]}")
rss_mb=-
if ((${nworkers:-0} > 0)); then
  rss_mb=$(awk -v k="$rss_max_kb" 'BEGIN { printf "%.1f", k / 1024 }')
fi

echo
echo "Inkwell bench: wrk -t$threads -c$connections -d$duration through nginx on 127.0.0.1:$HTTP_PORT," \
  "$INKWELL_WORKERS workers, home page $page_size bytes"
row='%-7s %-20s %10s %9s %9s %8s%s\n'
# shellcheck disable=SC2059 # the format is the one above
printf "$row" target path 'req/s' 'p50 ms' 'p99 ms' bytes '  notes'
for t in "${targets[@]}"; do
  note=${notes[$t]%; }
  # shellcheck disable=SC2059
  printf "$row" "$t" "${path[$t]}" "${rps[$t]}" "${p50[$t]}" "${p99[$t]}" "${bytes[$t]}" \
    "${note:+  $note}"
done
echo
ok_bare="" ok_p99="" ok_rss=""
if [[ $app_bare != - ]]; then ok_bare=$((app_bare >= aim_bare_pct)); fi
if [[ ${p99[app]} =~ ^[0-9.]+$ ]]; then
  ok_p99=$(awk -v p="${p99[app]}" -v a="$aim_p99_ms" 'BEGIN { print (p < a) }')
fi
if [[ $rss_mb != - ]]; then
  ok_rss=$(awk -v r="$rss_mb" -v a="$aim_rss_mb" 'BEGIN { print (r < a) }')
fi
printf '%-22s %8s   aim >= %s%%   %s\n' 'app/bare req/s' "${app_bare/%[0-9]/&%}" "$aim_bare_pct" "$(verdict "$ok_bare")"
printf '%-22s %8s\n' 'app/static req/s' "${app_static/%[0-9]/&%}"
printf '%-22s %8s   aim < %s ms   %s\n' 'app p99 latency' "${p99[app]/%[0-9]/& ms}" "$aim_p99_ms" "$(verdict "$ok_p99")"
printf '%-22s %8s   aim < %s MB   %s\n' 'app worker RSS (max)' "${rss_mb/%[0-9]/& MB}" "$aim_rss_mb" \
  "$(verdict "$ok_rss")${nworkers:+ (of ${nworkers} workers)}"
echo "(wrk's output: $results/wrk-*.txt, kept until the next benchmark)"

if ((failed)); then
  warn "a target did not answer 200: see the notes above"
  exit 1
fi
exit 0
