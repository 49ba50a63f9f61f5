#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: tools/stress/stream_under_attack.sh [BUILD_DIR] [IDLE] [SLOW]
# Does a running GameStream stream hold its frame rate while a neighbour holds connections open?
# A host on free loopback ports, gs-probe paired, three 12-s streams at 1280x720@60: quiet, with
# IDLE idle + SLOW half-sent connections (default 500 + 200) opened on the HTTP, HTTPS and
# management ports from 127.0.0.2 three seconds in (hold_connections.py), quiet again. Prints
# each run's video line (frames in 12 s). Loopback only.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "${1:-$root/build}")
idle=${2:-500}
slow=${3:-200}
host=$build/src/host/punktfunk-host probe=$build/tools/gs-probe/gs-probe
work=$(mktemp -d)
hp=""
trap '[ -n "$hp" ] && kill "$hp" 2>/dev/null; pkill -f "hold_connections.py --from 127.0.0.2" || true; rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
source "$root/scripts/free_ports.sh"
port=$(free_port_base)
"$host" --bind 127.0.0.1 --port "$port" --native-port $((port + 2)) --mgmt-port $((port + 7)) \
  --no-mdns --name stream-under-attack >"$work/host.log" 2>&1 &
hp=$!
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
"$probe" --port "$port" --identity "$work/G" pair --pin 4321 >/dev/null 2>&1 &
pp=$!
for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
wait "$pp"
run() {
  "$probe" --port "$port" --identity "$work/G" stream --mode 1280x720@60 --seconds 12 \
    >"$work/s.log" 2>&1 &
  local sp=$! holder=""
  if [ "$1" = attack ]; then
    sleep 3
    python3 "$root/tools/stress/hold_connections.py" --from 127.0.0.2 --port "$port" \
      --tls-port $((port - 5)) --tls-port $((port + 7)) --idle "$idle" --slow "$slow" \
      --seconds 20 >"$work/hold.log" 2>&1 &
    holder=$!
  fi
  wait "$sp" || true
  printf '%-7s %s %s\n' "$1:" "$(grep -E '^video:' "$work/s.log" | head -1)" \
    "$([ "$1" = attack ] && head -1 "$work/hold.log")"
  [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
  sleep 1
}
run quiet
run attack
run quiet
