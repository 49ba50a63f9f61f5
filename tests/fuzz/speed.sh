#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: tests/fuzz/speed.sh [SECONDS] [BUILD_DIR]
# Runs every libFuzzer target of the fuzz preset's build (default build/fuzz) for SECONDS (default
# 20) on a scratch copy of its seed corpus, one at a time, and prints a table of executions per
# second; targets below 5,000 exec/s are marked. Exit status 1 when a target crashed.
set -euo pipefail
seconds=${1:-20}
build=${2:-build/fuzz}
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/tests/fuzz
[ -d "$bin" ] || { echo "speed.sh: no $bin: cmake --preset fuzz && cmake --build --preset fuzz" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
printf '%-28s %12s %12s %s\n' target "exec/s" executions ""
for t in "$bin"/*_fuzz; do
  name=$(basename "$t")
  corpus=$here/corpus/${name%_fuzz}
  mkdir -p "$work/$name"
  if ! "$t" -max_total_time="$seconds" -print_final_stats=1 "$work/$name" "$corpus" \
      >"$work/$name.log" 2>&1; then
    echo "$name crashed:" >&2
    tail -30 "$work/$name.log" >&2
    status=1
  fi
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
  printf '%-28s %12s %12s %s\n' "$name" "${rate:-?}" "${runs:-?}" \
    "$([ "${rate:-0}" -lt 5000 ] && echo "< 5000")"
done
exit $status
