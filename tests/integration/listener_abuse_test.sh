#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: listener_abuse_test.sh PATH/TO/punktfunk-host [IDLE] [SLOW]
# The real host on 127.0.0.1 while a neighbour at 127.0.0.2 (tools/stress/hold_connections.py)
# holds IDLE idle and SLOW half-sent connections (default 200 and 50) on each cpp-httplib
# listener: GameStream HTTP and HTTPS and the management API. A good client at 127.0.0.1 still
# gets /serverinfo over HTTP and HTTPS and GET /api/v1/status, each within 1 s (the times are
# printed; before the connection gate, 10 idle connections delayed /serverinfo 3.5 s and 50
# stopped it). The RTSP listener answers only while a launch is pending: RtspServerTest covers it.
set -euo pipefail
host=$(realpath "$1")
idle=${2:-200}
slow=${3:-50}
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
source "$root/scripts/free_ports.sh"
port=$(free_port_base)
https=$((port - 5)) mport=$((port + 7))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$((port + 2))" --mgmt-port "$mport" \
  --no-mdns --name abuse-test >"$work/host.log" 2>&1 &
host_pid=$!
pids+=("$host_pid")
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
grep -q "Stop with Ctrl+C" "$work/host.log" || fail "the host did not start"
auth="Authorization: Bearer $("$host" token)"

# Each good request: prints its time in ms, fails past 1 s.
timed() {
  local what=$1 t0 t1
  shift
  t0=$(date +%s%N)
  "$@" >"$work/out" 2>&1 || fail "$what: no answer: $(cat "$work/out")"
  t1=$(date +%s%N)
  local ms=$(((t1 - t0) / 1000000))
  printf '  %-22s %5d ms\n' "$what" "$ms"
  [ "$ms" -lt 1000 ] || fail "$what took $ms ms"
}
good_requests() {
  timed "http /serverinfo" curl -sf --max-time 2 "http://127.0.0.1:$port/serverinfo"
  timed "https /serverinfo" curl -skf --max-time 2 "https://127.0.0.1:$https/serverinfo"
  timed "mgmt /api/v1/status" curl -skf --max-time 2 -H "$auth" "https://127.0.0.1:$mport/api/v1/status"
}

echo "== a quiet host"
good_requests
echo "== $idle idle and $slow slow connections from 127.0.0.2 on each listener"
python3 "$root/tools/stress/hold_connections.py" --from 127.0.0.2 --port "$port" \
  --tls-port "$https" --tls-port "$mport" --idle "$idle" --slow "$slow" --seconds 60 \
  >"$work/hold.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "^holding" "$work/hold.log" && break; sleep 0.1; done
grep -q "^holding" "$work/hold.log" || fail "the neighbour did not get going: $(cat "$work/hold.log")"
cat "$work/hold.log"
good_requests
kill -0 "$host_pid" 2>/dev/null || fail "the host died"
echo "listener_abuse_test: ok"
