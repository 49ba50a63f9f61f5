#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: native_cli_test.sh PATH/TO/punktfunk-host PATH/TO/punktfunk-client PATH/TO/pf-xkey-watch
# punktfunk/1 pairing and sessions between the real programs on 127.0.0.1:
# a wrong PIN fails and burns the PIN, `punktfunk-host pair` + `punktfunk-client
# pair` pair, the host lists the device, a session starts without a PIN and
# its clock sync works, text typed by the client reaches an X client (pf-xkey-watch) on
# the session's display, a client killed with SIGKILL is timed out by the host
# (and a client whose host was killed times out too),
# an unpaired identity is refused, and unpairing on the host refuses the next
# session.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
watch=$(realpath "$3")
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "native_cli_test: $*" >&2; cat "$work/host.log" >&2; exit 1; }
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" --no-mdns --name native-test \
  >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q "punktfunk/1 on UDP" "$work/host.log" && break
  sleep 0.1
done
grep -q "pair one with" "$work/host.log" || sleep 0.5
c() { "$client" --state-dir "$work/client" "$@"; }

# A wrong PIN: refused, and the PIN is spent.
pin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
[ ${#pin} -eq 6 ] || fail "no PIN from punktfunk-host pair"
wrong=$([ "$pin" = 000000 ] && echo 000001 || echo 000000)
set +e
out=$(c pair "127.0.0.1:$nport" --pin "$wrong" 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && grep -q "wrong PIN" <<<"$out" || fail "wrong PIN: rc=$rc '$out'"
set +e
out=$(c pair "127.0.0.1:$nport" --pin "$pin" 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && grep -q "no pairing PIN" <<<"$out" || fail "burned PIN: rc=$rc '$out'"

# The right PIN pairs; both sides list each other.
pin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
c pair "127.0.0.1:$nport" --pin "$pin" --name "Test Laptop" | grep -q "paired with 'native-test'" \
  || fail "pairing"
"$host" devices list | grep -q "Test Laptop" || fail "host does not list the device"
c list | grep -q "native-test" || fail "client does not list the host"
[ "$(stat -c %a "$work/client/native-key.pem")" = 600 ] || fail "client key is not 0600"
[ "$(stat -c %a "$work/state/punktfunk/native-key.pem")" = 600 ] || fail "host key is not 0600"

# A session without a PIN, by name: negotiation and clock sync.
out=$(c stream native-test --no-video --mode 640x480@30 --seconds 1 2>&1) || fail "session: $out"
grep -q "640x480@30.00" <<<"$out" || fail "no Welcome: $out"
grep -Eq "clock offset [+-]0\.[0-9]+ ms, rtt [0-9.]+ ms \(([89]|[1-9][0-9]+) probes\)" <<<"$out" \
  || fail "clock sync: $out"
# The mic test tone flows as datagrams (no PipeWire here: the host counts and drops them).
out=$(c stream native-test --no-video --mode 640x480@30 --seconds 1 --mic-test 2>&1) || fail "mic test: $out"
grep -Eq "mic: ([5-9][0-9]|[1-9][0-9]{2,}) packets sent" <<<"$out" || fail "mic test: $out"
# A real microphone through SDL capture (SDL's disk driver reads a 440 Hz file).
sox -n -r 48000 -c 1 -b 32 -e floating-point -t raw "$work/mic.raw" synth 3 sine 440
out=$(SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILEIN="$work/mic.raw" SDL_DISKAUDIOFILE=/dev/null \
  c stream native-test --no-video --mode 640x480@30 --seconds 1 --mic 2>&1) || fail "mic: $out"
grep -q "mic: sending the default capture device" <<<"$out" \
  && grep -Eq "mic: ([5-9][0-9]|[1-9][0-9]{2,}) packets sent" <<<"$out" || fail "mic: $out"
grep -q "session .* ended (reason 0)" "$work/host.log" || sleep 0.5
grep -q "session .* ended (reason 0)" "$work/host.log" || fail "the host did not see the Bye"

# Input: text typed by the client reaches an X client on the session's display.
"$client" --state-dir "$work/client" stream native-test --no-video --mode 640x480@30 --seconds 4 \
  --type-after 2 --type "hi€" >"$work/typed.log" 2>&1 &
cpid=$!
display=""
for _ in $(seq 50); do
  display=$(grep -o "display :[0-9]*" "$work/host.log" | tail -1 | cut -d' ' -f2)
  [ -n "$display" ] && grep -q "^session" "$work/typed.log" && break
  sleep 0.1
done
[ -n "$display" ] || fail "no session display in the host log"
"$watch" "$display" >"$work/keys.log" 2>&1 &
xpid=$!
for _ in $(seq 50); do grep -q "^ready" "$work/keys.log" && break; sleep 0.05; done
grep -q "^ready" "$work/keys.log" || fail "pf-xkey-watch is not ready: $(cat "$work/keys.log")"
grep -q "inputs sent" "$work/typed.log" && fail "the typing session ended before pf-xkey-watch was ready"
wait "$cpid" || fail "typing session: $(cat "$work/typed.log")"
kill "$xpid" 2>/dev/null || true
want=$'keysym 0x68 h\nkeysym 0x69 i\nkeysym 0x10020ac U20AC'
[ "$(grep ^keysym "$work/keys.log")" = "$want" ] \
  || fail "typed text did not reach the display: $(cat "$work/keys.log")"

# The management API lists the live session and ends it; the client is told why.
api="https://127.0.0.1:$((port + 7))/api/v1"
auth="Authorization: Bearer $("$host" token)"
"$client" --state-dir "$work/client" stream native-test --no-video --mode 640x480@30 \
  --seconds 20 >"$work/kicked.log" 2>&1 &
cpid=$!
sessions=""
for _ in $(seq 150); do
  # Listed from its start; streaming (with its statistics) a moment later.
  sessions=$(curl -skf -H "$auth" "$api/sessions") && grep -q '"client":"Test Laptop"' <<<"$sessions" &&
    grep -q '"rtt_ms":' <<<"$sessions" && break
  sleep 0.1
done
grep -q '"protocol":"punktfunk/1"' <<<"$sessions" && grep -q '"width":640' <<<"$sessions" \
  && grep -q '"rtt_ms":' <<<"$sessions" && grep -q '"loss_percent":' <<<"$sessions" \
  || fail "API sessions: $sessions"
# Every GET answer of the real host, with a live session, against the spec's schemas.
"${PF_OPENAPI_CHECK:?run by ctest (it sets PF_OPENAPI_CHECK and PF_OPENAPI_SPEC)}" \
  "$PF_OPENAPI_SPEC" "$((port + 7))" "$("$host" token)" >"$work/openapi.log" 2>&1 \
  || fail "answers do not match docs/api/openapi.yaml: $(cat "$work/openapi.log")"
"$(dirname "$host")/punktfunk-ctl" --port "$((port + 7))" sessions >"$work/ctl.log" 2>&1
grep -Eq "punktfunk/1 +Test Laptop +640x480" "$work/ctl.log" || fail "ctl sessions: $(cat "$work/ctl.log")"
sid=$(sed -n 's/.*"id":"\([0-9a-f]\{8\}\)".*/\1/p' <<<"$sessions")
[ "$(curl -sk -o /dev/null -w '%{http_code}' -X DELETE -H "$auth" "$api/sessions/ffffffff")" = 404 ] \
  || fail "ending an unknown session"
curl -skf -X DELETE -H "$auth" "$api/sessions/$sid" | grep -q '"ended":true' || fail "API end session"
wait "$cpid" || true
grep -q "administrator ended the session" "$work/kicked.log" \
  || fail "the client was not told: $(cat "$work/kicked.log")"
curl -skf -H "$auth" "$api/doctor" | grep -q '"backend":"x264"' || fail "API doctor"

# SIGKILL: the host notices the silence (reason 4) after 10 s and keeps the
# session for a resume (it lingers, listed as such).
"$client" --state-dir "$work/client" stream native-test --no-video --mode 640x480@30 >"$work/killed.log" 2>&1 &
cpid=$!
for _ in $(seq 50); do grep -q "^session" "$work/killed.log" && break; sleep 0.1; done
kill -9 "$cpid"
wait "$cpid" 2>/dev/null || true
for _ in $(seq 150); do grep -q "timed out; session [0-9a-f]* is kept" "$work/host.log" && break; sleep 0.1; done
grep -q "timed out; session [0-9a-f]* is kept" "$work/host.log" || fail "no timeout after SIGKILL"
curl -skf -H "$auth" "$api/sessions" | grep -q '"state":"lingering"' || fail "the session does not linger"

# Another identity (same host entry, new key) is refused.
mkdir -p "$work/other"
cp "$work/client/hosts.json" "$work/other/"
set +e
out=$("$client" --state-dir "$work/other" stream native-test --no-video --seconds 1 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && grep -q "not paired" <<<"$out" || fail "unknown identity: rc=$rc '$out'"

# Unpairing on the host refuses the next session.
"$host" devices remove "Test Laptop" | grep -q "ok unpaired 1" || fail "devices remove"
set +e
out=$(c stream native-test --no-video --seconds 1 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && grep -q "not paired" <<<"$out" || fail "unpaired client: rc=$rc '$out'"

kill -INT "$pid"
wait "$pid"; rc=$?
pid=""
[ $rc -eq 0 ] || fail "exit status $rc after SIGINT"

# The host vanishes (SIGKILL) mid-session: the client notices the silence (reason 4) and exits.
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" \
  --native-source synthetic --no-mdns --name native-test >"$work/host2.log" 2>&1 &
pid=$!
pin=""
for _ in $(seq 100); do
  pin=$("$host" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$pin" ] && break
  sleep 0.1
done
c pair "127.0.0.1:$nport" --pin "$pin" >/dev/null || fail "pairing again"
"$client" --state-dir "$work/client" stream native-test --no-video >"$work/orphan.log" 2>&1 &
cpid=$!
for _ in $(seq 50); do grep -q "^session" "$work/orphan.log" && break; sleep 0.1; done
kill -9 "$pid"
pid=""
set +e
timeout 20 tail --pid="$cpid" -f /dev/null
wait "$cpid"
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "session ended by the host or network: .*(reason 4)" "$work/orphan.log" \
  || fail "client after the host vanished: rc=$rc $(cat "$work/orphan.log")"
echo "native_cli_test: ok"
