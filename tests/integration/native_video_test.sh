#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: native_video_test.sh HOST_BIN CLIENT_BIN IMPAIR_BIN
# punktfunk/1 video between the real programs on 127.0.0.1: the host streams
# its synthetic source (frame-index barcode) at 720p60 and a 440 Hz tone as
# audio, `punktfunk-client stream --headless` decodes 300 frames, checks every
# barcode and the tone; then again
# through the impairment relay with 5 % loss (FEC must rebuild shards, no
# frame may decode wrong) and with bursts that lose whole frames (the client
# resumes at the host's recovery frames); the session ends cleanly when the client quits and
# when the host shuts down.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
impair=$(realpath "$3")
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "native_video_test: $*" >&2; cat "$work/host.log" >&2; exit 1; }
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2)) vport=$((port + 3)) rport=$((port + 4))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" --native-video-port "$vport" \
  --native-source synthetic --no-mdns --name video-test >"$work/host.log" 2>&1 &
hpid=$!
pids+=("$hpid")
c() { "$client" --state-dir "$work/client" "$@"; }
pin=""
for _ in $(seq 100); do
  pin=$("$host" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$pin" ] && break
  sleep 0.1
done
[ -n "$pin" ] || fail "no PIN"
c pair "127.0.0.1:$nport" --pin "$pin" >/dev/null || fail "pairing"

# 1. Clean loopback: 300 frames, every barcode right; the test tone as audio.
out=$(c stream video-test --mode 1280x720@60 --headless --frames 300 --check-barcode \
  --check-tone --stats --seconds 30 --dump-hashes "$work/hashes.txt" 2>&1) || fail "clean stream: $out"
# One hash line per decoded picture, numbered from 0; the moving pattern makes them differ.
[ "$(wc -l <"$work/hashes.txt")" -ge 300 ] || fail "hashes: $(wc -l <"$work/hashes.txt") lines"
head -1 "$work/hashes.txt" | grep -Eq "^0 1280x720 [0-9a-f]{16} [0-9]+,[0-9]+,[0-9]+$" || fail "hash line: $(head -1 "$work/hashes.txt")"
[ "$(cut -d' ' -f3 "$work/hashes.txt" | sort -u | wc -l)" -ge 290 ] || fail "pictures hash alike"
grep -Eq "^stats: 1280x720 [0-9.]+ fps, [0-9.]+ Mbit/s video" <<<"$out" || fail "no --stats line: $out"
echo "$out" | grep -E "^video:|^barcode:|^audio:|^host:|^fec:|^stats:"
grep -Eq "^audio: [1-9][0-9]+ packets, 0 concealed, 0 decode errors, RMS 0\.1[6-9]" <<<"$out" \
  || fail "audio: $out"
grep -Eq "^video: ([3-9][0-9]{2}|[0-9]{4,}) frames decoded" <<<"$out" || fail "clean: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "clean barcodes: $out"
# A clean link: the host lowers FEC from 20 % after the client's receiver reports.
grep -Eq "^fec: the host set 1[0-9] % parity" <<<"$out" || fail "no FEC adaptation: $out"
for _ in $(seq 30); do grep -q "video .*: stopped" "$work/host.log" && break; sleep 0.1; done
grep -q "video .*: stopped" "$work/host.log" || fail "the host kept streaming after the client quit"

# 2. Through the relay with 5 % loss each way.
"$impair" --listen "127.0.0.1:$rport" --forward "127.0.0.1:$vport" --loss 5 >"$work/impair.log" 2>&1 &
pids+=("$!")
sleep 0.2
out=$(c stream video-test --mode 1280x720@60 --headless --frames 300 --check-barcode \
  --seconds 40 --video-via "127.0.0.1:$rport" 2>&1) || fail "lossy stream: $out"
echo "$out" | grep -E "^video:|^barcode:"
grep -Eq "^video: ([3-9][0-9]{2}|[0-9]{4,}) frames decoded" <<<"$out" || fail "lossy: $out"
grep -Eq "FEC rebuilt [1-9][0-9]* shards" <<<"$out" || fail "no FEC recovery under loss: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "lossy barcodes: $out"

# 2b. Bursts of loss FEC cannot cover: whole frames are lost. The client asks the host to
# invalidate what it lost and resumes at the host's recovery frames (no keyframe needed);
# no frame decodes wrong.
rport2=$((port + 5))
"$impair" --listen "127.0.0.1:$rport2" --forward "127.0.0.1:$vport" --loss 10 --burst 40 \
  >"$work/impair2.log" 2>&1 &
pids+=("$!")
sleep 0.2
out=$(c stream video-test --mode 1280x720@60 --headless --frames 200 --check-barcode \
  --seconds 40 --video-via "127.0.0.1:$rport2" 2>&1) || fail "bursty stream: $out $(cat "$work/impair2.log")"
echo "$out" | grep -E "^video:|^barcode:"
grep -Eq "^video: [0-9]+ frames decoded, [1-9][0-9]* lost" <<<"$out" || fail "no frame lost: $out"
grep -Eq "resumed [1-9][0-9]* times at a recovery frame" <<<"$out" \
  || fail "no recovery frame after a loss: $out"
grep -q "barcode: [0-9]* match, 0 wrong, 0 unreadable" <<<"$out" || fail "bursty barcodes: $out"

# 3. The host shuts down mid-stream: the client says so and exits.
c stream video-test --mode 640x480@30 --headless >"$work/client3.log" 2>&1 &
cpid=$!
for _ in $(seq 50); do grep -q "^session" "$work/client3.log" && break; sleep 0.1; done
t0=$(date +%s%N)
kill -TERM "$hpid"
wait "$hpid" || fail "host exit status $? after SIGTERM"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 2000 ] || fail "the host took $ms ms to stop with a live session"
echo "native_video_test: the host stopped $ms ms after SIGTERM with a live session"
pids=("${pids[@]:1}")
set +e
wait "$cpid"
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "session ended by the host or network: .*(reason 1)" "$work/client3.log" \
  || fail "client after host shutdown: rc=$rc $(cat "$work/client3.log")"
echo "native_video_test: ok"
