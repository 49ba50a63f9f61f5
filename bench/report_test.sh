#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: report_test.sh BUILD_DIR
# Runs bench/report.sh --quick into a scratch file and checks that every
# section came out with its table filled from a real run (not the figures:
# a quick run on a busy CI machine is noisy by design).
set -euo pipefail
build=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$0")/report.sh" --quick --build "$build" --out "$work/performance.md" 2>"$work/log" \
  || { cat "$work/log" >&2; echo "report_test: report.sh failed" >&2; exit 1; }
r=$work/performance.md
fail() { echo "report_test: $*" >&2; cat "$r" >&2; exit 1; }
count() { grep -Ec "$1" "$r" || true; }
[ "$(count '^\| \*\*capture -> decoded\*\* \| \*\*[0-9.]+\*\* \| [0-9.]+ ')" = 2 ] || fail "latency tables"
[ -f "$work/latency-loss0.png" ] && [ -f "$work/latency-loss5.png" ] || fail "latency plots"
[ "$(count '^\| [0-9.]+ Gbit/s \| [0-9.]+ MB \| (GameStream|punktfunk/1) \| ')" = 12 ] || fail "sweep rows"
grep -q 'bench failed' "$r" && fail "a sweep run failed"
[ "$(count '^\| [0-9.]+ Gbit/s \| [0-9.]+ % \| [0-9]+ % \| [0-9]+ % \| [0-9]+ / [0-9]+ us')" = 1 ] || fail "data plane row"
[ "$(count '^\| GF\(2\^8\) (en|de)code [0-9]+/[0-9]+ \| [0-9]+ \| [0-9]+ \| \*\*[0-9.]+x\*\* \|$')" = 8 ] || fail "GF(2^8) rows"
[ "$(count '^\| [0-9]+/[0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| \*\*[0-9.]+x\*\* \| [0-9.]+x \| [0-9]+ \| [0-9.]+x \|$')" = 4 ] ||
  fail "GF(2^8) changing-pattern rows"
[ "$(count '^\| (encode|decode|decoderandom) [0-9]+/[0-9]+ \| [0-9]+ \| [0-9.]+ \|$')" = 12 ] || fail "GF(2^16) rows"
grep -q 'memcpy of the same data: [1-9][0-9]* MB/s' "$r" || fail "memcpy baseline"
[ "$(count '^\| (uniform|bursty) \| [0-9]+ % \|( [0-9.]+ % \|){4}$')" = 8 ] || fail "loss-harness rows"
[ "$(count '^\| BM_XTest[A-Za-z]+ \| [0-9.]+ us \| [0-9.]+ us \|$')" = 2 ] || fail "input rows"
[ "$(count '^\| BM_(X11Capture|MemcpyBgraFrame)/[0-9/]+ \| [0-9]+ us \|$')" = 4 ] || fail "capture rows"
[ "$(count '^\| BM_(X264|X265|Av1)Encode/[0-9/]+ \| [0-9.]+ ms \| [0-9]+ \|$')" = 9 ] || fail "encoder rows"
# The codec table: both runs (4:2:0 and --chroma 444), every codec, mode and picture.
[ "$(count '^\| (h264|hevc|av1) \(')" = 12 ] || fail "codec rows (4:2:0)"
[ "$(count '^\| (h264|hevc|av1)-444 \(')" = 12 ] || fail "codec rows (4:4:4)"
grep -q 'mic latency at a 10 ms quantum: p50 [0-9.]* ms' "$r" || fail "mic latency"
[ "$(count '^\| [0-9]+ \| (idle|every core busy) \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ % \|')" = 8 ] ||
  fail "mic bench rows (4 quanta, idle and loaded)"
[ "$(count '^\| [0-9]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ ms \| [0-9.]+ ms \| [0-9]+ % \|$')" = 2 ] || fail "session rows"
[ "$(count 'p50 \*\*[0-9]+ ms\*\*, p99 [0-9]+ ms over [0-9]+ launches')" = 2 ] ||
  fail "launch times (punktfunk/1 and GameStream)"
[ "$(count '^\| [0-9]+( \(baseline\))? \| [0-9]+ \| [0-9]+ \| [0-9.]+ \| [0-9]+ \| [0-9]+ \|$')" -ge 2 ] ||
  fail "churn rows"
if command -v mutter >/dev/null; then
  grep -q 'shared memory) p50 [0-9.]* ms' "$r" || fail "Mutter capture"
fi
if command -v sway >/dev/null; then
  grep -q 'from the frame sway showed to encoded p50 [0-9.]* ms' "$r" || fail "sway capture"
fi
grep -q "Quick run" "$r" || fail "a quick run must say so"
echo "report_test: ok ($(wc -l <"$r") lines)"
