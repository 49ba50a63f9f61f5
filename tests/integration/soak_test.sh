#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: soak_test.sh HOST_BIN CLIENT_BIN GS_PROBE_BIN IMPAIR_BIN [SECONDS] [MODE] [OUT_DIR]
# Two sessions at once for SECONDS (default 180), one per protocol, each streaming the host's
# synthetic source (frame-index barcode) at MODE (default 640x480@60) through its own impairment
# relay (5 % loss, 3 ms delay with 2 ms of jitter, both ways). Fails unless:
#   - every decoded picture shows the right frame (barcodes: 0 wrong, 0 unreadable), both clients;
#   - the frame rate is held: each client decoded at least 95 % of MODE's fps over the run, and
#     no --stats interval of the punktfunk/1 client fell under 80 %;
#   - no stall: the longest time between two pictures is under 1 s, both clients;
#   - the host's memory does not grow after the first minutes: RSS at the end is within 16 MiB of
#     RSS at a third of the run (at least 60 s in); fds and threads back at their level then.
# The host's RSS, threads and fds are sampled every 5 s into OUT_DIR/soak.csv (with a plot,
# OUT_DIR/soak-rss.png, when gnuplot is there) and a summary line goes to OUT_DIR/soak.txt.
# bench/report.sh --soak runs it for an hour; CI for 3 minutes.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
impair=$(realpath "$4")
seconds=${5:-180}
mode=${6:-640x480@60}
out=${7:-}
fps=${mode##*@}
work=$(mktemp -d)
pid=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "soak_test: $*" >&2
  for f in native gs; do echo "--- $f client (last 15 lines)"; tail -15 "$work/$f.log"; done >&2
  echo "--- host log (last 40 lines)" >&2
  tail -40 "$work/host.log" >&2
  exit 1
}
source "$(dirname "$(realpath "$0")")/harness.sh"
arm_watchdog $((seconds + 90))
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
start_synthetic_host soak-test
rport=$((port + 4)) gport=$((port + 6)) gs_video=$((port + 9))
pair_both_clients

link=(--loss 5 --delay-ms 3 --jitter-ms 2)
"$impair" --listen "127.0.0.1:$rport" --forward "127.0.0.1:$vport" "${link[@]}" >"$work/impair-native.log" 2>&1 &
pids+=($!)
"$impair" --listen "127.0.0.1:$gport" --forward "127.0.0.1:$gs_video" "${link[@]}" >"$work/impair-gs.log" 2>&1 &
pids+=($!)
sleep 0.2

"$client" --state-dir "$work/client" stream soak-test --mode "$mode" --headless --check-barcode \
  --stats --seconds "$seconds" --video-via "127.0.0.1:$rport" >"$work/native.log" 2>&1 &
native=$!
"${g[@]}" stream --mode "$mode" --seconds "$seconds" --check-barcode \
  --video-via "127.0.0.1:$gport" >"$work/gs.log" 2>&1 &
gs=$!
pids+=("$native" "$gs")

# The host's RSS (KiB), threads and fds every 5 s while both stream.
echo "seconds,rss_kib,threads,fds" >"$work/soak.csv"
t0=$(date +%s)
ref_at=$((seconds / 3 > 60 ? seconds / 3 : 60))
while kill -0 "$native" 2>/dev/null || kill -0 "$gs" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || fail "the host died"
  echo "$(($(date +%s) - t0)),$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"),$(ls "/proc/$pid/task" | wc -l),$(ls "/proc/$pid/fd" | wc -l)" \
    >>"$work/soak.csv"
  sleep 5
done
set +e
wait "$native"
native_rc=$?
wait "$gs"
gs_rc=$?
set -e
last=$(tail -1 "$work/soak.csv")
ref=$(awk -F, -v t="$ref_at" 'NR > 1 && $1 >= t { print; exit }' "$work/soak.csv")
[ -n "$ref" ] || ref=$last
IFS=, read -r _ rss0 threads0 fds0 <<<"$ref"
IFS=, read -r _ rss1 threads1 fds1 <<<"$last"
first=$(sed -n 2p "$work/soak.csv" | cut -d, -f2)
peak=$(tail -n +2 "$work/soak.csv" | cut -d, -f2 | sort -n | tail -1)

if [ -n "$out" ]; then
  mkdir -p "$out"
  cp "$work/soak.csv" "$out/soak.csv"
  if command -v gnuplot >/dev/null; then
    gnuplot <<PLOT
set terminal pngcairo size 900,400 noenhanced
set output "$out/soak-rss.png"
set datafile separator ","
set title "punktfunk-host RSS during the soak: $mode, one punktfunk/1 and one GameStream session, 5 % loss"
set xlabel "seconds"
set ylabel "RSS (MiB)"
set yrange [0:*]
set grid
plot "$out/soak.csv" using 1:(\$2/1024) skip 1 with lines lw 2 title "host RSS"
PLOT
  fi
fi
echo "--- punktfunk/1"
grep -E "^video:|^barcode:" "$work/native.log" || true
echo "--- GameStream"
grep -E "^video:|^loss:|^gaps:|^barcode:|^decoded:|^quit:" "$work/gs.log" || true
# The figures first (written out before any check, so a failed run still leaves them) ...
want=$((seconds * fps * 95 / 100))
n_frames=$(sed -n 's/^video: \([0-9]*\) frames decoded.*/\1/p' "$work/native.log")
g_frames=$(sed -n 's/^barcode: \([0-9]*\) match.*/\1/p' "$work/gs.log")
n_bad=$(sed -n 's/^barcode: [0-9]* match, \([0-9]*\) wrong, \([0-9]*\) unreadable.*/\1+\2/p' "$work/native.log")
g_bad=$(sed -n 's/^barcode: [0-9]* match, \([0-9]*\) wrong, \([0-9]*\) unreadable.*/\1+\2/p' "$work/gs.log")
n_gap=$(sed -n 's/.*longest gap between pictures \([0-9]*\) ms.*/\1/p' "$work/native.log")
g_gap=$(sed -n 's/^gaps: the longest between two frames \([0-9]*\) ms.*/\1/p' "$work/gs.log")
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
summary="$seconds s, 2 sessions at $mode through 5 % loss + 2 ms jitter: punktfunk/1 ${n_frames:-?} frames right (wrong+unreadable: ${n_bad:-?}; longest gap ${n_gap:-?} ms), GameStream ${g_frames:-?} frames right (wrong+unreadable: ${g_bad:-?}; longest gap ${g_gap:-?} ms); host RSS $(mib "$first") MiB at 5 s, $(mib "$rss0") at $ref_at s, $(mib "$rss1") at the end (peak $(mib "$peak")); threads $threads0 -> $threads1, fds $fds0 -> $fds1"
echo "$summary"
[ -n "$out" ] && echo "$summary" >"$out/soak.txt"
# ... then the checks.
[ "$native_rc" = 0 ] || fail "the punktfunk/1 client ended with status $native_rc"
[ "$gs_rc" = 0 ] || fail "the GameStream client ended with status $gs_rc"
grep -q "^barcode: [1-9][0-9]* match, 0 wrong, 0 unreadable" "$work/native.log" ||
  fail "punktfunk/1 pictures: $(grep '^barcode:' "$work/native.log")"
grep -q "^barcode: [1-9][0-9]* match, 0 wrong, 0 unreadable" "$work/gs.log" ||
  fail "GameStream pictures: $(grep '^barcode:' "$work/gs.log")"
((n_frames >= want)) || fail "punktfunk/1 decoded $n_frames frames in $seconds s (want >= $want)"
((g_frames >= want)) || fail "GameStream decoded $g_frames frames in $seconds s (want >= $want)"
low=$(sed -n 's/^stats: [0-9x]* \([0-9.]*\) fps.*/\1/p' "$work/native.log" | tail -n +2 | head -n -1 |
  awk -v f="$fps" '$1 < 0.8 * f { n++ } END { print n + 0 }')
[ "$low" = 0 ] || fail "$low punktfunk/1 stats intervals under 80 % of $fps fps"
((n_gap < 1000)) || fail "punktfunk/1 stalled for $n_gap ms"
((g_gap < 1000)) || fail "GameStream stalled for $g_gap ms"
((rss1 <= rss0 + 16384)) || fail "the host's RSS grew from $((rss0 / 1024)) MiB at ${ref_at} s to $((rss1 / 1024)) MiB"
((threads1 <= threads0 + 2)) || fail "the host's threads grew from $threads0 to $threads1"
((fds1 <= fds0 + 4)) || fail "the host's fds grew from $fds0 to $fds1"
echo "soak_test: ok"
