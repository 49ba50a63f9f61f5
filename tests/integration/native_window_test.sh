#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: native_window_test.sh HOST_BIN CLIENT_BIN XTEST_KEY_BIN
# The reference client with its window, on an Xvfb the test starts for it:
# it presents the host's video, and keys pressed into its window (XTEST on the
# client's display) travel as punktfunk/1 input to the host, whose XTest
# injector types them on the session's display, where xev sees them; its
# sound output (SDL's disk driver) carries the host's 440 Hz test tone.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
xkey=$(realpath "$3")
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "native_window_test: $*" >&2; cat "$work/host.log" "$work/client.log" >&2 || true; exit 1; }
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run

# The client's own screen.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/displayfd" 2>/dev/null &
pids+=("$!")
for _ in $(seq 50); do [ -s "$work/displayfd" ] && break; sleep 0.1; done
cdisp=":$(head -1 "$work/displayfd")"
[ "$cdisp" != ":" ] || fail "no Xvfb for the client"

source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" --no-mdns --name window-test \
  >"$work/host.log" 2>&1 &
pids+=("$!")
pin=""
for _ in $(seq 100); do
  pin=$("$host" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$pin" ] && break
  sleep 0.1
done
[ -n "$pin" ] || fail "no PIN"
"$client" --state-dir "$work/client" pair "127.0.0.1:$nport" --pin "$pin" >/dev/null || fail "pairing"

DISPLAY=$cdisp SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE=$work/sound.f32 \
  "$client" --state-dir "$work/client" stream window-test --mode 640x480@30 --seconds 7 --stats \
  >"$work/client.log" 2>&1 &
cpid=$!
# The client's window is up, and so is the host's session display.
for _ in $(seq 150); do  # up to 15 s on a loaded machine
  xwininfo -display "$cdisp" -root -tree 2>/dev/null | grep -q "punktfunk" && break
  sleep 0.1
done
xwininfo -display "$cdisp" -root -tree | grep -q "punktfunk" || fail "no client window"
hdisp=""
for _ in $(seq 50); do
  hdisp=$(grep -o "display :[0-9]*" "$work/host.log" | tail -1 | cut -d' ' -f2)
  [ -n "$hdisp" ] && break
  sleep 0.1
done
[ -n "$hdisp" ] || fail "no host session display"
xev -display "$hdisp" -geometry 640x480+0+0 >"$work/xev.log" 2>&1 &
pids+=("$!")
sleep 1.5
"$xkey" "$cdisp" p f || fail "cannot press keys on the client's display"
wait "$cpid" || fail "client exit status $?"
sleep 0.2
grep -q "keysym 0x70, p" "$work/xev.log" && grep -q "keysym 0x66, f" "$work/xev.log" \
  || fail "keys pressed in the client window did not reach the host display: $(grep keysym "$work/xev.log")"
n=$(sed -n 's/^window: \([0-9]*\) frames presented.*/\1/p' "$work/client.log")
[ -n "$n" ] && [ "$n" -ge 60 ] || fail "the window presented ${n:-no} frames"
# Sound: SDL's disk driver wrote what the client played (48 kHz float stereo):
# the host's test tone (no PipeWire here), so about 440 Hz and loud.
[ -s "$work/sound.f32" ] || fail "the client played no sound"
stat=$(sox -t f32 -r 48000 -c 2 "$work/sound.f32" -n trim 1 remix 1 stat 2>&1)
freq=$(sed -n 's/^Rough   frequency: *\([0-9]*\).*/\1/p' <<<"$stat")
rms=$(sed -n 's/^RMS     amplitude: *\([0-9.]*\).*/\1/p' <<<"$stat")
# sox's rough frequency counts zero crossings: underruns and dropped backlog on a busy machine
# move it a little, noise or silence would move it a lot.
[ -n "$freq" ] && [ "$freq" -ge 350 ] && [ "$freq" -le 550 ] || fail "sound is not the tone: $stat"
awk -v r="$rms" 'BEGIN { exit !(r > 0.1) }' || fail "sound too quiet: RMS $rms"
grep -q "^sound: " "$work/client.log" || fail "no sound summary"
# --stats: the line printed and the overlay drawn in the window (its font was found).
grep -q "^stats: 640x480 " "$work/client.log" || fail "no stats line"
! grep -q "no stats overlay" "$work/client.log" || fail "the overlay could not be drawn"
echo "native_window_test: window presented $n frames; keys p, f reached the host display;"\
  "sound ${freq} Hz, RMS ${rms}; $(grep '^sound: ' "$work/client.log")"
echo "native_window_test: ok"
