#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: chroma444_test.sh PATH/TO/punktfunk-host PATH/TO/gs-probe PATH/TO/punktfunk-client PATH/TO/impair
# 4:4:4 chroma end to end on a default host (x264 High 4:4:4), both protocols streaming the
# synthetic source, whose 1-pixel red/blue checker (proto/native/chroma_checker.h) keeps its
# colours only if every pixel keeps its own chroma from capture to the decoded picture:
# 1. serverinfo offers H.264 and H.264 High 4:4:4 (ServerCodecModeSupport has 0x40001).
# 2. GameStream, as Moonlight with "YUV 4:4:4" on: the probe asks for it (the bit is set), gets
#    4:4:4 pictures through 5 % datagram loss, >= 120 of them, every barcode right, and the
#    checker intact in all but the few pictures after a keyframe (rate control settling).
# 3. The same without 4:4:4: the checker is gone from every picture (what 4:2:0 does to it).
# 4. punktfunk/1 with --chroma 444 (capability 0x4) through the impairment relay at 5 % loss:
#    granted, 150 frames, barcodes right, checker intact as in 2.
# (Refusals — 4:4:4 for a codec the host does not offer it for — are the protocol cores' unit
# tests: RtspSessionTest, NegotiationTest.)
set -euo pipefail
host_bin=$(realpath "$1")
probe=$(realpath "$2")
client=$(realpath "$3")
impair=$(realpath "$4")
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "chroma444_test: $*" >&2; echo "--- host log" >&2; cat "$work/host.log" >&2; exit 1; }
source "$(dirname "$(realpath "$0")")/harness.sh"
arm_watchdog 160
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2)) vport=$((port + 3)) rport=$((port + 4))
"$host_bin" --bind 127.0.0.1 --port "$port" --native-port "$nport" --native-video-port "$vport" \
  --native-source synthetic --gamestream-source synthetic --mgmt-port 0 --no-mdns \
  --name chroma-test >"$work/host.log" 2>&1 &
host_pid=$!
pids+=("$host_pid")
for _ in $(seq 100); do grep -q "How to pair" "$work/host.log" && break; sleep 0.1; done
info=$(curl -sf --max-time 10 "http://127.0.0.1:$port/serverinfo?uniqueid=0123456789ABCDEF&uuid=1") ||
  fail "no serverinfo"
modes=$(sed -n 's/.*<ServerCodecModeSupport>\([0-9]*\)<.*/\1/p' <<<"$info")
[ $(( ${modes:-0} & 0x40001 )) -eq $((0x40001)) ] || fail "serverinfo codec modes (want 0x40001): $info"

"$probe" --port "$port" --identity "$work/probe" pair --pin 4321 >"$work/pair.log" 2>&1 &
pair_pid=$!
ok=""
for _ in $(seq 100); do
  if "$host_bin" pin 4321 >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.1
done
[ -n "$ok" ] || fail "the host never waited for a PIN"
wait "$pair_pid" || fail "pairing failed: $(cat "$work/pair.log")"

# The checker's count from a "chroma checker: F pictures kept ..., L lost it" line: $1 = F or L.
checker() { sed -n "s/^chroma checker: \([0-9]*\) pictures kept every pixel's colour, \([0-9]*\) lost it.*/\\$1/p"; }

# 2. GameStream 4:4:4 through 5 % loss.
"$probe" --port "$port" --identity "$work/probe" stream --yuv444 --mode 640x480@30 --seconds 7 \
  --drop 20 --check-barcode >"$work/gs444.log" 2>&1 || fail "4:4:4 stream: $(cat "$work/gs444.log")"
cat "$work/gs444.log"
grep -q "^chroma: 4:4:4 asked for$" "$work/gs444.log" || fail "the probe did not ask for 4:4:4"
grep -q "video: streaming .* as h264 4:4:4 by libx264" "$work/host.log" || fail "the host did not encode 4:4:4"
decoded=$(sed -n 's/^decoded: \([0-9]*\) pictures (H.264), 0 decode errors$/\1/p' "$work/gs444.log")
[ "${decoded:-0}" -ge 120 ] || fail "only ${decoded:-0} pictures decoded without errors"
grep -q "^barcode: [0-9]* match, 0 wrong, 0 unreadable" "$work/gs444.log" || fail "barcodes"
grep -Eq "; ${decoded} pictures 4:4:4$" "$work/gs444.log" || fail "not every picture was 4:4:4"
full=$(checker 1 <"$work/gs444.log")
lost=$(checker 2 <"$work/gs444.log")
[ "${full:-0}" -ge 110 ] && [ "${lost:-99}" -le 10 ] ||
  fail "4:4:4 lost the checker's colours: ${full:-?} pictures kept them, ${lost:-?} lost them"

# 3. 4:2:0: the checker's colours are gone from every picture.
"$probe" --port "$port" --identity "$work/probe" stream --mode 640x480@30 --seconds 3 \
  --check-barcode >"$work/gs420.log" 2>&1 || fail "4:2:0 stream: $(cat "$work/gs420.log")"
grep -E "^chroma|^chroma checker" "$work/gs420.log"
grep -q "^chroma: 4:2:0 asked for$" "$work/gs420.log" || fail "4:2:0 not asked for"
[ "$(checker 1 <"$work/gs420.log")" = 0 ] && [ "$(checker 2 <"$work/gs420.log")" -ge 30 ] ||
  fail "4:2:0 kept the 1-pixel checker? $(grep '^chroma checker' "$work/gs420.log")"

# 4. punktfunk/1 with --chroma 444 through 5 % loss each way.
c() { "$client" --state-dir "$work/client" "$@"; }
npin=""
for _ in $(seq 50); do
  npin=$("$host_bin" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$npin" ] && break
  sleep 0.1
done
[ -n "$npin" ] || fail "no punktfunk/1 PIN"
c pair "127.0.0.1:$nport" --pin "$npin" >/dev/null || fail "punktfunk/1 pairing"
"$impair" --listen "127.0.0.1:$rport" --forward "127.0.0.1:$vport" --loss 5 >"$work/impair.log" 2>&1 &
pids+=($!)
sleep 0.2
out=$(c stream chroma-test --chroma 444 --mode 640x480@30 --headless --frames 150 --check-barcode \
  --seconds 40 --video-via "127.0.0.1:$rport" 2>&1) || fail "punktfunk/1 stream: $out"
echo "$out" | grep -E "^session|^video:|^barcode:|^chroma"
grep -q "^video: 4:4:4 chroma$" <<<"$out" || fail "4:4:4 not granted: $out"
grep -q "punktfunk/1 video .* h264 by libx264 .*, 4:4:4$" "$work/host.log" || fail "not 4:4:4 on the host"
grep -Eq "^video: (1[5-9][0-9]|[2-9][0-9]{2}) pictures with 4:4:4 chroma" <<<"$out" ||
  fail "the pictures are not 4:4:4: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "barcodes: $out"
full=$(checker 1 <<<"$out")
lost=$(checker 2 <<<"$out")
[ "${full:-0}" -ge 140 ] && [ "${lost:-99}" -le 10 ] ||
  fail "punktfunk/1 4:4:4 lost the checker's colours: ${full:-?} kept, ${lost:-?} lost"
kill -INT "$host_pid"
wait "$host_pid" || fail "host exit status $?"
echo "chroma444_test: ok"
