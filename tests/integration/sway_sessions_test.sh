#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: sway_sessions_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/gs-probe
# The sessions test reduced to two sessions on the sway backend: one headless sway (as "nobody"
# when run as root) and a private PipeWire; a punktfunk/1 client at 640x480 and a GameStream client
# at 800x600 stream at once, each from a headless output of its own. Each output gets a background
# colour of its own, and each client's decoded pictures show its own colour at its own size; a tone
# of its own played into each session's sink is heard only by its client, and each client's keys
# reach a key watcher on its own output only (sway has one seat: the host moves the keyboard focus
# to a session's output before its key).
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
work=$(mktemp -d)
chmod 755 "$work"
pids=()
services=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[i]}"; done
  [ -n "${sway_pid:-}" ] && { kill -- -"$sway_pid" 2>/dev/null || true; }
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop "${services[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "$(realpath "$0")")/harness.sh"
fail() { fail_with_sessions_logs "$@"; }
arm_watchdog 165

source "$(dirname "$(realpath "$0")")/services.sh"
# The key watchers float small in a corner: the colour is checked a quarter into the picture.
start_headless_sway 'for_window [app_id="wev"] floating enable, resize set 100 60, move position 0 0'
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# A private D-Bus and PipeWire for the sessions' sinks.
start_private_pipewire

source "$(dirname "$(realpath "$0")")/two_sessions.sh"
start_sessions_host sway sway-sessions
pair_a_and_g

echo "== a punktfunk/1 and a GameStream client at once, each on its own sway output"
"$client" --state-dir "$work/A" stream sway-sessions --mode 640x480@30 --headless --seconds 120 \
  --dump-hashes "$work/a.txt" --type aaa --type-on-signal --expect-tone 440 >"$work/a.log" 2>&1 &
a_pid=$!
pids+=("$a_pid")
"$probe" --port "$port" --identity "$work/G" stream --mode 800x600@30 --seconds 120 \
  --dump-hashes "$work/g.txt" --type ggg --type-on-signal --expect-tone 880 >"$work/g.log" 2>&1 &
g_pid=$!
pids+=("$g_pid")
await_a_and_g
start_players
oa=${da#wayland:} og=${dg#wayland:}
[ "$oa" != "$og" ] || fail "both sessions on $oa"
echo "A on $oa, G on $og"
declare -A colour=([A]=ff0000 [G]=00ff00) output=([A]=$oa [G]=$og)
for who in A G; do
  swaymsg output "${output[$who]}" bg "#${colour[$who]}" solid_color >/dev/null
done
# A key watcher on each output, opened there with the focus on it; then its client types
# (SIGUSR1).
for who in A G; do
  swaymsg focus output "${output[$who]}" >/dev/null
  stdbuf -oL wev >"$work/w$who.log" 2>/dev/null &
  watcher=$!
  pids+=("$watcher")
  # Its keyboard focus, not only its window: a key before that would reach no one.
  for _ in $(seq 200); do grep -q "wl_keyboard\] enter" "$work/w$who.log" && break; sleep 0.05; done
  on=$(swaymsg -t get_tree | python3 -c "
import json, sys
def walk(n, out):
    if n.get('type') == 'output': out = n['name']
    if n.get('pid') == $watcher: print(out)
    for c in n.get('nodes', []) + n.get('floating_nodes', []): walk(c, out)
walk(json.load(sys.stdin), '')")
  [ "$on" = "${output[$who]}" ] || fail "$who's watcher opened on '$on', not ${output[$who]}"
done
# Keys pressed with text $1 in wev's log $2, by serial (wev may print each event twice).
presses() {
  awk -v t="utf8: '$1'" '/wl_keyboard\] key: serial:/ { s = $5; p = /state: 1/ }
    p && index($0, t) { seen[s] = 1 } END { print length(seen) }' "$2"
}
kill -USR1 "$a_pid" "$g_pid"
for _ in $(seq 200); do
  [ "$(presses a "$work/wA.log")" -ge 3 ] && [ "$(presses g "$work/wG.log")" -ge 3 ] && break
  sleep 0.1
done
# The clients end (as Ctrl+C would) once their keys are in: G first, A goes on alone.
kill -TERM "$g_pid"
wait "$g_pid" || fail "G (exit $?): $(cat "$work/g.log")"
kill "${player[G]}"
kill -TERM "$a_pid"
wait "$a_pid" || fail "A: $(cat "$work/a.log")"

echo "== each client saw its own output, typed into it only, and heard its own tone only"
for who in A G; do
  own=$(tr 'A-Z' 'a-z' <<<"$who")
  other=$([ $who = A ] && echo g || echo a)
  n=$(presses "$own" "$work/w$who.log")
  echo "$who typed $n keys into its output"
  [ "$n" -eq 3 ] || fail "$who's keys did not reach its output: $(tail -20 "$work/w$who.log")"
  [ "$(presses "$other" "$work/w$who.log")" -eq 0 ] ||
    fail "the other session's keys reached $who's output"
done
check_picture A "$work/a.txt" 640x480
check_picture G "$work/g.txt" 800x600
grep -o "dominant tone.*" "$work/a.log" | sed "s/^/A: /"
grep -o "dominant tone.*" "$work/g.log" | sed "s/^/G: /"
echo "sway_sessions_test: ok"
