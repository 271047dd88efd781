#!/usr/bin/env bash
# Runs each libFuzzer harness for a fixed time, one after the other on one
# core, and prints its executions and result, then a summary line.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS HARNESS...
# Each harness starts from its committed seeds (tests/fuzz/corpus/NAME/, read
# only) plus what earlier runs found (BUILD_DIR/corpus/NAME/, where new
# inputs go). A crash, leak, UB report, timeout or out-of-memory makes the
# run fail; the input that caused it is saved in BUILD_DIR/artifacts/.
set -uo pipefail
cd "$(dirname "$0")/../.."
build=$1 seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "FUZZ_SECONDS must be a positive integer" >&2; exit 2; }

mkdir -p "$build/logs" "$build/artifacts"
passed=0 failed=0 total_execs=0
failures=()
for name in "$@"; do
  bin=$build/bin/$name seeds=tests/fuzz/corpus/$name work=$build/corpus/$name
  log=$build/logs/$name.log
  mkdir -p "$work"
  [[ -d $seeds ]] || { echo "fuzz $name: no seed corpus $seeds" >&2; exit 2; }
  dict=()
  [[ -f tests/fuzz/$name.dict ]] && dict=(-dict="tests/fuzz/$name.dict")
  # -timeout: one input taking 25 s is a hang (the machine may be busy).
  # -rss_limit_mb: ASan's own overhead included; more is a memory bug.
  "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$name-" "${dict[@]}" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [[ -n $execs ]] || execs=$(grep -o 'DONE *[0-9]*\|#[0-9]*' "$log" | tail -n 1 | tr -dc '0-9')
  execs=${execs:-0}
  total_execs=$((total_execs + execs))
  corpus=$(find "$work" -type f | wc -l)
  if [[ $rc -eq 0 ]]; then
    passed=$((passed + 1))
    printf 'fuzz %-16s %12s execs in %ss, corpus %s: OK\n' "$name" "$execs" "$seconds" "$corpus"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'fuzz %-16s %12s execs: FAILED (exit %s), log %s\n' "$name" "$execs" "$rc" "$log"
    grep -E -A 25 '^==[0-9]+==ERROR|runtime error|ALARM|out-of-memory|leak' "$log" | head -n 40
    ls "$build/artifacts/$name-"* 2>/dev/null | sed 's/^/  input: /'
  fi
done
echo "fuzz: $# harnesses, $passed passed, $failed failed, $total_execs executions" \
  "(${seconds}s each)${failures[*]:+; failed: ${failures[*]}}"
[[ $failed -eq 0 ]]
