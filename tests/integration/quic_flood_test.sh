#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: quic_flood_test.sh HOST_BIN CLIENT_BIN
# 50,000 spoofed first Initials from 1,000 source ports (tools/stress/quic_initial_flood.py, a
# raw socket: needs root, else the test is skipped) at the host's punktfunk/1 port while a
# paired client connects: the client has its session within 1 s of starting, the flood got
# Retries and no connection, and the host still streams to the client.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
flood=$(dirname "$(realpath "$0")")/../../tools/stress/quic_initial_flood.py
[ "$(id -u)" = 0 ] || { echo "quic_flood_test: skipped (raw sockets need root)"; exit 77; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "quic_flood_test: $*" >&2; echo "--- host log" >&2; cat "$work/host.log" >&2; exit 1; }
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port 0 --no-mdns \
  --name flood-test --native-source synthetic >"$work/host.log" 2>&1 &
hpid=$!
pids+=("$hpid")
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
pin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
"$client" --state-dir "$work/client" pair "127.0.0.1:$nport" --pin "$pin" >/dev/null || fail "pairing"

python3 "$flood" --port "$nport" --packets 50000 --ports 1000 >"$work/flood.log" 2>&1 &
fpid=$!
pids+=("$fpid")
sleep 0.2  # well into the flood (it takes about a second)
t0=$(date +%s%N)
"$client" --state-dir "$work/client" stream flood-test --mode 640x480@30 --headless --frames 30 \
  --seconds 20 2>&1 | while IFS= read -r line; do
  case $line in session*) date +%s%N >"$work/t_session" ;; esac
  printf '%s\n' "$line" >>"$work/client.log"
done
wait "$fpid" || fail "flood: $(cat "$work/flood.log")"
cat "$work/flood.log"
[ -s "$work/t_session" ] || fail "no session under the flood: $(cat "$work/client.log")"
ms=$((($(cat "$work/t_session") - t0) / 1000000))
echo "quic_flood_test: the client had its session $ms ms after it started, during the flood"
grep -Eq "^video: (3[0-9]|[4-9][0-9]|[0-9]{3,}) frames decoded" "$work/client.log" ||
  fail "no stream: $(cat "$work/client.log")"
((ms < 1000)) || fail "the client needed $ms ms to connect during the flood"
kill -INT "$hpid"
wait "$hpid" || fail "host exit status $?"
pids=()
line=$(grep "QUIC address validation sent" "$work/host.log") || fail "no address validation figures"
echo "$line"
retries=$(sed -n 's/.*sent \([0-9]*\) Retries.*/\1/p' <<<"$line")
((retries >= 10000)) || fail "only $retries Retries for 50,000 Initials"
grep -q "refused 0 connections (table full) and 0 (per-address limit)" <<<"$line" ||
  fail "the flood took connection slots: $line"
echo "quic_flood_test: ok"
