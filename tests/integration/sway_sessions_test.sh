#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: sway_sessions_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/gs-probe
# The sessions test reduced to two sessions on the sway backend: one headless sway (as "nobody"
# when run as root) and a private PipeWire; a punktfunk/1 client at 640x480 and a GameStream client
# at 800x600 stream at once, each from a headless output of its own. Each output gets a background
# colour of its own, and each client's decoded pictures show its own colour at its own size; a tone
# of its own played into each session's sink is heard only by its client. Not checked here: typing
# per session — sway's virtual keyboards join its one seat, whose keyboard focus the sessions share
# (docs/linux-setup.md).
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
work=$(mktemp -d)
chmod 755 "$work"
pids=()
services=()
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[i]}"; done
  [ -n "${sway_pid:-}" ] && { kill -- -"$sway_pid" 2>/dev/null || true; }
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop "${services[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "sway_sessions_test: $*" >&2; cat "$work/host.log" >&2 || true; exit 1; }

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
"$client" --state-dir "$work/A" stream sway-sessions --mode 640x480@30 --headless --seconds 30 \
  --dump-hashes "$work/a.txt" --type aaa --type-after 10 --expect-tone 440 >"$work/a.log" 2>&1 &
a_pid=$!
pids+=("$a_pid")
"$probe" --port "$port" --identity "$work/G" stream --mode 800x600@30 --seconds 24 \
  --dump-hashes "$work/g.txt" --type ggg --type-after 10 --expect-tone 880 >"$work/g.log" 2>&1 &
g_pid=$!
pids+=("$g_pid")
oa="" og=""
for _ in $(seq 300); do
  oa=$(field_of punktfunk/1 display); og=$(field_of gamestream display)
  [ -n "$oa" ] && [ -n "$og" ] && break
  sleep 0.1
done
[ -n "$oa" ] && [ -n "$og" ] || fail "no two sessions: $(sessions)"
oa=${oa#wayland:} og=${og#wayland:}
[ "$oa" != "$og" ] || fail "both sessions on $oa"
echo "A on $oa, G on $og"
declare -A colour=([A]=ff0000 [G]=00ff00) output=([A]=$oa [G]=$og) tone=([A]=440 [G]=880)
for who in A G; do
  swaymsg output "${output[$who]}" bg "#${colour[$who]}" solid_color >/dev/null
done
# A key watcher on each output, opened there with the focus on it (both clients type 10 s in).
for who in A G; do
  swaymsg focus output "${output[$who]}" >/dev/null
  stdbuf -oL wev >"$work/w$who.log" 2>/dev/null &
  watcher=$!
  pids+=("$watcher")
  for _ in $(seq 100); do grep -q "xdg_toplevel] configure" "$work/w$who.log" && break; sleep 0.05; done
  on=$(swaymsg -t get_tree | python3 -c "
import json, sys
def walk(n, out):
    if n.get('type') == 'output': out = n['name']
    if n.get('pid') == $watcher: print(out)
    for c in n.get('nodes', []) + n.get('floating_nodes', []): walk(c, out)
walk(json.load(sys.stdin), '')")
  [ "$on" = "${output[$who]}" ] || fail "$who's watcher opened on '$on', not ${output[$who]}"
done
# The players stand in for the sessions' apps: stopped when their session ends.
declare -A player
for who in A G; do
  sox -n -r 48000 -c 2 -b 16 "$work/$who.wav" synth 40 sine "${tone[$who]}" vol 0.5
  pw-play --target "punktfunk-$(field_of $([ $who = A ] && echo punktfunk/1 || echo gamestream) id)" \
    "$work/$who.wav" >/dev/null 2>&1 &
  player[$who]=$!
  pids+=($!)
done
wait "$g_pid" || fail "G (exit $?): $(cat "$work/g.log")"
kill "${player[G]}"
wait "$a_pid" || fail "A: $(cat "$work/a.log")"

# Keys pressed with text $1 in wev's log $2, by serial (wev may print each event twice).
presses() {
  awk -v t="utf8: '$1'" '/wl_keyboard\] key: serial:/ { s = $5; p = /state: 1/ }
    p && index($0, t) { seen[s] = 1 } END { print length(seen) }' "$2"
}
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
