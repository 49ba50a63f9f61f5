#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: sessions_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/gs-probe
#                         PATH/TO/pf-xkey-watch
# Four clients at once on one host (Xvfb backend, --max-sessions 4, --session-linger 3), with a
# private PipeWire, each on a display of its own:
# - two punktfunk/1 clients (two identities) at 640x480 and 800x600 and two GameStream clients
#   (the Moonlight-style probe, two identities) at 1024x768 and 1280x720 stream at the same time;
#   each display is painted a colour of its own by an X client on it, and each client's decoded
#   pictures show its own colour at its own size; text typed by each client reaches only its own
#   display; a tone of its own is played into each session's PipeWire sink and each client hears
#   only its own (Goertzel, 30 dB above anything else);
# - a fifth client is refused as "host busy" over both protocols;
# - one session ended through the management API ends only that one: the other three stream on;
# - the GameStream clients stop without quitting: their sessions linger, then are reaped;
# - a punktfunk/1 client killed with SIGKILL: its session is kept, then reaped;
# and in the end no display server, app, session, PipeWire sink or descriptor is left.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
watch=$(realpath "$4")
work=$(mktemp -d)
pid=""
pids=()
services=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do kill "${services[i]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "sessions_test: $*" >&2
  echo "--- host log" >&2
  cat "$work/host.log" >&2
  exit 1
}
source "$(dirname "$(realpath "$0")")/harness.sh"
arm_watchdog 225
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"

# A private D-Bus and PipeWire (the host makes each session's sink in it).
source "$(dirname "$(realpath "$0")")/services.sh"
source "$(dirname "$(realpath "$0")")/pictures.sh"
start_private_pipewire
pw_sinks() { pw-cli ls Node 2>/dev/null | grep -o 'node.name = "punktfunk-[0-9a-f]\{8\}"' || true; }

source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
mport=$((port + 7))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$mport" --no-mdns \
  --name sessions-test --max-sessions 4 --session-linger 3 >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
api="https://127.0.0.1:$mport/api/v1"
auth="Authorization: Bearer $("$host" token)"
sessions() { curl -skf --max-time 10 -H "$auth" "$api/sessions"; }
host_xvfbs() { pgrep -P "$pid" Xvfb || true; }
host_fds() { ls "/proc/$pid/fd" | wc -l; }
c() { local who=$1; shift; "$client" --state-dir "$work/$who" "$@"; }
pair_native() {
  local pin
  pin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
  c "$1" pair "127.0.0.1:$nport" --pin "$pin" --name "$1" >/dev/null || fail "pairing $1"
}
pair_gs() {
  "$probe" --port "$port" --identity "$work/$1" pair --pin 4321 >"$work/$1-pair.log" 2>&1 &
  local p=$!
  for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
  wait "$p" || fail "pairing $1: $(cat "$work/$1-pair.log")"
  # Name the probe's device after its identity (the API lists it so).
  local id
  id=$(curl -skf --max-time 10 -H "$auth" "$api/gamestream-clients" | python3 -c "import json,sys; print(next(c['id'] for c in json.load(sys.stdin) if c['name']=='gs-probe'))")
  curl -skf --max-time 10 -X PATCH -H "$auth" -H 'Content-Type: application/json' -d "{\"name\":\"$1\"}" \
    "$api/gamestream-clients/$id" >/dev/null || fail "renaming $1"
}
pair_native A
pair_native B
pair_native C
pair_gs G
pair_gs H
pair_gs I
fds_before=$(host_fds)
# A session's field from the management API, by its client's name.
field_of() {
  sessions | python3 -c "import json,sys; print(next((s.get('$2','') for s in json.load(sys.stdin) if s['client']=='$1'), ''))"
}

echo "== four clients at once, two protocols, four modes"
"$client" --state-dir "$work/A" stream sessions-test --mode 640x480@30 --headless --seconds 120 \
  --dump-hashes "$work/a.txt" --type aaa --type-on-signal --expect-tone 440 >"$work/a.log" 2>&1 &
a_pid=$!
pids+=("$a_pid")
"$client" --state-dir "$work/B" stream sessions-test --mode 800x600@30 --headless --seconds 120 \
  --dump-hashes "$work/b.txt" --type bbb --type-on-signal --expect-tone 660 >"$work/b.log" 2>&1 &
b_pid=$!
pids+=("$b_pid")
gs_stream() {
  exec "$probe" --port "$port" --identity "$work/$1" stream --mode "$2" --seconds 120 --keep \
    --dump-hashes "$work/$1.txt" --type "$3" --type-on-signal --expect-tone "$4"
}
gs_stream G 1024x768@30 ggg 880 >"$work/g.log" 2>&1 &
g_pid=$!
pids+=("$g_pid")
gs_stream H 1280x720@30 hhh 1200 >"$work/h.log" 2>&1 &
h_pid=$!
pids+=("$h_pid")
declare -A display colour tone
colour=([A]=ff0000 [B]=0000ff [G]=00ff00 [H]=00ffff)
tone=([A]=440 [B]=660 [G]=880 [H]=1200)
# Each display's watcher starts as soon as its display is there; its client types (SIGUSR1) once
# the watcher is ready.
declare -A watching client_pid=([A]=$a_pid [B]=$b_pid [G]=$g_pid [H]=$h_pid)
for _ in $(seq 300); do  # up to 30 s on a loaded machine
  for who in A B G H; do
    [ -n "${watching[$who]:-}" ] && continue
    display[$who]=$(field_of $who display)
    [ -n "${display[$who]}" ] || continue
    "$watch" "${display[$who]}" "${colour[$who]}" >"$work/w$who.log" 2>&1 &
    pids+=("$!")
    watching[$who]=1
  done
  [ "${#watching[@]}" -eq 4 ] && break
  sleep 0.1
done
for who in A B G H; do
  [ -n "${display[$who]:-}" ] || fail "no session of $who: $(sessions)"
done
for who in A B G H; do
  for _ in $(seq 300); do grep -q "^ready" "$work/w$who.log" && break; sleep 0.1; done
  grep -q "^ready" "$work/w$who.log" || fail "$who's key watcher: $(cat "$work/w$who.log")"
  kill -USR1 "${client_pid[$who]}"
done
[ "$(printf '%s\n' "${display[@]}" | sort -u | wc -l)" -eq 4 ] || fail "shared displays: ${display[*]}"
# Each session has a sink of its own: a tone of its own into each (the players stand in for
# the sessions' apps, and are stopped when their session ends, as its app would be).
for _ in $(seq 150); do [ "$(pw_sinks | wc -l)" -ge 4 ] && break; sleep 0.1; done
[ "$(pw_sinks | wc -l)" -eq 4 ] || fail "expected four session sinks: $(pw_sinks)"
declare -A player
for who in A B G H; do
  sox -n -r 48000 -c 2 -b 16 "$work/$who.wav" synth 60 sine "${tone[$who]}" vol 0.5
  pw-play --target "punktfunk-$(field_of $who id)" "$work/$who.wav" >/dev/null 2>&1 &
  player[$who]=$!
  pids+=("$!")
done
list=$(sessions)
[ "$(grep -o '"protocol":"punktfunk/1"' <<<"$list" | wc -l)" -eq 2 ] || fail "sessions: $list"
[ "$(grep -o '"protocol":"gamestream"' <<<"$list" | wc -l)" -eq 2 ] || fail "sessions: $list"
[ "$(host_xvfbs | wc -l)" -eq 4 ] || fail "expected four displays: $(host_xvfbs)"

echo "== a fifth client is refused over both protocols"
set +e
out=$(c C stream sessions-test --mode 640x480@30 --headless --seconds 2 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "host busy" <<<"$out" || fail "punktfunk/1 fifth client: rc=$rc $out"
set +e
out=$("$probe" --port "$port" --identity "$work/I" stream --mode 640x480@30 --seconds 2 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "refused: 503 host busy" <<<"$out" || fail "GameStream fifth client: $out"
grep -q "host busy" "$work/host.log" || fail "the host did not log why"

echo "== ending B through the API leaves the other three streaming"
# Every display got its own client's keys.
for who in A B G H; do
  key=$(tr 'A-Z' 'a-z' <<<"$who")
  for _ in $(seq 300); do grep -q "keysym 0x[0-9a-f]* $key" "$work/w$who.log" && break; sleep 0.1; done
  grep -q "keysym 0x[0-9a-f]* $key" "$work/w$who.log" ||
    fail "$who's keys did not reach its display ${display[$who]} within 30 s; watcher: $(cat "$work/w$who.log"); client: $(tail -5 "$work/$(tr 'A-Z' 'a-z' <<<"$who").log")"
done
bid=$(field_of B id)
curl -skf --max-time 10 -X DELETE -H "$auth" "$api/sessions/$bid" | grep -q '"ended":true' || fail "end B"
kill "${player[B]}"
wait "$b_pid" || true
grep -q "administrator ended the session" "$work/b.log" || fail "B was not told: $(cat "$work/b.log")"
declare -A before
for who in A G H; do before[$who]=$(field_of $who frames); done
sleep 2
for who in A G H; do
  after=$(field_of $who frames)
  [ "$after" -gt $((${before[$who]:-0} + 30)) ] ||
    fail "$who stopped when B ended (${before[$who]} -> $after frames)"
done
sessions | grep -q '"client":"B"' && fail "B's session is still listed"
for who in A G H; do  # both protocols report the round trip and the loss of each session
  [ -n "$(field_of $who rtt_ms)" ] && [ -n "$(field_of $who loss_percent)" ] ||
    fail "$who's session has no RTT or loss: $(sessions)"
done

echo "== the GameStream clients left without quitting: their sessions linger, then are reaped"
kill -TERM "$g_pid" "$h_pid"  # as Ctrl+C would: --keep leaves without /cancel
wait "$g_pid" || fail "G (exit $?): $(cat "$work/g.log")"
wait "$h_pid" || fail "H (exit $?): $(cat "$work/h.log")"
for who in G H; do
  state=$(field_of $who state)
  [ "$state" = lingering ] || [ -z "$state" ] || fail "$who's session: $state"
done
# Lingering sessions keep their sinks (their apps play on into them, heard by nobody): a session
# lingering before and after a look at PipeWire's nodes must have had its sink in that look.
lingering() { sessions | python3 -c "import json,sys; [print(s['id']) for s in json.load(sys.stdin) if s['state']=='lingering']" | sort; }
before=$(lingering)
sinks=$(pw_sinks)
both=$(comm -12 <(echo "$before") <(lingering))
[ -n "$both" ] || echo "(the lingering sessions were reaped before their sinks could be looked at)"
for id in $both; do
  grep -q "punktfunk-$id" <<<"$sinks" || fail "lingering session $id has no sink: $sinks"
done
kill "${player[G]}" "${player[H]}"
for _ in $(seq 80); do sessions | grep -q '"protocol":"gamestream"' || break; sleep 0.1; done
! sessions | grep -q '"protocol":"gamestream"' || fail "the lingering sessions were not reaped"
grep -q "did not come back within 3 s" "$work/host.log" || fail "no reap logged"
[ "$(host_xvfbs | wc -l)" -eq 1 ] || fail "the reaped sessions' displays are still there"
kill -TERM "$a_pid"
wait "$a_pid" || fail "A: $(cat "$work/a.log")"

echo "== each client saw its own display, typed into it only, and heard its own tone only"
check_picture A "$work/a.txt" 640x480
check_picture B "$work/b.txt" 800x600
check_picture G "$work/G.txt" 1024x768
check_picture H "$work/H.txt" 1280x720
for who in A B G H; do
  key=$(tr 'A-Z' 'a-z' <<<"$who")
  grep -q "keysym 0x[0-9a-f]* $key" "$work/w$who.log" ||
    fail "$who's text did not reach its display: $(cat "$work/w$who.log")"
  for other in A B G H; do
    [ "$other" = "$who" ] && continue
    okey=$(tr 'A-Z' 'a-z' <<<"$other")
    ! grep -q "keysym 0x[0-9a-f]* $okey\$" "$work/w$who.log" || fail "$other's text reached $who's display"
  done
done
for who in A B; do
  grep -o "dominant tone.*" "$work/$(tr 'A-Z' 'a-z' <<<"$who").log" | sed "s/^/$who: /"
  grep -q "dominant tone ${tone[$who]} Hz" "$work/$(tr 'A-Z' 'a-z' <<<"$who").log" ||
    fail "$who did not hear its own tone: $(grep audio: "$work/$(tr 'A-Z' 'a-z' <<<"$who").log")"
done
for who in G H; do  # the probe exits with 4 unless its own tone dominates by 30 dB
  grep -o "dominant tone.*" "$work/$(tr 'A-Z' 'a-z' <<<"$who").log" | sed "s/^/$who: /"
done

echo "== a client killed with SIGKILL: its session is kept, then reaped"
"$client" --state-dir "$work/C" stream sessions-test --mode 640x480@30 --headless --seconds 30 \
  >"$work/c.log" 2>&1 &
c_pid=$!
for _ in $(seq 300); do sessions | grep -q '"client":"C"' && break; sleep 0.1; done
sleep 1
kill -9 "$c_pid"
for _ in $(seq 200); do grep -q "session [0-9a-f]* is kept for 3 s" "$work/host.log" && break; sleep 0.1; done
grep -q "session [0-9a-f]* is kept for 3 s" "$work/host.log" || fail "no linger after SIGKILL"
for _ in $(seq 80); do [ -z "$(host_xvfbs)" ] && break; sleep 0.1; done

echo "== nothing left: displays, sessions, sinks, descriptors"
[ -z "$(host_xvfbs)" ] || fail "displays left: $(host_xvfbs)"
[ "$(sessions)" = "[]" ] || fail "sessions left: $(sessions)"
for _ in $(seq 30); do [ -z "$(pw_sinks)" ] && break; sleep 0.1; done
[ -z "$(pw_sinks)" ] || fail "PipeWire sinks left: $(pw_sinks)"
fds_after=$(host_fds)
[ "$fds_after" -le "$fds_before" ] ||
  fail "descriptors: $fds_before before the sessions, $fds_after after: $(ls -l "/proc/$pid/fd")"
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
echo "sessions_test: ok"
