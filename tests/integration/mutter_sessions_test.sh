#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: mutter_sessions_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/gs-probe
#                                PATH/TO/pf-sdl-watch
# The sessions test reduced to two sessions on the Mutter backend: a private D-Bus, PipeWire and
# `mutter --headless`; a punktfunk/1 client at 640x480 and a GameStream client at 800x600 stream at
# once, each from a virtual monitor of its own. A full-screen SDL2 window of its own colour on each
# monitor: each client's decoded pictures show its own colour at its own size; a tone of its own
# played into each session's sink is heard only by its client.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
watch=$(realpath "$4")
work=$(mktemp -d)
pids=()
services=()
cleanup() {
  # The host and clients first (the host ends its Mutter sessions while Mutter is there), then
  # Mutter and the services, D-Bus last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[i]}"; done
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop "${services[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "$(realpath "$0")")/harness.sh"
fail() { fail_with_sessions_logs "$@"; }
arm_watchdog 165

export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
source "$(dirname "$(realpath "$0")")/services.sh"
start_private_pipewire
mutter --headless --wayland --no-x11 --wayland-display pf-mutter-sessions >"$work/mutter.log" 2>&1 &
services+=($!)
for _ in $(seq 100); do
  "$host" doctor 2>/dev/null | grep -q "^vdisplay  mutter   available" && break
  sleep 0.1
done
"$host" doctor | grep -q "^vdisplay  mutter   available" ||
  fail "mutter did not come up: $(cat "$work/mutter.log")"

source "$(dirname "$(realpath "$0")")/two_sessions.sh"
start_sessions_host mutter mutter-sessions
pair_a_and_g

echo "== a punktfunk/1 and a GameStream client at once, each on its own Mutter virtual monitor"
"$client" --state-dir "$work/A" stream mutter-sessions --mode 640x480@30 --headless --seconds 120 \
  --dump-hashes "$work/a.txt" --expect-tone 440 >"$work/a.log" 2>&1 &
a_pid=$!
pids+=("$a_pid")
"$probe" --port "$port" --identity "$work/G" stream --mode 800x600@30 --seconds 120 \
  --dump-hashes "$work/g.txt" --expect-tone 880 >"$work/g.log" 2>&1 &
g_pid=$!
pids+=("$g_pid")
await_a_and_g
start_players
[ "$da" != "$dg" ] || fail "both sessions on $da"
echo "A on $da, G on $dg"
declare -A colour=([A]=ff0000 [G]=00ff00) size=([A]=640x480 [G]=800x600)
# A window of its own colour on each monitor (SDL2 over Mutter's Wayland socket). They stand in
# for the sessions' apps, and are stopped when their session ends, as its app would be (Mutter
# moves the windows of a monitor that goes away onto another one).
declare -A window
for who in A G; do
  SDL_VIDEODRIVER=wayland WAYLAND_DISPLAY=pf-mutter-sessions \
    "$watch" "${size[$who]}" "${colour[$who]}" >"$work/w$who.log" 2>&1 &
  window[$who]=$!
  pids+=($!)
  for _ in $(seq 100); do grep -q "^ready" "$work/w$who.log" && break; sleep 0.1; done
  grep -q "^ready" "$work/w$who.log" || fail "$who's window: $(cat "$work/w$who.log")"
done
# The clients end (as Ctrl+C would) after three seconds of their windows: G first, A goes on alone.
sleep 3
kill -TERM "$g_pid"
wait "$g_pid" || fail "G (exit $?): $(cat "$work/g.log")"
kill "${player[G]}" "${window[G]}"
sleep 3  # A's tone check takes its last 2 s: past G's tone moved to the default sink
kill -TERM "$a_pid"
wait "$a_pid" || fail "A: $(cat "$work/a.log")"

echo "== each client saw its own monitor and heard its own tone only"
check_picture A "$work/a.txt" 640x480
check_picture G "$work/g.txt" 800x600
grep -o "dominant tone.*" "$work/a.log" | sed "s/^/A: /"
grep -o "dominant tone.*" "$work/g.log" | sed "s/^/G: /"
echo "mutter_sessions_test: ok"
