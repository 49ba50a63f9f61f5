#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: wrong_pins.sh CLIENT_BIN HOST:PORT COUNT [SOURCE] [OPEN_PIN_CMD]
# A neighbour guessing punktfunk/1 pairing PINs in a loop: COUNT pairing attempts with a wrong
# PIN from the local address SOURCE (default 127.0.0.2; one client identity, as the host counts
# failures by address). When OPEN_PIN_CMD is given it runs before each attempt and prints the
# PIN the host user just opened (as a user who keeps opening PINs would); the guess is then that
# PIN plus one, so every attempt that gets through is wrong. Prints one line per attempt ("N ANSWER MS", ANSWER one of
# wrong-pin, locked-out, no-pin, busy, paired, other) and a tally:
#   tally: wrong-pin W locked-out L no-pin N busy B paired P other O; slowest answer S ms
# Loopback only: HOST must be a 127.x address.
set -euo pipefail
client=$1 target=$2 count=$3 source=${4:-127.0.0.2} open_pin=${5:-}
case "$target" in 127.*) ;; *)
  echo "wrong_pins: $target is not a loopback address" >&2
  exit 2
  ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A tally=([wrong-pin]=0 [locked-out]=0 [no-pin]=0 [busy]=0 [paired]=0 [other]=0)
slowest=0
for i in $(seq "$count"); do
  guess=000000
  if [ -n "$open_pin" ]; then
    pin=$(bash -c "$open_pin")
    guess=$(printf '%06d' $(((10#$pin + 1) % 1000000)))
  fi
  t0=$(date +%s%N)
  out=$("$client" --state-dir "$work/id" --source "$source" pair "$target" \
    --pin "$guess" --name wrong-pins 2>&1) || true
  ms=$((($(date +%s%N) - t0) / 1000000))
  ((ms > slowest)) && slowest=$ms
  case "$out" in
  *"wrong PIN"*) answer=wrong-pin ;;
  *"too many failed"*) answer=locked-out ;;
  *"no pairing PIN open"*) answer=no-pin ;;
  *"another pairing"*) answer=busy ;;
  "paired with"*) answer=paired ;;
  *) answer=other ;;
  esac
  tally[$answer]=$((tally[$answer] + 1))
  echo "$i $answer $ms${out:+ # ${out//$'\n'/ }}" | cut -c1-200
done
echo "tally: wrong-pin ${tally[wrong-pin]} locked-out ${tally[locked-out]} no-pin ${tally[no-pin]}" \
  "busy ${tally[busy]} paired ${tally[paired]} other ${tally[other]}; slowest answer $slowest ms"
