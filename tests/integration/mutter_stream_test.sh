#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: mutter_stream_test.sh HOST_BIN CLIENT_BIN
# The host on a GNOME Mutter: the test starts a private D-Bus, PipeWire and
# `mutter --headless`; `punktfunk-host run --display-backend mutter` gives the
# punktfunk/1 session a virtual monitor of exactly the client's mode through
# Mutter's ScreenCast API, captures it over PipeWire and streams it;
# `punktfunk-client stream --headless` decodes the frames. Then the monitor
# is gone with the session. And `punktfunk-host spike --source pipewire` runs the
# M0 spike on a Mutter virtual monitor.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
work=$(mktemp -d)
pids=()
services=()
# Stops a process and waits up to 5 s for it (then SIGKILL): nothing outlives
# the test or holds ctest's output pipe open.
cleanup() {
  # The host first (it ends its Mutter session while Mutter is there), then
  # the services it used, D-Bus last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[i]}"; done
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop "${services[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "mutter_stream_test: $*" >&2; cat "$work/host.log" >&2; exit 1; }
source "$(dirname "$(realpath "$0")")/harness.sh"
arm_watchdog 105
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
source "$(dirname "$(realpath "$0")")/services.sh"
start_private_pipewire
mutter --headless --wayland --no-x11 --wayland-display pf-mutter-test >"$work/mutter.log" 2>&1 &
services+=($!)
for _ in $(seq 100); do
  "$host" doctor 2>/dev/null | grep -q "^vdisplay  mutter   available" && break
  sleep 0.1
done
"$host" doctor | grep -q "^vdisplay  mutter   available" || fail "mutter did not come up: $(cat "$work/mutter.log")"

source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" \
  --display-backend mutter --no-mdns --name mutter-test >"$work/host.log" 2>&1 &
hpid=$!
pids+=("$hpid")
c() { "$client" --state-dir "$work/client" "$@"; }
pin=""
for _ in $(seq 100); do
  pin=$("$host" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$pin" ] && break
  sleep 0.1
done
[ -n "$pin" ] || fail "no PIN"
c pair "127.0.0.1:$nport" --pin "$pin" >/dev/null || fail "pairing"
grep -q "virtual displays: mutter" "$work/host.log" || fail "the host did not pick mutter"

out=$(c stream mutter-test --mode 800x600@30 --headless --frames 60 --seconds 30 2>&1) \
  || fail "stream: $out"
echo "$out" | grep -E "^video:|^host:"
grep -Eq "^video: ([6-9][0-9]|[0-9]{3,}) frames decoded, 0 lost, 0 decode errors" <<<"$out" \
  || fail "video: $out"
grep -Eq "punktfunk/1 video [0-9a-f]+: PipeWire node [0-9]+ \(shared memory\) 800x600@30" \
  "$work/host.log" || fail "the session was not captured from a Mutter virtual monitor"
grep -q "synthetic pattern" "$work/host.log" && fail "the host fell back to the synthetic pattern"

# The M0 spike from a Mutter virtual monitor: a playable file, every access unit
# byte-identical through the core session.
"$host" spike --source pipewire --mode 1280x720@30 --seconds 2 --out "$work/spike.h264" \
  >"$work/spike.log" 2>&1 || fail "spike: $(cat "$work/spike.log")"
# bench/report.sh reads the spike's capture timings from here.
[ -n "${PF_REPORT_DIR:-}" ] && cp "$work/spike.log" "$PF_REPORT_DIR/mutter-spike.log"
grep -q "spike done (pipewire pipewire:[0-9]* (Mutter virtual monitor)): 60 frames" "$work/spike.log" \
  || fail "spike: $(cat "$work/spike.log")"
grep -q "60 access units intact (byte-identical), 0 lost" "$work/spike.log" \
  || fail "spike round trip: $(cat "$work/spike.log")"
[ "$(head -c 4 "$work/spike.h264" | od -An -tx1 | tr -d ' ')" = 00000001 ] \
  || fail "the spike did not write Annex-B H.264"
grep "spike done" "$work/spike.log"
echo "mutter_stream_test: ok"
