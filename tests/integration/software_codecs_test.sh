#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: software_codecs_test.sh PATH/TO/punktfunk-host PATH/TO/gs-probe PATH/TO/punktfunk-client PATH/TO/impair
# HEVC from x265 and AV1 from libaom on both protocols, with a host started with
# --software-codecs (GameStream and punktfunk/1 streaming the synthetic source, so every decoded
# picture's frame-index barcode is checked):
# 1. GameStream, as a Moonlight client that decodes HEVC meets it: serverinfo
#    says so (ServerCodecModeSupport 0x2D0301: H.264, HEVC Main and Main10 (HDR, the synthetic
#    source), AV1 Main 8-bit and the
#    three codecs' 8-bit 4:4:4;
#    MaxLumaPixelsHEVC) and DESCRIBE too; the probe asks for HEVC, gets it with every 20th
#    video datagram dropped (5 %), and decodes >= 120 pictures of the mode it asked for.
# 2. GameStream AV1: a client that decodes AV1 and HEVC gets AV1 (moonlight-common-c's
#    preference), through the same 5 % loss: >= 120 pictures, every barcode right.
# 3. punktfunk/1: the host picks HEVC for a client that decodes both; through
#    the impairment relay with 5 % loss the client decodes 150 frames of the
#    synthetic source and every frame-index barcode is right.
# 4. punktfunk/1 AV1: a client that decodes only AV1 gets it (libaom, real
#    time), through the same 5 % loss: 150 frames, every barcode right.
# 5. punktfunk/1 10-bit (capability 0x2): HEVC Main10, 150 pictures of 10 bits through the same
#    loss, every barcode right; AV1 and H.264 asked for 10 bits stay 8 (libaom's 10-bit real-time
#    pictures are not reliable: see host.cpp).
# 6. HEVC and AV1 4:4:4 on both protocols, the checker's colours kept (chroma444_test for H.264).
# (The default host offering H.264 only is gs_probe_test's.)
set -euo pipefail
host_bin=$(realpath "$1")
probe=$(realpath "$2")
client=$(realpath "$3")
impair=$(realpath "$4")
work=$(mktemp -d)
pid=""
relay=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "$relay" ] && kill "$relay" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "software_codecs_test: $*" >&2; echo "--- host log" >&2; cat "$work/host.log" >&2; exit 1; }
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2)) vport=$((port + 3)) rport=$((port + 4))
"$host_bin" --bind 127.0.0.1 --port "$port" --native-port "$nport" --native-video-port "$vport" \
  --native-source synthetic --gamestream-source synthetic --mgmt-port 0 --no-mdns \
  --name hevc-test --software-codecs \
  >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "How to pair" "$work/host.log" && break; sleep 0.1; done
grep -q "video: HEVC offered, by libx265" "$work/host.log" || fail "HEVC not offered"
grep -q "video: AV1 offered, by libaom-av1" "$work/host.log" || fail "AV1 not offered"
info=$(curl -sf "http://127.0.0.1:$port/serverinfo?uniqueid=0123456789ABCDEF&uuid=1") ||
  fail "no serverinfo"
grep -q "<ServerCodecModeSupport>2949889</ServerCodecModeSupport>" <<<"$info" ||
  fail "serverinfo codec modes: $info"
grep -q "<MaxLumaPixelsHEVC>[1-9][0-9]*</MaxLumaPixelsHEVC>" <<<"$info" || fail "MaxLumaPixelsHEVC"

"$probe" --port "$port" --identity "$work/probe" pair --pin 4321 >"$work/pair.log" 2>&1 &
pair_pid=$!
ok=""
for _ in $(seq 100); do
  if "$host_bin" pin 4321 >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.1
done
[ -n "$ok" ] || fail "the host never waited for a PIN"
wait "$pair_pid" || fail "pairing failed: $(cat "$work/pair.log")"

"$probe" --port "$port" --identity "$work/probe" stream --hevc --mode 640x480@30 --seconds 6 \
  --drop 20 --dump-hashes "$work/hashes" --check-barcode --out "$work/probe.hevc" \
  >"$work/stream.log" 2>&1 ||
  fail "stream: $(cat "$work/stream.log")"
cat "$work/stream.log"
grep -q "^codec: HEVC$" "$work/stream.log" || fail "the stream is not HEVC"
grep -q "video: streaming .* as hevc by libx265" "$work/host.log" || fail "the host did not use x265"
frames=$(sed -n 's/^video: \([0-9]*\) frames.*/\1/p' "$work/stream.log")
decoded=$(sed -n 's/^decoded: \([0-9]*\) pictures (HEVC).*/\1/p' "$work/stream.log")
errors=$(sed -n 's/^decoded: .*, \([0-9]*\) decode errors$/\1/p' "$work/stream.log")
[ "${frames:-0}" -ge 120 ] || fail "only ${frames:-0} frames in 6 s"
[ "${decoded:-0}" -ge 120 ] || fail "only ${decoded:-0} HEVC pictures decoded"
[ "${errors:-1}" -eq 0 ] || fail "$errors decode errors"
# Every picture at the mode asked for.
! grep -v " 640x480 " "$work/hashes" | grep -q . || fail "pictures of another size"
grep -q "^barcode: [0-9]* match, 0 wrong, 0 unreadable" "$work/stream.log" || fail "HEVC barcodes"

# 2. GameStream AV1, the client decoding AV1 and HEVC.
"$probe" --port "$port" --identity "$work/probe" stream --av1 --hevc --mode 640x480@30 \
  --seconds 8 --drop 20 --check-barcode >"$work/av1.log" 2>&1 || fail "AV1 stream: $(cat "$work/av1.log")"
cat "$work/av1.log"
grep -q "^codec: AV1$" "$work/av1.log" || fail "the GameStream stream is not AV1"
grep -q "video: streaming .* as av1 by libaom-av1" "$work/host.log" || fail "the host did not use libaom"
decoded=$(sed -n 's/^decoded: \([0-9]*\) pictures (AV1).*/\1/p' "$work/av1.log")
[ "${decoded:-0}" -ge 120 ] || fail "only ${decoded:-0} AV1 pictures decoded"
grep -q "^decoded: .*, 0 decode errors$" "$work/av1.log" || fail "AV1 decode errors"
grep -q "^barcode: [0-9]* match, 0 wrong, 0 unreadable" "$work/av1.log" || fail "AV1 barcodes"

# 3. punktfunk/1 through 5 % loss each way.
c() { "$client" --state-dir "$work/client" "$@"; }
npin=""
for _ in $(seq 50); do
  npin=$("$host_bin" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$npin" ] && break
  sleep 0.1
done
[ -n "$npin" ] || fail "no punktfunk/1 PIN"
c pair "127.0.0.1:$nport" --pin "$npin" >/dev/null || fail "punktfunk/1 pairing"
"$impair" --listen "127.0.0.1:$rport" --forward "127.0.0.1:$vport" --loss 5 >"$work/impair.log" 2>&1 &
relay=$!
sleep 0.2
out=$(c stream hevc-test --mode 640x480@30 --headless --frames 150 --check-barcode --seconds 40 \
  --video-via "127.0.0.1:$rport" 2>&1) || fail "punktfunk/1 stream: $out"
echo "$out" | grep -E "^session|^video:|^barcode:"
grep -Eq "^session [0-9a-f]+ with .*, codec 2," <<<"$out" || fail "punktfunk/1 did not pick HEVC: $out"
grep -q "punktfunk/1 video .* hevc by libx265" "$work/host.log" || fail "punktfunk/1 not by x265"
grep -Eq "^video: (1[5-9][0-9]|[2-9][0-9]{2}) frames decoded" <<<"$out" || fail "punktfunk/1: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "barcodes: $out"

# 4. punktfunk/1 AV1, through the same relay.
out=$(c stream hevc-test --codec av1 --mode 640x480@30 --headless --frames 150 --check-barcode \
  --seconds 40 --video-via "127.0.0.1:$rport" 2>&1) || fail "punktfunk/1 AV1 stream: $out"
echo "$out" | grep -E "^session|^video:|^barcode:"
grep -Eq "^session [0-9a-f]+ with .*, codec 4," <<<"$out" || fail "punktfunk/1 did not pick AV1: $out"
grep -q "punktfunk/1 video .* av1 by libaom-av1" "$work/host.log" || fail "AV1 not by libaom"
grep -Eq "^video: (1[5-9][0-9]|[2-9][0-9]{2}) frames decoded, [0-9]+ lost, 0 decode errors" \
  <<<"$out" || fail "punktfunk/1 AV1: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "AV1 barcodes: $out"
# 5. punktfunk/1 HEVC Main10 (capability 0x2), through the same relay; AV1 stays 8-bit here.
grep -q "video: 10-bit HEVC (Main10) offered over punktfunk/1" "$work/host.log" ||
  fail "Main10 not offered"
out=$(c stream hevc-test --codec hevc --bit-depth 10 --mode 640x480@30 --headless --frames 150 \
  --check-barcode --seconds 40 --video-via "127.0.0.1:$rport" 2>&1) || fail "punktfunk/1 Main10: $out"
echo "$out" | grep -E "^session|^video:|^barcode:"
grep -q "^video: 10 bits per sample" <<<"$out" || fail "10-bit not granted: $out"
grep -q "punktfunk/1 video .* hevc by libx265 .*, 10-bit$" "$work/host.log" || fail "not Main10 on the host"
grep -Eq "^video: (1[5-9][0-9]|[2-9][0-9]{2}) pictures of 10 bits per sample" <<<"$out" ||
  fail "the pictures are not 10-bit: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "Main10 barcodes: $out"
out=$(c stream hevc-test --codec av1 --bit-depth 10 --mode 320x240@30 --headless --frames 5 \
  --seconds 20 2>&1) || fail "AV1 asked for 10-bit: $out"
grep -q "^video: 8 bits per sample" <<<"$out" || fail "10-bit AV1 was granted: $out"
out=$(c stream hevc-test --codec h264 --bit-depth 10 --mode 320x240@30 --headless --frames 5 \
  --seconds 20 2>&1) || fail "H.264 asked for 10-bit: $out"
grep -q "^video: 8 bits per sample" <<<"$out" || fail "10-bit H.264 was granted: $out"

# 6. 4:4:4 of HEVC (RExt) and AV1 (High), offered with software-codecs, on both protocols through
#    the same 5 % loss: >= 120 pictures each, every barcode right, 4:4:4 pictures whose 1-pixel
#    red/blue checker kept its colours (all but a few after a keyframe).
checker() { sed -n "s/^chroma checker: \([0-9]*\) pictures kept every pixel's colour, \([0-9]*\) lost it.*/\\$1/p"; }
for codec in hevc av1; do
  flag=--$codec
  [ $codec = av1 ] && flag="--av1 --hevc"
  # shellcheck disable=SC2086 # two flags for AV1
  "$probe" --port "$port" --identity "$work/probe" stream $flag --yuv444 --mode 640x480@30 \
    --seconds 7 --drop 20 --check-barcode >"$work/gs444.log" 2>&1 ||
    fail "GameStream $codec 4:4:4: $(cat "$work/gs444.log")"
  grep -E "^codec|^chroma|^decoded|^barcode" "$work/gs444.log"
  grep -q "^chroma: 4:4:4 asked for$" "$work/gs444.log" || fail "GameStream $codec: 4:4:4 not asked"
  decoded=$(sed -n 's/^decoded: \([0-9]*\) pictures (.*), 0 decode errors$/\1/p' "$work/gs444.log")
  [ "${decoded:-0}" -ge 120 ] || fail "GameStream $codec 4:4:4: only ${decoded:-0} pictures"
  grep -q "^barcode: [0-9]* match, 0 wrong, 0 unreadable" "$work/gs444.log" ||
    fail "GameStream $codec 4:4:4 barcodes"
  grep -Eq "; ${decoded} pictures 4:4:4$" "$work/gs444.log" || fail "GameStream $codec: not all 4:4:4"
  [ "$(checker 1 <"$work/gs444.log")" -ge $((decoded - 10)) ] ||
    fail "GameStream $codec 4:4:4 lost the checker: $(grep '^chroma checker' "$work/gs444.log")"
  out=$(c stream hevc-test --codec $codec --chroma 444 --mode 640x480@30 --headless --frames 150 \
    --check-barcode --seconds 40 --video-via "127.0.0.1:$rport" 2>&1) ||
    fail "punktfunk/1 $codec 4:4:4: $out"
  echo "$out" | grep -E "^session|^video:|^barcode:|^chroma"
  grep -q "^video: 4:4:4 chroma$" <<<"$out" || fail "punktfunk/1 $codec 4:4:4 not granted: $out"
  grep -Eq "^video: (1[5-9][0-9]|[2-9][0-9]{2}) pictures with 4:4:4 chroma" <<<"$out" ||
    fail "punktfunk/1 $codec: not 4:4:4 pictures: $out"
  grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "$codec 4:4:4 barcodes: $out"
  [ "$(checker 1 <<<"$out")" -ge 140 ] || fail "punktfunk/1 $codec 4:4:4 lost the checker: $out"
done
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
echo "software_codecs_test: ok"
