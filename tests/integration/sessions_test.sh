#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: sessions_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/gs-probe
#                         PATH/TO/pf-xkey-watch
# Several clients at once on one host (Xvfb backend, --max-sessions 3, --session-linger 3),
# each on a display of its own:
# - two punktfunk/1 clients (two identities) at 640x480 and 800x600 and a GameStream client
#   (the Moonlight-style probe) at 1024x768 stream at the same time; each display is painted a
#   colour of its own by an X client on it, and each client's decoded pictures show its own
#   colour at its own size; text typed by each punktfunk/1 client reaches only its own display;
# - a fourth client is refused as "host busy" over both protocols;
# - one session ended through the management API ends only that one;
# - the GameStream client stops without quitting: its session lingers, then is reaped;
# - a punktfunk/1 client killed with SIGKILL: its session is kept, then reaped;
# and in the end no display server, app or session is left.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
watch=$(realpath "$4")
work=$(mktemp -d)
pid=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "sessions_test: $*" >&2
  echo "--- host log" >&2
  cat "$work/host.log" >&2
  exit 1
}
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
port=$((20000 + RANDOM % 20000))
nport=$((port + 2))
mport=$((port + 7))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$mport" --no-mdns \
  --name sessions-test --max-sessions 3 --session-linger 3 >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
api="https://127.0.0.1:$mport/api/v1"
auth="Authorization: Bearer $("$host" token)"
sessions() { curl -skf -H "$auth" "$api/sessions"; }
host_xvfbs() { pgrep -P "$pid" Xvfb || true; }
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
}
pair_native A
pair_native B
pair_native C
pair_gs G
pair_gs H
# The display of a session, from the management API.
display_of() {
  sessions | python3 -c "import json,sys; print(next((s['display'] for s in json.load(sys.stdin) if s['client']=='$1'), ''))"
}

echo "== three clients at once, two protocols, three modes"
c A stream sessions-test --mode 640x480@30 --headless --seconds 26 --dump-hashes "$work/a.txt" \
  --type aaa --type-after 7 >"$work/a.log" 2>&1 &
a_pid=$!
pids+=("$a_pid")
c B stream sessions-test --mode 800x600@30 --headless --seconds 26 --dump-hashes "$work/b.txt" \
  --type bbb --type-after 7 >"$work/b.log" 2>&1 &
b_pid=$!
pids+=("$b_pid")
da="" db=""
for _ in $(seq 300); do  # up to 30 s on a loaded machine
  da=$(display_of A); db=$(display_of B)
  [ -n "$da" ] && [ -n "$db" ] && break
  sleep 0.1
done
[ -n "$da" ] && [ -n "$db" ] || fail "no two sessions: $(sessions)"
[ "$da" != "$db" ] || fail "A and B share display $da"
"$watch" "$da" ff0000 >"$work/wa.log" 2>&1 &
pids+=("$!")
"$watch" "$db" 0000ff >"$work/wb.log" 2>&1 &
pids+=("$!")
"$probe" --port "$port" --identity "$work/G" stream --mode 1024x768@30 --seconds 4 --keep \
  >"$work/g.log" 2>&1 || fail "GameStream client: $(cat "$work/g.log")"
grep -q "at 1024x768," "$work/g.log" || fail "GameStream stream: $(cat "$work/g.log")"
list=$(sessions)
[ "$(grep -o '"protocol":"punktfunk/1"' <<<"$list" | wc -l)" -eq 2 ] || fail "sessions: $list"
[ "$(grep -o '"protocol":"gamestream"' <<<"$list" | wc -l)" -eq 1 ] || fail "sessions: $list"
[ "$(host_xvfbs | wc -l)" -eq 3 ] || fail "expected three displays: $(host_xvfbs)"

echo "== a fourth client is refused over both protocols"
set +e
out=$(c C stream sessions-test --mode 640x480@30 --headless --seconds 2 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "host busy" <<<"$out" || fail "punktfunk/1 fourth client: rc=$rc $out"
set +e
out=$("$probe" --port "$port" --identity "$work/H" stream --mode 640x480@30 --seconds 2 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "refused: 503 host busy" <<<"$out" || fail "GameStream fourth client: $out"
grep -q "host busy" "$work/host.log" || fail "the host did not log why"

echo "== the GameStream client left without quitting: its session lingers, then is reaped"
grep -q '"client":"gs-probe".*"state":"lingering"\|"state":"lingering".*"client":"gs-probe"' \
  <<<"$(sessions | python3 -c 'import json,sys; [print(json.dumps(s,separators=(",",":"))) for s in json.load(sys.stdin)]')" \
  || fail "the GameStream session does not linger: $(sessions)"
for _ in $(seq 80); do sessions | grep -q '"protocol":"gamestream"' || break; sleep 0.1; done
! sessions | grep -q '"protocol":"gamestream"' || fail "the lingering session was not reaped"
grep -q "did not come back within 3 s" "$work/host.log" || fail "no reap logged"
[ "$(host_xvfbs | wc -l)" -eq 2 ] || fail "the reaped session's display is still there"

echo "== ending B through the API leaves A streaming"
sleep 4  # past the typing (7 s into the stream)
bid=$(sessions | python3 -c "import json,sys; print(next(s['id'] for s in json.load(sys.stdin) if s['client']=='B'))")
curl -skf -X DELETE -H "$auth" "$api/sessions/$bid" | grep -q '"ended":true' || fail "end B"
wait "$b_pid" || true
grep -q "administrator ended the session" "$work/b.log" || fail "B was not told: $(cat "$work/b.log")"
frames_of() {
  sessions | python3 -c "import json,sys; print(next((s.get('frames',0) for s in json.load(sys.stdin) if s['client']=='$1'), 0))"
}
before=$(frames_of A)
sleep 2
after=$(frames_of A)
[ "$after" -gt $((before + 30)) ] || fail "A stopped when B ended ($before -> $after frames)"
sessions | grep -q '"client":"B"' && fail "B's session is still listed"
wait "$a_pid" || fail "A: $(cat "$work/a.log")"

echo "== each client saw its own display"
last_a=$(tail -1 "$work/a.txt") last_b=$(tail -1 "$work/b.txt")
echo "A: $last_a"
echo "B: $last_b"
grep -Eq "^[0-9]+ 640x480 [0-9a-f]{16} " <<<"$last_a" || fail "A's size: $last_a"
grep -Eq "^[0-9]+ 800x600 [0-9a-f]{16} " <<<"$last_b" || fail "B's size: $last_b"
read -r _ _ _ yuv_a <<<"$last_a"
read -r _ _ _ yuv_b <<<"$(grep -E ' 800x600 ' "$work/b.txt" | tail -1)"
IFS=, read -r _ ua va <<<"$yuv_a"
IFS=, read -r _ ub vb <<<"$yuv_b"
[ "$va" -gt 200 ] && [ "$ua" -lt 128 ] || fail "A does not show its red display: $yuv_a; watcher: $(cat "$work/wa.log")"
[ "$ub" -gt 200 ] && [ "$vb" -lt 140 ] || fail "B does not show its blue display: $yuv_b"
grep -q "keysym 0x61 a" "$work/wa.log" || fail "A's text did not reach A's display: $(cat "$work/wa.log")"
grep -q "keysym 0x62 b" "$work/wb.log" || fail "B's text did not reach B's display: $(cat "$work/wb.log")"
! grep -q "keysym 0x62" "$work/wa.log" || fail "B's text reached A's display"
! grep -q "keysym 0x61" "$work/wb.log" || fail "A's text reached B's display"

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
[ -z "$(host_xvfbs)" ] || fail "displays left: $(host_xvfbs)"
[ "$(sessions)" = "[]" ] || fail "sessions left: $(sessions)"
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
echo "sessions_test: ok"
