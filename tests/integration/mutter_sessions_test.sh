#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: mutter_sessions_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/gs-probe
#                                PATH/TO/pf-sdl-watch
# The sessions test reduced to two sessions on Mutter (backend mutter-headless: the host starts a
# `mutter --headless` on a D-Bus of its own per session), with a private PipeWire; a punktfunk/1
# client at 640x480 and a GameStream client at 800x600 stream at once, each from its own Mutter.
# A full-screen SDL2 window of its own colour on each session's Mutter: each client's decoded
# pictures show its own colour at its own size; the keys each client types reach only its own
# window; a tone of its own played into each session's sink is heard only by its client.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
watch=$(realpath "$4")
work=$(mktemp -d)
pids=()
services=()
cleanup() {
  # The host and clients first (the host stops its Mutters), then the services, D-Bus last.
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
"$host" doctor | grep -q "^vdisplay  mutter-headless available" ||
  fail "no headless Mutter here: $("$host" doctor | grep mutter)"

source "$(dirname "$(realpath "$0")")/two_sessions.sh"
start_sessions_host mutter-headless mutter-sessions
pair_a_and_g

echo "== a punktfunk/1 and a GameStream client at once, each on a Mutter of its own"
"$client" --state-dir "$work/A" stream mutter-sessions --mode 640x480@30 --headless --seconds 120 \
  --dump-hashes "$work/a.txt" --type aaa --type-on-signal --expect-tone 440 >"$work/a.log" 2>&1 &
a_pid=$!
pids+=("$a_pid")
"$probe" --port "$port" --identity "$work/G" stream --mode 800x600@30 --seconds 120 \
  --dump-hashes "$work/g.txt" --type ggg --type-on-signal --expect-tone 880 >"$work/g.log" 2>&1 &
g_pid=$!
pids+=("$g_pid")
await_a_and_g
start_players
[ "$da" != "$dg" ] || fail "both sessions on $da"
echo "A on $da, G on $dg"
declare -A colour=([A]=ff0000 [G]=00ff00) size=([A]=640x480 [G]=800x600) socket=([A]=${da#wayland:} [G]=${dg#wayland:})
# A window of its own colour on each session's Mutter (SDL2 over its Wayland socket), where its
# keys go. They stand in for the sessions' apps.
declare -A window
for who in A G; do
  SDL_VIDEODRIVER=wayland WAYLAND_DISPLAY=${socket[$who]} \
    "$watch" "${size[$who]}" "${colour[$who]}" >"$work/w$who.log" 2>&1 &
  window[$who]=$!
  pids+=($!)
  for _ in $(seq 100); do grep -q "^ready" "$work/w$who.log" && break; sleep 0.1; done
  grep -q "^ready" "$work/w$who.log" || fail "$who's window: $(cat "$work/w$who.log")"
done
# Each client types (SIGUSR1); they end (as Ctrl+C would) once their keys are in and their windows
# have been on for three seconds: G first, A goes on alone.
kill -USR1 "$a_pid" "$g_pid"
presses() { grep -c "^key $1\$" "$2" || true; }
for _ in $(seq 200); do
  [ "$(presses A "$work/wA.log")" -ge 3 ] && [ "$(presses G "$work/wG.log")" -ge 3 ] && break
  sleep 0.1
done
sleep 3
# Each window goes first, as its app would (SDL crashes when its compositor goes away).
kill "${window[G]}"
kill -TERM "$g_pid"
wait "$g_pid" || fail "G (exit $?): $(cat "$work/g.log")"
kill "${player[G]}"
# G quit: its Mutter, its bus and its Wayland socket go with its session.
for _ in $(seq 50); do pgrep -f -- "--wayland-display ${socket[G]}\$" >/dev/null || break; sleep 0.1; done
! pgrep -af -- "--wayland-display ${socket[G]}\$" || fail "G's Mutter outlived its session"
[ ! -e "$XDG_RUNTIME_DIR/${socket[G]}" ] || fail "G's Wayland socket was left behind"
pgrep -f -- "--wayland-display ${socket[A]}\$" >/dev/null || fail "A's Mutter went with G's session"
kill "${window[A]}"
kill -TERM "$a_pid"
wait "$a_pid" || fail "A: $(cat "$work/a.log")"

echo "== each client saw its own Mutter, typed into it only, and heard its own tone only"
for who in A G; do
  other=$([ $who = A ] && echo G || echo A)
  n=$(presses $who "$work/w$who.log")
  echo "$who typed $n keys into its window"
  [ "$n" -eq 3 ] || fail "$who's keys did not reach its window: $(tail -20 "$work/w$who.log")"
  [ "$(presses $other "$work/w$who.log")" -eq 0 ] ||
    fail "the other session's keys reached $who's window"
done
check_picture A "$work/a.txt" 640x480
check_picture G "$work/g.txt" 800x600
grep -o "dominant tone.*" "$work/a.log" | sed "s/^/A: /"
grep -o "dominant tone.*" "$work/g.log" | sed "s/^/G: /"
echo "mutter_sessions_test: ok"
