#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: udp_abuse_test.sh HOST_BIN CLIENT_BIN GS_PROBE_BIN [PACKETS]
# A punktfunk/1 and a GameStream session stream the synthetic source (barcodes checked) while a
# neighbour sends junk at every UDP port the host listens on (tools/stress/udp_noise.py): PACKETS
# (default 20000) random datagrams each to the GameStream video, control and audio ports and the
# punktfunk/1 QUIC and video ports, and as many ENet CONNECTs with random connect data to the
# control port, from 500 source ports over 5 s. Both streams must keep every picture right, at
# least 90 % of their frame rate and no gap over 1 s; the host must still take a new session
# after it, and say at shutdown what it dropped.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
packets=${4:-20000}
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
pid=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "udp_abuse_test: $*" >&2
  for f in native gs noise; do echo "--- $f"; tail -12 "$work/$f.log"; done >&2
  echo "--- host log (last 40 lines)" >&2
  tail -40 "$work/host.log" >&2
  exit 1
}
source "$here/harness.sh"
arm_watchdog 110
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
start_synthetic_host udp-abuse
pair_both_clients

seconds=10 mode=640x480@60
"$client" --state-dir "$work/client" stream udp-abuse --mode "$mode" --headless --check-barcode \
  --seconds "$seconds" >"$work/native.log" 2>&1 &
native=$!
"${g[@]}" stream --mode "$mode" --seconds "$seconds" --check-barcode >"$work/gs.log" 2>&1 &
gs=$!
pids+=("$native" "$gs")
sleep 2
python3 "$here/../../tools/stress/udp_noise.py" --port $((port + 9)) --port $((port + 10)) \
  --port $((port + 11)) --port "$nport" --port "$vport" --enet-port $((port + 10)) \
  --packets "$packets" --sources 500 --seconds 5 >"$work/noise.log" 2>&1 || fail "udp_noise.py failed"
set +e
wait "$native"
native_rc=$?
wait "$gs"
gs_rc=$?
set -e
cat "$work/noise.log"
grep -E "^video:|^barcode:" "$work/native.log" | grep -v "decoding with" || true
grep -E "^video:|^loss:|^gaps:|^barcode:" "$work/gs.log" || true
kill -0 "$pid" 2>/dev/null || fail "the host died"
[ "$native_rc" = 0 ] || fail "the punktfunk/1 client ended with status $native_rc"
[ "$gs_rc" = 0 ] || fail "the GameStream client ended with status $gs_rc"
want=$((seconds * ${mode##*@} * 90 / 100))
n_frames=$(sed -n 's/^video: \([0-9]*\) frames decoded.*/\1/p' "$work/native.log")
g_frames=$(sed -n 's/^barcode: \([0-9]*\) match.*/\1/p' "$work/gs.log")
((n_frames >= want)) || fail "punktfunk/1 decoded $n_frames frames (want >= $want)"
((g_frames >= want)) || fail "GameStream decoded $g_frames frames (want >= $want)"
grep -q "^barcode: [1-9][0-9]* match, 0 wrong, 0 unreadable" "$work/native.log" || fail "punktfunk/1 pictures"
grep -q "^barcode: [1-9][0-9]* match, 0 wrong, 0 unreadable" "$work/gs.log" || fail "GameStream pictures"
n_gap=$(sed -n 's/.*longest gap between pictures \([0-9]*\) ms.*/\1/p' "$work/native.log")
g_gap=$(sed -n 's/^gaps: the longest between two frames \([0-9]*\) ms.*/\1/p' "$work/gs.log")
((n_gap < 1000 && g_gap < 1000)) || fail "a stall: punktfunk/1 $n_gap ms, GameStream $g_gap ms"
# Afterwards: a new session on each protocol.
"$client" --state-dir "$work/client" stream udp-abuse --mode 640x480@30 --headless --frames 5 \
  --seconds 10 >"$work/after.log" 2>&1 || fail "no punktfunk/1 session after the noise: $(cat "$work/after.log")"
"${g[@]}" stream --mode 640x480@30 --frames 5 --seconds 10 >"$work/after-gs.log" 2>&1 ||
  fail "no GameStream session after the noise: $(cat "$work/after-gs.log")"
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
grep -E "control stream: dropped [1-9][0-9]* ENet CONNECTs" "$work/host.log" ||
  fail "the host did not count the ENet CONNECTs it dropped"
echo "udp_abuse_test: ok"
