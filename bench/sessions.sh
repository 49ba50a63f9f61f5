#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# bench/sessions.sh: concurrent sessions on this machine. For N = 1..MAX
# punktfunk/1 clients at once, each on a session of its own (an Xvfb at
# 1280x720@30, x264): frames each client decoded per second, the host's
# capture->encoded p50/p99 (worst session), host CPU (both cores = 200 %);
# then the time from a client's start to its first decoded frame over
# LAUNCHES launches (the host makes a display for each), for punktfunk/1
# (punktfunk-client, process start to exit after one decoded frame) and
# GameStream (gs-probe: from its /launch to its first decoded frame; each
# launch quits with /cancel, so the next one makes a new display).
#
#   bench/sessions.sh HOST_BIN CLIENT_BIN GS_PROBE_BIN OUT_DIR [--quick]
#
# Writes OUT_DIR/sessions.csv (n,fps_min,fps_mean,enc_p50_ms,enc_p99_ms,cpu_pct),
# OUT_DIR/launch.csv and OUT_DIR/launch-gamestream.csv (one launch time in ms
# per line).
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
out=$(realpath -m "$4")
quick=${5:-}
max=6 seconds=10 launches=20
[ "$quick" = --quick ] && max=2 seconds=3 launches=3
mkdir -p "$out"
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
source "$(dirname "$(realpath "$0")")/../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port 0 --no-mdns \
  --name bench --max-sessions "$max" --session-linger 0 >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
for i in $(seq "$max"); do
  pin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
  "$client" --state-dir "$work/c$i" pair "127.0.0.1:$nport" --pin "$pin" --name "c$i" >/dev/null
done
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)

echo "n,fps_min,fps_mean,enc_p50_ms,enc_p99_ms,cpu_pct" >"$out/sessions.csv"
for n in $(seq "$max"); do
  pids=()
  for i in $(seq "$n"); do
    "$client" --state-dir "$work/c$i" stream bench --mode 1280x720@30 --headless \
      --seconds "$((seconds + 2))" >"$work/run-$n-$i.log" 2>&1 &
    pids+=("$!")
  done
  sleep 2  # every session set up and streaming
  t0=$(cpu_ticks)
  sleep "$seconds"
  t1=$(cpu_ticks)
  for p in "${pids[@]}"; do wait "$p" || true; done
  awk -v n="$n" -v s="$((seconds + 2))" -v cpu="$(( (t1 - t0) * 100 / hz / seconds ))" '
    /^video: [0-9]+ frames decoded/ { fps = $2 / s; if (min == "" || fps < min) min = fps; sum += fps; k++ }
    /^host: capture->encoded/ { if ($4 > p50) p50 = $4; if ($7 > p99) p99 = $7 }
    END { if (k == 0) { min = 0; k = 1 }
          printf "%d,%.1f,%.1f,%.2f,%.2f,%d\n", n, min, sum / k, p50, p99, cpu }' \
    "$work"/run-"$n"-*.log >>"$out/sessions.csv"
  sleep 1  # sessions ended (Bye), displays gone
done

: >"$out/launch.csv"
for _ in $(seq "$launches"); do
  t=$(date +%s%N)
  "$client" --state-dir "$work/c1" stream bench --mode 1280x720@30 --headless --frames 1 \
    --seconds 20 >"$work/launch.log" 2>&1 || true
  grep -q "^video: [1-9]" "$work/launch.log" || continue
  echo $(( ($(date +%s%N) - t) / 1000000 )) >>"$out/launch.csv"
  sleep 0.3
done
"$probe" --port "$port" --identity "$work/gs" pair --pin 4321 >"$work/gs-pair.log" 2>&1 &
p=$!
for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
wait "$p"
: >"$out/launch-gamestream.csv"
for _ in $(seq "$launches"); do
  "$probe" --port "$port" --identity "$work/gs" stream --mode 1280x720@30 --frames 1 \
    --dump-hashes /dev/null --seconds 20 >"$work/gs-launch.log" 2>&1 || true
  sed -n 's/^first frame: \([0-9]*\) ms.*/\1/p' "$work/gs-launch.log" >>"$out/launch-gamestream.csv"
  sleep 0.3
done
if ! kill -INT "$pid" 2>/dev/null; then
  echo "sessions.sh: the host died; its log ends:" >&2
  tail -30 "$work/host.log" >&2
  exit 1
fi
wait "$pid" || true
pid=""
cat "$out/sessions.csv"
echo "punktfunk/1 launch -> first decoded frame (ms): $(sort -n "$out/launch.csv" | tr '\n' ' ')"
echo "GameStream /launch -> first decoded frame (ms): $(sort -n "$out/launch-gamestream.csv" | tr '\n' ' ')"
