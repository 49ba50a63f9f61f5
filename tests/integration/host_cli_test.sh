#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: host_cli_test.sh PATH/TO/punktfunk-host
# The README's host as a user runs it, on 127.0.0.1 only: it starts, prints how
# to pair, answers /serverinfo, takes `pin` over its control socket (refusing
# it while no pairing waits), lists clients, refuses a second instance, and
# stops cleanly on SIGINT leaving no socket behind.
set -euo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
"$bin" --bind 127.0.0.1 --port "$port" --native-port "$((port + 2))" --mgmt-port "$((port + 7))" --no-mdns --name cli-test >"$work/out.log" 2>&1 &
pid=$!
reply=""
for _ in $(seq 100); do
  if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    printf 'GET /serverinfo?uniqueid=0123456789ABCDEF&uuid=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3
    reply=$(cat <&3)
    exec 3<&-
    break
  fi
  sleep 0.1
done
fail() { echo "host_cli_test: $*" >&2; cat "$work/out.log" >&2; exit 1; }
grep -q '<hostname>cli-test</hostname>' <<<"$reply" || fail "no serverinfo answer"
# (the banner follows once every service is up, which can be just after HTTP answers)
for _ in $(seq 50); do grep -q "How to pair" "$work/out.log" && break; sleep 0.1; done
grep -q "How to pair" "$work/out.log" || fail "no pairing instructions printed"
grep -q "media: encoder" "$work/out.log" || fail "no media summary printed"
set +e
out=$("$bin" pin 1234 2>&1); rc=$?
set -e
[ $rc -eq 1 ] && grep -q "no pairing is waiting" <<<"$out" || fail "pin without a waiting pairing: rc=$rc '$out'"
"$bin" pin 12 >/dev/null 2>&1 && fail "a 2-digit PIN was accepted"
"$bin" clients list | grep -q "no paired clients" || fail "clients list"
"$bin" devices list | grep -q "no paired punktfunk devices" || fail "devices list"
"$bin" pair | grep -Eq "^PIN [0-9]{6} " || fail "pair (punktfunk/1 PIN)"
grep -q "punktfunk/1 on UDP" "$work/out.log" || fail "punktfunk/1 not started"
# The management API: HTTPS on loopback, nothing without the token.
api="https://127.0.0.1:$((port + 7))/api/v1"
code=$(curl -sk -o /dev/null -w '%{http_code}' "$api/status")
[ "$code" = 401 ] || fail "API without token answered $code"
token=$("$bin" token)
[ ${#token} -eq 64 ] || fail "token '$token'"
curl -skf -H "Authorization: Bearer $token" "$api/status" | grep -q '"name":"cli-test"' \
  || fail "API status"
curl -skf -X POST -d '' -H "Authorization: Bearer $token" "$api/pairing/native-pin" \
  | grep -Eq '"pin":"[0-9]{6}"' || fail "API native PIN"
curl -skf -H "Authorization: Bearer $token" "$api/pairing" | grep -Eq '"native_pin":"[0-9]{6}"' \
  || fail "API pairing state"
# Every GET answer of the real host against the spec's schemas.
"${PF_OPENAPI_CHECK:?run by ctest (it sets PF_OPENAPI_CHECK and PF_OPENAPI_SPEC)}" \
  "$PF_OPENAPI_SPEC" "$((port + 7))" "$token" >"$work/openapi.log" 2>&1 \
  || fail "answers do not match docs/api/openapi.yaml: $(cat "$work/openapi.log")"
# The web page (no token needed to load it; no data in it) and punktfunk-ctl.
# (Outputs are captured before grep: `grep -q` stops reading at the first
# match, and a writer still writing would die of SIGPIPE under pipefail.)
page=$(curl -skf "https://127.0.0.1:$((port + 7))/") || fail "web page: curl"
grep -q '<title>punktfunk host</title>' <<<"$page" || fail "web page"
grep -q "Web page: https://127.0.0.1:$((port + 7))/" "$work/out.log" || fail "web page not announced"
ctl=$(dirname "$bin")/punktfunk-ctl
c() { "$ctl" --port "$((port + 7))" "$@"; }
c status | grep -q "^cli-test: punktfunk-host" || fail "ctl status: $(c status 2>&1)"
c sessions | grep -q "no sessions" || fail "ctl sessions"
c clients | grep -q "no paired clients" || fail "ctl clients"
c apps add "Steam" --command "steam -gamepadui" | grep -q "added 'Steam'" || fail "ctl apps add"
grep -Eq "title = ['\"]Steam['\"]" "$work/config/punktfunk/apps.toml" || fail "apps.toml not written"
app_id=$(c --json apps | sed -n 's/.*"id": \([0-9]*\),*$/\1/p' | tail -1)
c apps remove "$app_id" | grep -q "removed app" || fail "ctl apps remove $app_id"
c config set name=renamed | grep -q "applies at the host's next start" || fail "ctl config set"
grep -q '^name = "renamed"$' "$work/config/punktfunk/host.toml" || fail "host.toml not written"
c config set software-codecs=true | grep -q "applies at the host's next start" ||
  fail "ctl config set software-codecs"
grep -q '^software-codecs = true$' "$work/config/punktfunk/host.toml" || fail "software-codecs not written"
set +e
out=$(c config set nmae=x 2>&1); rc=$?
set -e
[ $rc -eq 1 ] && grep -q "did you mean 'name'" <<<"$out" || fail "ctl config typo: $out"
c config unset name >/dev/null && ! grep -q '^name' "$work/config/punktfunk/host.toml" \
  || fail "ctl config unset"
logs=$(c logs -n 200) && grep -q "apps: added 'Steam'" <<<"$logs" || fail "ctl logs"
doctor=$(c doctor) && grep -q "x264" <<<"$doctor" || fail "ctl doctor"
c pin --native | grep -Eq "^PIN [0-9]{6} " || fail "ctl pin --native"
# Another certificate than the host's: refused.
cp "$work/state/punktfunk/host-cert.pem" "$work/cert.keep"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/k.pem" -out "$work/state/punktfunk/host-cert.pem" \
  -subj /CN=impostor -days 1 2>/dev/null
set +e
out=$(c status 2>&1); rc=$?
set -e
cp "$work/cert.keep" "$work/state/punktfunk/host-cert.pem"
[ $rc -eq 1 ] && grep -q "not this user's punktfunk-host" <<<"$out" || fail "ctl pin check: $out"

set +e
timeout 10 "$bin" --bind 127.0.0.1 --port "$((port + 100))" --no-mdns >"$work/second.log" 2>&1
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "another punktfunk-host is running" "$work/second.log" || fail "second instance: rc=$rc"
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"; rc=$?
pid=""
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM"
# systemd's unit gives it 5 s (TimeoutStopSec); the goal is 2 s.
[ "$ms" -lt 2000 ] || fail "the host took $ms ms to stop after SIGTERM"
echo "host_cli_test: stopped $ms ms after SIGTERM"
[ ! -e "$work/run/punktfunk/control.sock" ] || fail "control socket left behind"

# State safety after an upgrade or damage: an unversioned (older) device list
# is upgraded and its original kept, a damaged client list is moved aside, and
# the other state files stay as they were. Logs go to "the journal": stderr is
# the file named by $JOURNAL_STREAM, so lines carry syslog priorities.
fp=$(printf 'ab%.0s' $(seq 32))
printf '{"peers":[{"fingerprint":"%s","name":"old-phone","address":"","paired_at":"2026-01-01T00:00:00Z"}]}\n' \
  "$fp" >"$work/state/punktfunk/native-clients.json"
printf '{"version": 1, "clients": [' >"$work/state/punktfunk/clients.json"
key_sum=$(sha256sum <"$work/state/punktfunk/host-key.pem")
touch "$work/journal.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$work/journal.log") \
  "$bin" --bind 127.0.0.1 --port "$port" --native-port "$((port + 2))" --mgmt-port 0 --no-mdns \
  2>>"$work/journal.log" >/dev/null &
pid=$!
for _ in $(seq 100); do grep -q "How to pair" "$work/journal.log" && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid" || fail "state run exit status $?"
pid=""
jfail() { fail "$* -- $(cat "$work/journal.log")"; }
grep -q '^<6>punktfunk-host' "$work/journal.log" || jfail "info lines lack <6>"
grep -q '^<3>.*clients.json (paired Moonlight clients) is damaged' "$work/journal.log" \
  || jfail "no error line about clients.json"
grep -Eq '^[0-9]{4}-' "$work/journal.log" && jfail "journal lines carry their own timestamps"
ls "$work/state/punktfunk/" | grep -q '^clients.json.damaged-' || jfail "clients.json not moved aside"
grep -q '"version": 1' "$work/state/punktfunk/native-clients.json" || jfail "device list not upgraded"
cmp -s "$work/state/punktfunk/native-clients.json.v0" - <<<"$(printf '{"peers":[{"fingerprint":"%s","name":"old-phone","address":"","paired_at":"2026-01-01T00:00:00Z"}]}' "$fp")" \
  || jfail "original device list not kept"
"$bin" devices list | grep -q "old-phone" || jfail "upgraded device list lost its device"
[ "$(sha256sum <"$work/state/punktfunk/host-key.pem")" = "$key_sum" ] || jfail "identity changed"
# A state file from a newer punktfunk stops the host and is left alone.
printf '{"version": 99, "clients": []}\n' >"$work/state/punktfunk/clients.json"
set +e
out=$(timeout 10 "$bin" --bind 127.0.0.1 --port "$port" --native-port 0 --mgmt-port 0 --no-mdns 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && grep -q "newer punktfunk" <<<"$out" || fail "newer state: rc=$rc '$out'"
grep -q '"version": 99' "$work/state/punktfunk/clients.json" || fail "newer state file was touched"
rm "$work/state/punktfunk/clients.json"

# host.toml: a typo stops the host with the line and a suggestion; a good file
# names the host; --set beats the file.
mkdir -p "$work/config/punktfunk"
printf 'port = %s\nnmae = "typo"\n' "$port" >"$work/config/punktfunk/host.toml"
set +e
out=$("$bin" --no-mdns 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && grep -q "host.toml:2: unknown key 'nmae' (did you mean 'name'?)" <<<"$out" \
  || fail "bad config: rc=$rc '$out'"
printf 'name = "from-file"\nbind = "127.0.0.1"\nport = %s\nnative-port = 0\nmgmt-port = 0\nmdns = false\n' \
  "$port" >"$work/config/punktfunk/host.toml"
for want in from-file from-set; do
  extra=()
  [ "$want" = from-set ] && extra=(--set name=from-set)
  "$bin" "${extra[@]}" >"$work/config.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "How to pair" "$work/config.log" && break; sleep 0.1; done
  grep -q "running as '$want'" "$work/config.log" || fail "config: $(cat "$work/config.log")"
  grep -q "mDNS is off" "$work/config.log" || fail "mdns = false ignored"
  kill -TERM "$pid"
  wait "$pid" || fail "config run exit status $?"
  pid=""
done
echo "host_cli_test: ok"
