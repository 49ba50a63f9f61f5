#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: hdr_test.sh PATH/TO/punktfunk-host PATH/TO/gs-probe PATH/TO/punktfunk-client PATH/TO/impair
# HDR end to end from the HDR test source (the synthetic pattern as 10-bit BT.2020 PQ pictures
# with known mastering metadata: SyntheticSource::kHdrMetadata), on a host with --software-codecs
# (x265 Main10 writes the metadata as SEI) streaming the synthetic source on both protocols:
# 1. serverinfo offers HEVC Main10 (0x200) and the Desktop app says IsHdrSupported.
# 2. GameStream, as Moonlight with HDR on: the probe asks for it (/launch hdrMode, ANNOUNCE
#    dynamicRangeMode 1), and through 5 % datagram loss decodes >= 120 HEVC pictures tagged
#    BT.2020 + PQ whose SEI carries the source's metadata, every barcode right; the host's 0x010e
#    says HDR on with the same values.
# 3. punktfunk/1 with --hdr (capabilities 0x8 + 0x2) through the impairment relay at 5 % loss:
#    granted, 150 HDR pictures with the source's metadata in the stream and in HdrMetadata.
# 4. A client asking HDR of H.264 gets SDR (the documented answer: not granted).
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
fail() { echo "hdr_test: $*" >&2; echo "--- host log" >&2; cat "$work/host.log" >&2; exit 1; }
source "$(dirname "$(realpath "$0")")/harness.sh"
arm_watchdog 170
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2)) vport=$((port + 3)) rport=$((port + 4))
# The HDR test source's metadata, as both clients print it.
want="R(35400,14600) G(8500,39850) B(6550,2300) WP(15635,16450) L(1000,50) CLL 1000 FALL 400"
"$host_bin" --bind 127.0.0.1 --port "$port" --native-port "$nport" --native-video-port "$vport" \
  --native-source synthetic --gamestream-source synthetic --mgmt-port 0 --no-mdns \
  --name hdr-test --software-codecs >"$work/host.log" 2>&1 &
host_pid=$!
pids+=("$host_pid")
for _ in $(seq 100); do grep -q "How to pair" "$work/host.log" && break; sleep 0.1; done
grep -q "video: HDR (HEVC Main10, BT.2020 PQ) offered over GameStream" "$work/host.log" ||
  fail "HDR not offered"
info=$(curl -sf --max-time 10 "http://127.0.0.1:$port/serverinfo?uniqueid=0123456789ABCDEF&uuid=1") ||
  fail "no serverinfo"
modes=$(sed -n 's/.*<ServerCodecModeSupport>\([0-9]*\)<.*/\1/p' <<<"$info")
[ $(( ${modes:-0} & 0x200 )) -ne 0 ] || fail "serverinfo has no HEVC Main10: $modes"

"$probe" --port "$port" --identity "$work/probe" pair --pin 4321 >"$work/pair.log" 2>&1 &
pair_pid=$!
ok=""
for _ in $(seq 100); do
  if "$host_bin" pin 4321 >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.1
done
[ -n "$ok" ] || fail "the host never waited for a PIN"
wait "$pair_pid" || fail "pairing failed: $(cat "$work/pair.log")"

# 2. GameStream HDR through 5 % loss.
"$probe" --port "$port" --identity "$work/probe" stream --hevc --hdr --mode 640x480@30 \
  --seconds 7 --drop 20 --check-barcode >"$work/gs.log" 2>&1 || fail "HDR stream: $(cat "$work/gs.log")"
cat "$work/gs.log"
grep -q "^dynamic range: HDR asked for$" "$work/gs.log" || fail "the probe did not ask for HDR"
grep -q "^codec: HEVC$" "$work/gs.log" || fail "not HEVC"
grep -q "video: streaming synthetic pattern (HDR: 10-bit BT.2020 PQ) .* as hevc by libx265" \
  "$work/host.log" || fail "the host did not stream the HDR source"
decoded=$(sed -n 's/^decoded: \([0-9]*\) pictures (HEVC), 0 decode errors$/\1/p' "$work/gs.log")
[ "${decoded:-0}" -ge 120 ] || fail "only ${decoded:-0} pictures decoded without errors"
grep -q "^barcode: [0-9]* match, 0 wrong, 0 unreadable" "$work/gs.log" || fail "barcodes"
grep -Fq "video: ${decoded} HDR pictures (BT.2020, PQ); the stream's metadata: $want" "$work/gs.log" ||
  fail "the pictures are not HDR with the source's metadata"
grep -Eq "^hdr: [0-9]+ HDR mode messages \(0x010e\), the last on: " "$work/gs.log" &&
  grep -Fq "the last on: $want" "$work/gs.log" || fail "no 0x010e with the source's metadata"

# 3. punktfunk/1 HDR through 5 % loss each way.
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
out=$(c stream hdr-test --codec hevc --hdr --mode 640x480@30 --headless --frames 150 \
  --check-barcode --seconds 40 --video-via "127.0.0.1:$rport" 2>&1) || fail "punktfunk/1 stream: $out"
echo "$out" | grep -E "^session|^video:|^barcode:|^hdr"
grep -q "^video: HDR (10-bit BT.2020 PQ)$" <<<"$out" || fail "HDR not granted: $out"
grep -q "punktfunk/1 video .* hevc by libx265 .*, 10-bit HDR$" "$work/host.log" || fail "not HDR on the host"
grep -Eq "^video: (1[5-9][0-9]|[2-9][0-9]{2}) HDR pictures \(BT.2020, PQ\); the stream's metadata: " \
  <<<"$out" && grep -Fq "the stream's metadata: $want" <<<"$out" ||
  fail "the pictures are not HDR with the source's metadata: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "barcodes: $out"
grep -Eq "^hdr: [0-9]+ HdrMetadata messages, the last " <<<"$out" &&
  grep -Fq "the last $want" <<<"$out" || fail "no HdrMetadata with the source's values: $out"

# 4. HDR is not granted for H.264.
out=$(c stream hdr-test --codec h264 --hdr --mode 320x240@30 --headless --frames 5 --seconds 20 2>&1) ||
  fail "H.264 asked for HDR: $out"
grep -q "^video: SDR (the host makes no HDR stream of this codec here)$" <<<"$out" ||
  fail "HDR H.264 was granted: $out"
kill -INT "$host_pid"
wait "$host_pid" || fail "host exit status $?"
echo "hdr_test: ok"
