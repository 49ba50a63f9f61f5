#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: pin_abuse_test.sh HOST_BIN CLIENT_BIN
# A neighbour guessing punktfunk/1 pairing PINs in a loop (tools/stress/wrong_pins.sh, from
# 127.0.0.2) while the host user keeps opening PINs:
#   - every PIN it takes is burned and counted; after 5 wrong it is locked out, and a locked-out
#     attempt does not take the PIN the user just opened: the user's own device (127.0.0.1) pairs
#     with it and streams;
#   - 100 attempts while no PIN is open are answered "no PIN open" at once and count for nothing
#     (a third address is not locked out by them);
#   - no answer takes a second; the host's fds and threads are back at their baseline.
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
stress=$here/../../tools/stress/wrong_pins.sh
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "pin_abuse_test: $*" >&2
  echo "--- host log (last 40 lines)" >&2
  tail -40 "$work/host.log" >&2
  exit 1
}
source "$here/harness.sh"
arm_watchdog 100
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
start_synthetic_host pin-abuse
target=127.0.0.1:$nport
open_pin="'$host' pair | sed -n 's/^PIN \\([0-9]\\{6\\}\\).*/\\1/p'"
fds() { ls /proc/"$pid"/fd | wc -l; }
threads() { ls /proc/"$pid"/task | wc -l; }
# The number after "$1" in wrong_pins.sh's tally line in file $2.
tally() { sed -n "s/^tally:.* $1 \([0-9]*\).*/\1/p" "$2"; }
slowest() { sed -n 's/^tally:.*slowest answer \([0-9]*\) ms/\1/p' "$1"; }
fds0=$(fds) threads0=$(threads)

echo "== 8 wrong PINs from 127.0.0.2, each against a PIN the user just opened"
"$stress" "$client" "$target" 8 127.0.0.2 "$open_pin" >"$work/guess.log" 2>&1 ||
  fail "wrong_pins.sh: $(cat "$work/guess.log")"
cat "$work/guess.log"
[ "$(tally wrong-pin "$work/guess.log")" = 5 ] || fail "expected 5 wrong PINs before the lockout"
[ "$(tally locked-out "$work/guess.log")" = 3 ] || fail "expected 3 attempts locked out"
[ "$(tally paired "$work/guess.log")$(tally other "$work/guess.log")" = 00 ] ||
  fail "an attempt paired or got an unexpected answer"
(($(slowest "$work/guess.log") < 1000)) || fail "an answer took a second or more"

echo "== the locked-out neighbour does not burn the user's PIN"
pin=$(bash -c "$open_pin")
[ -n "$pin" ] || fail "no PIN opened"
out=$("$client" --state-dir "$work/n" --source 127.0.0.2 pair "$target" --pin "$pin" 2>&1) &&
  fail "the locked-out address paired: $out"
grep -q "too many failed" <<<"$out" || fail "the locked-out attempt got: $out"
out=$("$client" --state-dir "$work/client" pair "$target" --pin "$pin" 2>&1) ||
  fail "the user's device could not pair with its PIN after the neighbour's attempt: $out"
"$client" --state-dir "$work/client" stream pin-abuse --mode 320x240@30 --headless --frames 5 \
  --seconds 10 >"$work/stream.log" 2>&1 || fail "the user's device does not stream: $(cat "$work/stream.log")"

echo "== 100 attempts from 127.0.0.3 while no PIN is open"
"$stress" "$client" "$target" 100 127.0.0.3 >"$work/nopin.log" 2>&1 ||
  fail "wrong_pins.sh: $(cat "$work/nopin.log")"
tail -1 "$work/nopin.log"
[ "$(tally no-pin "$work/nopin.log")" = 100 ] || fail "expected 100 'no PIN open': $(tail -3 "$work/nopin.log")"
(($(slowest "$work/nopin.log") < 1000)) || fail "an answer took a second or more"
# They counted for nothing: one wrong PIN from 127.0.0.3 is a wrong PIN, not a lockout.
"$stress" "$client" "$target" 1 127.0.0.3 "$open_pin" >"$work/after.log" 2>&1 || true
[ "$(tally wrong-pin "$work/after.log")" = 1 ] ||
  fail "127.0.0.3 was treated as guessing after attempts with no PIN open: $(cat "$work/after.log")"

sleep 1
fds1=$(fds) threads1=$(threads)
echo "host fds $fds0 -> $fds1, threads $threads0 -> $threads1"
((fds1 <= fds0 + 2 && threads1 <= threads0 + 2)) || fail "the host kept resources: fds $fds0 -> $fds1, threads $threads0 -> $threads1"
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
echo "pin_abuse_test: ok"
