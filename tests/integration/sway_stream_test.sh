#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: sway_stream_test.sh HOST_BIN CLIENT_BIN
# The host on sway: the test starts a headless sway (as "nobody" when run as
# root: sway refuses root); `punktfunk-host run --display-backend sway` gives
# the punktfunk/1 session a headless output of exactly the client's mode,
# captures it with wlr-screencopy and streams it; `punktfunk-client stream
# --headless` decodes the frames and types text, which `wev` (a Wayland client
# on that output) must receive. Then `spike --source wayland` runs the M0
# spike on a sway output.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[i]}"; done
  [ -n "${sway_pid:-}" ] && { kill -- -"$sway_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "sway_stream_test: $*" >&2; cat "$work/host.log" >&2 || true; exit 1; }
source "$(dirname "$(realpath "$0")")/harness.sh"
arm_watchdog 105

source "$(dirname "$(realpath "$0")")/services.sh"
start_headless_sway
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
doctor=$("$host" doctor)
grep -q "^vdisplay  sway     available" <<<"$doctor" || fail "doctor: $doctor"

source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" \
  --display-backend sway --no-mdns --name sway-test >"$work/host.log" 2>&1 &
pids+=($!)
c() { "$client" --state-dir "$work/client" "$@"; }
pin=""
for _ in $(seq 100); do
  pin=$("$host" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$pin" ] && break
  sleep 0.1
done
[ -n "$pin" ] || fail "no PIN"
c pair "127.0.0.1:$nport" --pin "$pin" >/dev/null || fail "pairing"
grep -q "virtual displays: sway" "$work/host.log" || fail "the host did not pick sway"

# wev opens on the focused output, which the session's output becomes: start
# it once that output exists, then the client types into it.
(
  for _ in $(seq 200); do
    swaymsg -t get_outputs -r 2>/dev/null | grep -Eq '"width": ?800' && break
    sleep 0.05
  done
  exec stdbuf -oL wev >"$work/wev.log" 2>/dev/null
) &
pids+=($!)
out=$(c stream sway-test --mode 800x600@30 --headless --frames 90 --seconds 30 --type "hi€" \
  --type-after 1.5 2>&1) \
  || fail "stream: $out"
echo "$out" | grep -E "^video:|^host:"
grep -Eq "^video: ([6-9][0-9]|[0-9]{3,}) frames decoded, 0 lost, 0 decode errors" <<<"$out" \
  || fail "video: $out"
grep -Eq "Wayland output HEADLESS-[0-9]+ \(wlr-screencopy, shared memory\)" "$work/host.log" \
  || fail "the session was not captured from a sway output"
grep -q "synthetic pattern" "$work/host.log" && fail "the host fell back to the synthetic pattern"
for _ in $(seq 50); do grep -q "utf8: '€'" "$work/wev.log" 2>/dev/null && break; sleep 0.1; done
for ch in h i €; do
  grep -q "utf8: '$ch'" "$work/wev.log" || fail "wev did not get '$ch': $(cat "$work/wev.log")"
done
echo "typed text reached a Wayland client on the session's output"

# The M0 spike from a sway output: a playable file, every access unit
# byte-identical through the core session.
"$host" spike --source wayland --mode 1280x720@30 --seconds 2 --out "$work/spike.h264" \
  >"$work/spike.log" 2>&1 || fail "spike: $(cat "$work/spike.log")"
[ -n "${PF_REPORT_DIR:-}" ] && cp "$work/spike.log" "$PF_REPORT_DIR/sway-spike.log"
grep -q "spike done (wayland wayland:HEADLESS-[0-9]* (sway headless output)): 60 frames" \
  "$work/spike.log" || fail "spike: $(cat "$work/spike.log")"
grep -q "60 access units intact (byte-identical), 0 lost" "$work/spike.log" \
  || fail "spike round trip: $(cat "$work/spike.log")"
grep "spike done" "$work/spike.log"
echo "sway_stream_test: ok"
