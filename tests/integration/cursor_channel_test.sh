#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: cursor_channel_test.sh HOST_BIN CLIENT_BIN XTEST_POINTER_BIN
# The punktfunk/1 cursor channel (protocol section 8) on the built-in default (an Xvfb per
# session): the session's display is painted green and its pointer moved to the point the
# client samples each picture at (a quarter in). With `--cursor` the host grants the channel,
# sends the pointer's shape and a position per frame (the last one where the pointer is), and
# the pictures carry no pointer: the sample is green. Without it the pointer is drawn into the
# picture and the sample is not green (so the check can fail). With a window, the host's pointer
# shape becomes the client desktop's pointer over the window (XFIXES on the client's own Xvfb
# reads it back, equal to the host display's), and not beside the window.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
pointer=$(realpath "$3")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "cursor_channel_test: $*" >&2
  echo "--- host log (last 30 lines)" >&2
  tail -30 "$work/host.log" >&2
  exit 1
}
source "$here/harness.sh"
arm_watchdog 110
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
source "$here/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" \
  --no-mdns --name cursor-test >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
npin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
"$client" --state-dir "$work/client" pair "127.0.0.1:$nport" --pin "$npin" >/dev/null ||
  fail "pairing"

displays_seen() { grep -c "display :[0-9]*" "$work/host.log" || true; }
# The display of the session opened after the host had logged $1 displays ("" after 10 s).
new_display() {
  for _ in $(seq 100); do
    if [ "$(displays_seen)" -gt "$1" ]; then
      grep -o "display :[0-9]*" "$work/host.log" | tail -1 | cut -d' ' -f2
      return
    fi
    sleep 0.1
  done
}

# A 640x480 session: paint its display green, the pointer at (160, 120) - where the client
# samples each picture's colour. $1: "--cursor" or ""; prints the client's output.
session() {
  local before
  before=$(displays_seen)
  "$client" --state-dir "$work/client" stream cursor-test --mode 640x480@30 --headless \
    --seconds 6 --dump-hashes "$work/hashes" $1 >"$work/client.log" 2>&1 &
  local cpid=$! disp
  disp=$(new_display "$before")
  [ -n "$disp" ] || fail "no session display"
  sleep 1
  "$pointer" "$disp" 160 120 00ff00 >/dev/null || fail "cannot paint $disp"
  wait "$cpid" || fail "the client failed: $(cat "$work/client.log")"
  cat "$work/client.log"
}
# The Y of the last picture's sample (green: Y 145 in BT.601 limited range).
last_y() { tail -1 "$work/hashes" | awk '{ split($4, c, ","); print c[1] }'; }

echo "== with the cursor channel"
out=$(session --cursor)
echo "$out" | grep -E "^cursor|^session|^video:"
grep -q "^cursor channel granted" <<<"$out" || fail "the channel was not granted: $out"
grep -Eq "^cursor: [1-9][0-9]* shapes \(the last [0-9]+x[0-9]+" <<<"$out" || fail "no shape: $out"
positions=$(sed -n 's/^cursor: .*, \([0-9]*\) positions.*/\1/p' <<<"$out")
[ "${positions:-0}" -ge 100 ] || fail "only ${positions:-0} positions in 6 s at 30 fps"
grep -q "the last at (160, 120), visible" <<<"$out" || fail "the last position is not the pointer's: $out"
y=$(last_y)
((y >= 130 && y <= 160)) || fail "the picture is not green under the pointer (Y $y): the pointer is in it"
grep -q "cannot leave the pointer out" "$work/host.log" && fail "the host kept the pointer in"

echo "== without it"
out=$(session "")
grep -q "^cursor" <<<"$out" && fail "cursor output without --cursor: $out"
y=$(last_y)
((y < 130 || y > 160)) || fail "the picture is green under the pointer without the channel (Y $y)"
echo "sample Y under the pointer: with the channel green, without it $y"

echo "== the window: the host's pointer becomes the desktop's pointer over it"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/displayfd" 2>/dev/null &
xvfb=$!
for _ in $(seq 50); do [ -s "$work/displayfd" ] && break; sleep 0.1; done
cdisp=":$(head -1 "$work/displayfd")"
before=$(displays_seen)
DISPLAY=$cdisp SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy "$client" --state-dir "$work/client" \
  stream cursor-test --mode 640x480@30 --seconds 8 --cursor >"$work/window.log" 2>&1 &
wpid=$!
hdisp=$(new_display "$before")
[ -n "$hdisp" ] || fail "no session display for the window"
sleep 1
# The host's display gets the X cursor font's hand (60): not the client display's default.
host_cursor=$("$pointer" "$hdisp" 100 100 - 60 | sed -n 's/^cursor //p')
sleep 1.5  # a few frames: the shape travels
inside=$("$pointer" "$cdisp" 320 240 | sed -n 's/^cursor //p')
outside=$("$pointer" "$cdisp" 1200 780 | sed -n 's/^cursor //p')
wait "$wpid" || true
kill "$xvfb" 2>/dev/null || true
echo "host pointer: $host_cursor; client display over the window: $inside; beside it: $outside"
# The same size and hotspot, and the same pixels but for rounding (the host's premultiplied
# alpha is sent straight and premultiplied again here): sums within 0.1 %.
same_pointer() {
  [ "${1% sum *}" = "${2% sum *}" ] &&
    awk -v a="${1##* sum }" -v b="${2##* sum }" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= a / 1000) }'
}
[ -n "$host_cursor" ] && same_pointer "$inside" "$host_cursor" ||
  fail "the window's pointer is not the host's ($inside vs $host_cursor): $(cat "$work/window.log")"
! same_pointer "$outside" "$host_cursor" || fail "the client display's own pointer is the host's too"
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
echo "cursor_channel_test: ok"
