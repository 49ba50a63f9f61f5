#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: listener_abuse_test.sh PATH/TO/punktfunk-host PATH/TO/gs-probe [IDLE] [SLOW]
# The real host on 127.0.0.1 while a neighbour at 127.0.0.2 (tools/stress/hold_connections.py)
# holds IDLE idle and SLOW half-sent connections (default 200 and 50), and 20 that send random
# bytes, on each TCP listener:
# GameStream HTTP, HTTPS and RTSP and the management API. Meanwhile a good client at 127.0.0.1:
# - gets /serverinfo over HTTP and HTTPS and GET /api/v1/status: each within 1 s, and the best
#   of three within 200 ms (the times are printed; before the connection gate, 10 idle
#   connections delayed /serverinfo 3.5 s and 50 stopped it);
# - launches a stream (RTSP OPTIONS, DESCRIBE, SETUP, ANNOUNCE, PLAY) and has its frames;
# - a stream already running when the connections came holds at least 90 % of its 60 fps.
set -euo pipefail
host=$(realpath "$1")
probe=$(realpath "$2")
idle=${3:-200}
slow=${4:-50}
root=$(dirname "$(realpath "$0")")/../..
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "listener_abuse_test: $*" >&2; echo "--- host log" >&2; tail -40 "$work/host.log" >&2; exit 1; }
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
source "$root/tests/integration/harness.sh"
start_synthetic_host abuse-test
host_pid=$pid
pids+=("$host_pid")
https=$((port - 5)) rtsp=$((port + 21))
g=("$probe" --port "$port" --identity "$work/probe")
"${g[@]}" pair --pin 4321 >"$work/pair.log" 2>&1 &
pp=$!
for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
wait "$pp" || fail "GameStream pairing: $(cat "$work/pair.log")"
auth="Authorization: Bearer $("$host" token)"

# Each good request three times: prints the times in ms, fails when one takes 1 s or the best
# 200 ms (the bound is the issue's; the best of three keeps a busy CI machine's hiccup out of it).
timed() {
  local what=$1 t0 t1 ms best=99999 all=""
  shift
  for _ in 1 2 3; do
    t0=$(date +%s%N)
    "$@" >"$work/out" 2>&1 || fail "$what: no answer: $(cat "$work/out")"
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    all="$all $ms"
    ((ms < best)) && best=$ms
    [ "$ms" -lt 1000 ] || fail "$what took $ms ms"
  done
  printf '  %-22s %s ms\n' "$what" "$all"
  [ "$best" -lt 200 ] || fail "$what: the best of three took $best ms"
}
good_requests() {
  timed "http /serverinfo" curl -sf --max-time 2 "http://127.0.0.1:$port/serverinfo"
  timed "https /serverinfo" curl -skf --max-time 2 "https://127.0.0.1:$https/serverinfo"
  timed "mgmt /api/v1/status" curl -skf --max-time 2 -H "$auth" "https://127.0.0.1:$mport/api/v1/status"
}

echo "== a quiet host"
good_requests
echo "== a stream runs; $idle idle and $slow slow connections from 127.0.0.2 on each listener"
"${g[@]}" stream --mode 640x480@60 --seconds 12 --check-barcode >"$work/running.log" 2>&1 &
running=$!
pids+=("$running")
sleep 2
python3 "$root/tools/stress/hold_connections.py" --from 127.0.0.2 --port "$port" --port "$rtsp" \
  --tls-port "$https" --tls-port "$mport" --idle "$idle" --slow "$slow" --garbage 20 --seconds 60 \
  >"$work/hold.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "^holding" "$work/hold.log" && break; sleep 0.1; done
grep -q "^holding" "$work/hold.log" || fail "the neighbour did not get going: $(cat "$work/hold.log")"
cat "$work/hold.log"
good_requests
wait "$running" || fail "the running stream: $(tail -8 "$work/running.log")"
frames=$(sed -n 's/^barcode: \([0-9]*\) match, 0 wrong, 0 unreadable.*/\1/p' "$work/running.log")
echo "  the running stream: ${frames:-no right} frames in 12 s"
((${frames:-0} >= 12 * 60 * 90 / 100)) || fail "the running stream: $(grep -E '^video:|^barcode:' "$work/running.log")"
# A new launch: nvhttp, then RTSP (OPTIONS ... PLAY) past the connections held there.
"${g[@]}" stream --mode 640x480@60 --frames 5 --seconds 10 >"$work/launch.log" 2>&1 ||
  fail "a launch while the listeners are held: $(cat "$work/launch.log")"
first=$(sed -n 's/^first frame: \([0-9]*\) ms.*/\1/p' "$work/launch.log")
echo "  a launch: its first frame ${first:-?} ms after /launch (RTSP OPTIONS ... PLAY included)"
((${first:-99999} < 1000)) || fail "a launch took ${first:-?} ms to its first frame"
kill -0 "$host_pid" 2>/dev/null || fail "the host died"
echo "listener_abuse_test: ok"
