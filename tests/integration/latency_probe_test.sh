#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: latency_probe_test.sh BUILD_DIR
# tools/latency-probe end to end: 120 frames on loopback; the summary has
# every stage with numbers, the CSV a line per frame, and the plot exists.
set -euo pipefail
build=$(realpath "$1")
here=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "latency_probe_test: $*" >&2; cat "$out"/*.log "$out/summary.txt" 2>/dev/null >&2; exit 1; }
"$here/tools/latency-probe/latency-probe.sh" --build "$build" --frames 120 --mode 640x480@60 \
  --out "$out" >"$out/probe.txt" 2>&1 || fail "the probe failed: $(cat "$out/probe.txt")"
for stage in capture_to_encoded encoded_to_sent sent_to_reassembled reassembled_to_decoded \
             capture_to_decoded; do
  grep -Eq "^$stage +[0-9]+\.[0-9]{2} +[0-9.]+ +[0-9.]+ +[0-9.]+$" "$out/summary.txt" \
    || fail "no figures for $stage"
done
lines=$(($(wc -l <"$out/latency.csv") - 1))
[ "$lines" -ge 100 ] || fail "only $lines frames in the CSV"
[ -s "$out/latency.png" ] || fail "no plot"
grep -q "barcode: [0-9]* match, 0 wrong" "$out/summary.txt" || fail "barcodes"
echo "latency_probe_test: ok ($lines frames)"
