# SPDX-License-Identifier: MIT OR Apache-2.0
# Sourced by the sessions tests: one host with the sessions API at hand, a punktfunk/1 client A and
# a GameStream client G paired with it, and check_picture (pictures.sh). Uses the test's $work,
# $host, $client, $probe, `pids` and fail().

# Starts the host on free ports with display backend $1 and name $2, waits until it listens and
# checks it picked the backend; sets host_pid, port, nport, mport, api and auth.
start_sessions_host() {
  source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/free_ports.sh"
  port=$(free_port_base)
  nport=$((port + 2))
  mport=$((port + 7))
  "$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$mport" \
    --display-backend "$1" --no-mdns --name "$2" >"$work/host.log" 2>&1 &
  host_pid=$!
  pids+=($!)
  for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
  grep -q "virtual displays: $1" "$work/host.log" || fail "the host did not pick $1"
  api="https://127.0.0.1:$mport/api/v1"
  auth="Authorization: Bearer $("$host" token)"
}
sessions() { curl -skf --max-time 10 -H "$auth" "$api/sessions"; }
# Field $2 of the session of protocol $1 (punktfunk/1 or gamestream), "" when there is none.
field_of() {
  sessions | python3 -c "import json,sys; print(next((s.get('$2','') for s in json.load(sys.stdin) if s['protocol']=='$1'), ''))"
}

# Waits up to 60 s for A's and G's sessions (clients started as $a_pid and $g_pid, logs a.log and
# g.log) to show their displays: sets da and dg; fails at once when either client has ended.
await_a_and_g() {
  local until=$((SECONDS + 60))
  while :; do
    da=$(field_of punktfunk/1 display) dg=$(field_of gamestream display)
    [ -n "$da" ] && [ -n "$dg" ] && return 0
    kill -0 "$a_pid" 2>/dev/null || fail "A ended before its session showed: $(cat "$work/a.log")"
    kill -0 "$g_pid" 2>/dev/null || fail "G ended before its session showed: $(cat "$work/g.log")"
    [ "$SECONDS" -lt "$until" ] || fail "no two sessions after 60 s: $(sessions)"
    sleep 0.1
  done
}

# A tone of its own into each session's sink, A 440 Hz and G 880 Hz (the players stand in for the
# sessions' apps): started as soon as both sinks are there (a player whose target is missing
# plays into the default sink); sets player[A] and player[G].
start_players() {
  local who id proto
  declare -gA player
  for who in A G; do
    proto=$([ $who = A ] && echo punktfunk/1 || echo gamestream)
    id=$(field_of $proto id)
    for _ in $(seq 100); do
      # Not `pw-cli | grep -q`: grep quits at the match, pw-cli dies of SIGPIPE and pipefail
      # counts the pipeline as failed.
      grep -q "node.name = \"punktfunk-$id\"" <<<"$(pw-cli ls Node 2>/dev/null)" && break
      sleep 0.1
    done
    grep -q "node.name = \"punktfunk-$id\"" <<<"$(pw-cli ls Node 2>/dev/null)" ||
      fail "$who's session $id has no sink: $(pw-cli ls Node 2>&1 | grep -E "node.name|media.class")"
    sox -n -r 48000 -c 2 -b 16 "$work/$who.wav" synth 60 sine "$([ $who = A ] && echo 440 || echo 880)" vol 0.5
    pw-play --target "punktfunk-$id" "$work/$who.wav" >"$work/play$who.log" 2>&1 &
    player[$who]=$!
    pids+=($!)
  done
}

# Pairs client A (punktfunk/1, state in $work/A) and G (gs-probe, identity in $work/G).
pair_a_and_g() {
  local pin p
  pin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
  "$client" --state-dir "$work/A" pair "127.0.0.1:$nport" --pin "$pin" --name A >/dev/null ||
    fail "pairing A"
  "$probe" --port "$port" --identity "$work/G" pair --pin 4321 >"$work/g-pair.log" 2>&1 &
  p=$!
  for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
  wait "$p" || fail "pairing G: $(cat "$work/g-pair.log")"
}

source "$(dirname "${BASH_SOURCE[0]}")/pictures.sh"
