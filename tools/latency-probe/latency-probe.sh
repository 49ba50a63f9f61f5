#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# latency-probe: host (synthetic barcode source) and headless client on
# loopback, optionally through tools/impair, and per-frame latency of every
# stage: capture->encoded, encoded->sent (host), sent->reassembled (network +
# FEC), reassembled->decoded (client), capture->decoded (total), as
# p50/p95/p99/max, a CSV, and a PNG plot (gnuplot) of the total over time and
# its histogram.
#
#   tools/latency-probe/latency-probe.sh [--build DIR] [--frames N] [--mode WxH@fps]
#       [--bitrate KBPS] [--loss PERCENT] [--out DIR]
set -euo pipefail
build=build frames=600 mode=1280x720@60 bitrate=20000 loss=0 out=latency-probe-out
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --frames) frames=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --bitrate) bitrate=$2; shift 2 ;;
    --loss) loss=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '3,12p' "$0"; exit 0 ;;
    *) echo "latency-probe: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
host=$build/src/host/punktfunk-host
client=$build/src/client/punktfunk-client
impair=$build/tools/impair/impair
for b in "$host" "$client" "$impair"; do
  [ -x "$b" ] || { echo "latency-probe: $b is missing: build first (cmake --build --preset default)" >&2; exit 1; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2)) vport=$((port + 3)) rport=$((port + 4))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --native-video-port "$vport" \
  --mgmt-port "$((port + 7))" --native-source synthetic --no-mdns --name latency-probe \
  >"$out/host.log" 2>&1 &
pids+=("$!")
pin=""
for _ in $(seq 100); do
  pin=$("$host" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$pin" ] && break
  sleep 0.1
done
[ -n "$pin" ] || { echo "latency-probe: the host did not start (see $out/host.log)" >&2; exit 1; }
"$client" --state-dir "$work/client" pair "127.0.0.1:$nport" --pin "$pin" >"$out/pair.log" 2>&1 ||
  { echo "latency-probe: pairing failed (see $out/pair.log and $out/host.log)" >&2; exit 1; }
via=()
if [ "$loss" != 0 ]; then
  "$impair" --listen "127.0.0.1:$rport" --forward "127.0.0.1:$vport" --loss "$loss" \
    >"$out/impair.log" 2>&1 &
  pids+=("$!")
  via=(--video-via "127.0.0.1:$rport")
  sleep 0.2
fi
"$client" --state-dir "$work/client" stream latency-probe --headless --mode "$mode" \
  --bitrate "$bitrate" --frames "$frames" --check-barcode --csv "$out/latency.csv" \
  --seconds $((frames / 10 + 30)) "${via[@]}" >"$out/client.log" 2>&1 \
  || { echo "latency-probe: the client failed (see $out/client.log)" >&2; exit 1; }

# Percentiles per column (nearest rank), from the CSV.
{
  echo "latency-probe: $mode, $bitrate kbit/s, loss ${loss} %, $(($(wc -l <"$out/latency.csv") - 1)) frames"
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "commit: $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%MZ)"
  printf '%-26s %9s %9s %9s %9s\n' "stage (ms)" p50 p95 p99 max
  for col in 2 3 4 5 6; do
    name=$(head -1 "$out/latency.csv" | cut -d, -f"$col" | sed 's/_us$//')
    tail -n +2 "$out/latency.csv" | cut -d, -f"$col" | sort -n | awk -v name="$name" '
      { v[NR] = $1 }
      END {
        if (NR == 0) exit 1
        p = "p50 0.50 p95 0.95 p99 0.99"
        split(p, q, " ")
        printf "%-26s", name
        for (i = 2; i <= 6; i += 2) { r = int(q[i] * NR + 0.999); if (r < 1) r = 1; printf " %9.2f", v[r] / 1000 }
        printf " %9.2f\n", v[NR] / 1000
      }'
  done
  grep -E "^video:|^barcode:" "$out/client.log"
} | tee "$out/summary.txt"

if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal pngcairo size 1200,500 noenhanced
set output "$out/latency.png"
set datafile separator ","
set multiplot layout 1,2 title "punktfunk/1 capture->decoded, $mode, loss ${loss} %"
set xlabel "frame"
set ylabel "ms"
plot "$out/latency.csv" every ::1 using 1:(\$6/1000) with lines title "capture->decoded", \
     "" every ::1 using 1:(\$2/1000) with lines title "capture->encoded"
set xlabel "ms"
set ylabel "frames"
set style fill solid 0.5
binwidth = 0.25
bin(x) = binwidth * floor(x / binwidth)
plot "$out/latency.csv" every ::1 using (bin(\$6/1000)):(1.0) smooth freq with boxes title "capture->decoded"
unset multiplot
GP
  echo "latency-probe: plot $out/latency.png"
else
  echo "latency-probe: gnuplot is not installed; no plot (scripts/install-deps.sh installs gnuplot-nox)"
fi
