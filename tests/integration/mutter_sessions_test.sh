#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: mutter_sessions_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/gs-probe
#                                PATH/TO/pf-sdl-watch
# The sessions test reduced to two sessions on Mutter (backend mutter-headless: the host starts a
# `mutter --headless` on a D-Bus of its own per session), with a private PipeWire; a punktfunk/1
# client at 640x480 and a GameStream client at 800x600 stream at once, each from its own Mutter.
# A full-screen SDL2 window of its own colour on each session's Mutter: each client's decoded
# pictures show its own colour at its own size; the keys each client types reach only its own
# window; a tone of its own played into each session's sink is heard only by its client. G's Mutter
# is killed: only G's session ends (G is told), A streams on; each session's Mutter, bus and
# Wayland socket go with it.
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
# Each client types (SIGUSR1). Once their keys are in and their windows have been on for three
# seconds, G's Mutter dies (kill -9): its session ends, G is told, A streams on; then A ends (as
# Ctrl+C would).
kill -USR1 "$a_pid" "$g_pid"
presses() { grep -c "^key $1\$" "$2" || true; }
for _ in $(seq 200); do
  [ "$(presses A "$work/wA.log")" -ge 3 ] && [ "$(presses G "$work/wG.log")" -ge 3 ] && break
  sleep 0.1
done
sleep 3
mutter_of() { pgrep -f -- "--wayland-display ${socket[$1]}\$" || true; }
[ "$(pgrep -P "$host_pid" -x dbus-daemon | wc -l)" -eq 2 ] ||
  fail "not one bus per session: $(pgrep -aP "$host_pid")"
kill "${window[G]}"  # its app would crash with its compositor (SDL does)
kill -9 "$(mutter_of G)"
set +e
wait "$g_pid"
rc=$?
set -e
grep -q "host ended the stream: 0x80030024" "$work/g.log" ||
  fail "G was not told that its display died (exit $rc): $(cat "$work/g.log")"
kill "${player[G]}"
for _ in $(seq 50); do [ -z "$(field_of gamestream id)" ] && break; sleep 0.1; done
[ -z "$(field_of gamestream id)" ] || fail "G's session outlived its Mutter: $(sessions)"
# (the session object, and with it the bus, goes when its stream thread lets go of it)
for _ in $(seq 50); do [ "$(pgrep -P "$host_pid" -x dbus-daemon | wc -l)" -eq 1 ] && break; sleep 0.1; done
[ "$(pgrep -P "$host_pid" -x dbus-daemon | wc -l)" -eq 1 ] ||
  fail "G's bus outlived its session: $(pgrep -aP "$host_pid")"
[ -n "$(mutter_of A)" ] || fail "A's Mutter went with G's"
before=$(field_of punktfunk/1 frames)
sleep 1
[ "$(field_of punktfunk/1 frames)" -gt $((before + 15)) ] || fail "A stopped when G's Mutter died"
kill "${window[A]}"
kill -TERM "$a_pid"
wait "$a_pid" || fail "A: $(cat "$work/a.log")"
# A quit: its Mutter, its bus and its Wayland socket go with its session.
for _ in $(seq 50); do [ -z "$(mutter_of A)" ] && break; sleep 0.1; done
[ -z "$(mutter_of A)" ] || fail "A's Mutter outlived its session"
[ ! -e "$XDG_RUNTIME_DIR/${socket[A]}" ] || fail "A's Wayland socket was left behind"
[ "$(pgrep -P "$host_pid" -x dbus-daemon | wc -l)" -eq 0 ] || fail "A's bus outlived its session"

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
grep -Eq "dominant tone 880 Hz, ([3-9][0-9]|[0-9]{3,})\." "$work/g.log" ||
  fail "G did not hear its own tone: $(grep audio: "$work/g.log")"
echo "mutter_sessions_test: ok"
