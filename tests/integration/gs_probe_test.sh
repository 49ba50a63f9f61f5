#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: gs_probe_test.sh PATH/TO/punktfunk-host PATH/TO/gs-probe
# The real host binary and the Moonlight-style probe on 127.0.0.1: pair (the
# PIN entered with `punktfunk-host pin`), then stream 4 s with every 10th video
# datagram dropped: video frames from the session's Xvfb display, audio, a key
# press through XTest, and a clean quit with the termination message.
set -euo pipefail
host_bin=$(realpath "$1")
probe=$(realpath "$2")
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "gs_probe_test: $*" >&2; echo "--- host log" >&2; cat "$work/host.log" >&2; exit 1; }
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
# The first app runs a command on the session's display, until /cancel (a sleep of its own
# length, told from other tests' apps).
app_sleep=600.$$
mkdir -p "$work/config/punktfunk"
cat >"$work/config/punktfunk/apps.toml" <<TOML
[[app]]
title = "Probe App"
command = "echo \$DISPLAY > $work/app-display; exec sleep $app_sleep"

[[app]]
title = "Desktop"
TOML
"$host_bin" --bind 127.0.0.1 --port "$port" --native-port "$((port + 2))" --mgmt-port "$((port + 7))" --no-mdns --name probe-test >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "How to pair" "$work/host.log" && break; sleep 0.1; done

"$probe" --port "$port" --identity "$work/probe" pair --pin 4321 >"$work/pair.log" 2>&1 &
pair_pid=$!
ok=""
for _ in $(seq 100); do
  if "$host_bin" pin 4321 >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.1
done
[ -n "$ok" ] || fail "the host never waited for a PIN"
wait "$pair_pid" || fail "pairing failed: $(cat "$work/pair.log")"
"$host_bin" clients list | grep -q "gs-probe" || fail "paired client not listed"
api="https://127.0.0.1:$((port + 7))/api/v1"
auth="Authorization: Bearer $("$host_bin" token)"
curl -skf -H "$auth" "$api/gamestream-clients" | grep -q '"name":"gs-probe"' \
  || fail "the management API does not list the Moonlight client"

# The probe decodes HEVC too, as most Moonlight clients do: a host without software-codecs
# offers H.264 and its High 4:4:4 only (serverinfo, DESCRIBE; the log says how to offer more),
# and the probe gets H.264.
info=$(curl -sf "http://127.0.0.1:$port/serverinfo?uniqueid=0123456789ABCDEF&uuid=1") ||
  fail "no serverinfo"
want_modes=262145 want_codec=H.264
grep -q "video: HEVC and AV1 not offered: set software-codecs = true" "$work/host.log" ||
  fail "the host did not say why HEVC is not offered"
grep -q "<ServerCodecModeSupport>$want_modes</ServerCodecModeSupport>" <<<"$info" ||
  fail "serverinfo codec modes (want $want_modes): $info"
"$probe" --port "$port" --identity "$work/probe" stream --hevc --mode 640x480@60 --seconds 4 \
  --drop 10 --out "$work/probe.h264" >"$work/stream.log" 2>&1 ||
  fail "stream: $(cat "$work/stream.log")"
cat "$work/stream.log"
grep -q "^codec: $want_codec$" "$work/stream.log" || fail "not $want_codec"
frames=$(sed -n 's/^video: \([0-9]*\) frames.*/\1/p' "$work/stream.log")
audio=$(sed -n 's/^audio: \([0-9]*\) Opus.*/\1/p' "$work/stream.log")
[ "${frames:-0}" -ge 150 ] || fail "only ${frames:-0} video frames in 4 s"
[ "${audio:-0}" -ge 300 ] || fail "only ${audio:-0} audio packets in 4 s"
grep -q "termination message" "$work/stream.log" || fail "no termination message"
grep -q "session [0-9a-f]*: gamestream for 'gs-probe' .* at 640x480@60, display :[0-9]*" "$work/host.log" ||
  fail "no per-session display"
grep -q "video: streaming X11 :[0-9]* (XShm)" "$work/host.log" || fail "video did not come from the display"
grep -q "session [0-9a-f]*: virtual display :[0-9]* closed" "$work/host.log" ||
  fail "display not closed on /cancel"
[ -s "$work/probe.h264" ] || fail "no H.264 written"
grep -q "^:[0-9]*$" "$work/app-display" || fail "the app did not run on the session display"
grep -q "session [0-9a-f]*: app 'Probe App' started on :[0-9]*" "$work/host.log" ||
  fail "app start not logged"
grep -q "stopping the app" "$work/host.log" || fail "the app was not stopped on /cancel"
! pgrep -f "sleep $app_sleep\$" >/dev/null || fail "the app's process outlived /cancel"
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
echo "gs_probe_test: ok"
