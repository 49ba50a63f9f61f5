#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: web_page_test.sh PATH/TO/punktfunk-host PATH/TO/gs-probe
# The web page in a real browser: headless Chromium driven over WebDriver
# (Debian's chromium-driver, spoken with curl) loads the host's page with the
# token in the URL fragment, sees the Moonlight-style probe waiting to pair,
# types the PIN into the page's field and submits it; the probe's pairing
# completes and the paired client appears in the page's client list.
set -euo pipefail
host_bin=$(realpath "$1")
probe=$(realpath "$2")
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "web_page_test: $*" >&2
  echo "--- host log" >&2; cat "$work/host.log" >&2
  [ -f "$work/driver.log" ] && { echo "--- chromedriver log (tail)" >&2; tail -20 "$work/driver.log" >&2; }
  exit 1
}
for b in chromium chromedriver curl; do
  command -v "$b" >/dev/null || fail "$b is missing (scripts/install-deps.sh installs it)"
done
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
mport=$((port + 7)) dport=$((port + 8))
"$host_bin" --bind 127.0.0.1 --port "$port" --native-port "$((port + 2))" --mgmt-port "$mport" \
  --no-mdns --name web-test >"$work/host.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do grep -q "How to pair" "$work/host.log" && break; sleep 0.1; done
grep -q "How to pair" "$work/host.log" || fail "the host did not start"
url=$("$host_bin" --mgmt-port "$mport" token --url)

chromedriver --port="$dport" --allowed-ips=127.0.0.1 >"$work/driver.log" 2>&1 &
pids+=("$!")
wd="http://127.0.0.1:$dport"
for _ in $(seq 100); do curl -sf "$wd/status" >/dev/null 2>&1 && break; sleep 0.1; done
# wd METHOD PATH [JSON]: one WebDriver call; prints the answer.
wdc() { curl -s -X "$1" -H 'Content-Type: application/json' "$wd$2" ${3:+-d "$3"}; }
caps=$(cat <<JSON
{"capabilities": {"alwaysMatch": {"browserName": "chrome", "acceptInsecureCerts": true,
 "goog:chromeOptions": {"binary": "$(command -v chromium)", "args": ["--headless", "--no-sandbox",
 "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
 "--user-data-dir=$work/chrome"]}}}}
JSON
)
sid=$(wdc POST /session "$caps" | grep -o '"sessionId":"[^"]*"' | cut -d'"' -f4)
[ -n "$sid" ] || fail "no browser session: $(wdc POST /session "$caps")"
s="/session/$sid"
element() {  # element CSS -> its WebDriver id
  wdc POST "$s/element" "{\"using\": \"css selector\", \"value\": \"$1\"}" \
    | grep -o '"element-6066-11e4-a52e-4f735466cecf":"[^"]*"' | cut -d'"' -f4
}
text() { wdc GET "$s/element/$(element "$1")/text" | sed -n 's/^{"value":"\(.*\)"}$/\1/p'; }
# wait_text CSS WORDS SECONDS: until the element's text contains WORDS.
wait_text() {
  for _ in $(seq $(($3 * 5))); do
    text "$1" | grep -q "$2" && return 0
    sleep 0.2
  done
  fail "'$1' never showed '$2' (it shows: '$(text "$1")')"
}

wdc POST "$s/url" "{\"url\": \"$url\"}" >/dev/null
wait_text "#host-name" "web-test" 10
# The token left the address bar (it stays in the tab's sessionStorage).
wdc GET "$s/url" | grep -q "token=" && fail "the token is still in the address bar"

# A Moonlight-style client starts pairing and waits for its PIN.
"$probe" --port "$port" --identity "$work/probe" pair --pin 4321 >"$work/pair.log" 2>&1 &
pair_pid=$!
pids+=("$pair_pid")
wait_text "#gs-waiting" "is waiting: enter the PIN" 15
pin_field=$(element "#gs-pin")
wdc POST "$s/element/$pin_field/value" '{"text": "4321"}' >/dev/null
wdc POST "$s/element/$(element "#gs-pin-submit")/click" '{}' >/dev/null
wait_text "#gs-pin-result" "PIN handed over" 10
wait "$pair_pid" || fail "the probe's pairing failed: $(cat "$work/pair.log")"
wait_text "#clients" "gs-probe" 10
wait_text "#clients" "Moonlight" 1
# A wrong token shows the sign-in form, not data.
wdc POST "$s/url" "{\"url\": \"https://127.0.0.1:$mport/#token=$(printf '0%.0s' $(seq 64))\"}" >/dev/null
wait_text "#login-error" "not accepted" 10
wdc DELETE "$s" >/dev/null
echo "web_page_test: ok (paired through the page in headless $(chromium --version 2>/dev/null | head -1))"
