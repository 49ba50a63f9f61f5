#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: [WARMUP=S] sweep.sh [BUILD_DIR] [SECONDS] [DROP_PERCENT] [RATES_GBPS] [BURST]
# The bitrate sweep: video at 60 fps from 50 Mbit/s to 10 Gbit/s over loopback
# through GameStream's data plane and punktfunk/1's, both with 20 % FEC and the
# same random drop (BURST > 1: in bursts of that mean length, Gilbert-Elliott),
# one pf_dataplane_bench run each. Prints a Markdown table
# (and leaves the CSV in $BUILD_DIR/sweep.csv).
set -euo pipefail
build=${1:-build}
seconds=${2:-3}
drop=${3:-1}
rates=${4:-0.05 0.2 0.5 1 2 5 10}
burst=${5:-0}
warmup=${WARMUP:-1}  # seconds streamed before the measured ones, reported in their own column
bench="$build/bench/dataplane/pf_dataplane_bench"
[ -x "$bench" ] || { echo "sweep: build $bench first" >&2; exit 1; }
csv="$build/sweep.csv"
: >"$csv"
for gbps in $rates; do
  bytes=$(awk -v g="$gbps" 'BEGIN { printf "%d", g * 1e9 / 8 / 60 }')
  for proto in gamestream punktfunk; do
    before=$(wc -l <"$csv")
    "$bench" --protocol "$proto" --gbps "$gbps" --frame-bytes "$bytes" --seconds "$seconds" \
      --drop "$drop" --burst "$burst" --fec 20 --warmup "$warmup" --csv "$csv" >/dev/null 2>&1 ||
      true
    [ "$(wc -l <"$csv")" -gt "$before" ] || echo "$bytes,$gbps,20,$drop,0,failed,,,,,,,,$proto," >>"$csv"
  done
done
echo "| offered | frame | protocol | frames intact | goodput | host CPU | client CPU | latency p50 / p99 | warm-up: intact / lost |"
echo "|---|---|---|---|---|---|---|---|---|"
awk -F, '{
  proto = $14 == "gamestream" ? "GameStream" : "punktfunk/1"
  if ($6 == "failed" || $15 == 0) {  # failed: the bench crashed; 0 frames sent: too large to send
    printf "| %s Gbit/s | %.2f MB | %s | %s | - | - | - | - | - |\n", $2, $1 / 1e6, proto,
      $6 == "failed" ? "**bench failed**" : "refused"
    next
  }
  if ($7 == 0) {
    printf "| %s Gbit/s | %.2f MB | %s | **0.0 %%** | %.2f Gbit/s | %.0f %% | %.0f %% | - | %s / %s |\n",
      $2, $1 / 1e6, proto, $6, $8, $9, $17, $18
    next
  }
  printf "| %s Gbit/s | %.2f MB | %s | %.1f %% | %.2f Gbit/s | %.0f %% | %.0f %% | %.1f / %.1f ms | %s / %s |\n",
    $2, $1 / 1e6, proto, $7, $6, $8, $9, $10 / 1000, $11 / 1000, $17, $18
}' "$csv"
