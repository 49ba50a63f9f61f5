#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: faults_test.sh HOST_BIN CLIENT_BIN GS_PROBE_BIN [TABLE_OUT]
# Faults a host meets in real life, each while sessions run on the host's built-in default (a
# virtual Xvfb display per session, audio from PipeWire). After each the host must serve a new
# session within 5 s (timed from the fault to a new session's fifth decoded frame) and keep what
# it had (its pairings; nothing half written):
#   - a punktfunk/1 client, then a Moonlight-style client, killed with SIGKILL mid-stream (the
#     Moonlight one comes straight back without quitting the app first, as a restarted client does);
#   - PipeWire (and WirePlumber) killed mid-stream: the host serves video without audio until it is
#     back, then audio again;
#   - the wall clock stepped 1 h forward, then 2 h back, under a running session (libfaketime:
#     realtime only, as an NTP step does);
#   - the display servers of a punktfunk/1 and a GameStream session killed mid-stream: both
#     clients are told, the host goes on;
#   - the host killed with SIGKILL mid-stream and started again at once: same ports, no child left
#     over, both clients stream without pairing again;
#   - as root (a private mount namespace, state directory on a small tmpfs): pairing while the
#     state directory is full and while it is read-only fails clearly on both protocols, the
#     client is not paired, no file is changed or left behind; pairing works once there is room.
# The table of faults and recovery times goes to stdout (and TABLE_OUT, for bench/report.sh).
set -euo pipefail
if [ "$(id -u)" = 0 ] && [ -z "${PF_FAULTS_NS:-}" ]; then
  # Mounts made for the state directory stay in this test's own mount namespace.
  exec env PF_FAULTS_NS=1 unshare --mount --propagation private "$0" "$@"
fi
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
table_out=${4:-}
work=$(mktemp -d)
pid=""
pids=()
services=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do kill "${services[i]}" 2>/dev/null || true; done
  mountpoint -q "$work/state" 2>/dev/null && umount -l "$work/state"
  for _ in $(seq 30); do mountpoint -q "$work/run/doc" 2>/dev/null || break; sleep 0.1; done
  fusermount -u "$work/run/doc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "faults_test: $*" >&2
  echo "--- host log (last 80 lines)" >&2
  tail -n 80 "$work"/host*.log >&2
  exit 1
}
here=$(dirname "$(realpath "$0")")
source "$here/harness.sh"
arm_watchdog 280
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" "$work/state" && chmod 700 "$work/run"
as_root=0
if [ "$(id -u)" = 0 ]; then
  as_root=1
  mount -t tmpfs -o size=4m,mode=0700 pf-faults-state "$work/state"
fi
source "$here/services.sh"
start_private_pipewire
source "$here/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2)) mport=$((port + 7))
faketime_lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
echo "+0" >"$work/clock"

start_host() {  # $1: log file; $2: "faketime" to run it under libfaketime
  local env_=()
  [ "${2:-}" = faketime ] && env_=(env "LD_PRELOAD=$faketime_lib" "FAKETIME_TIMESTAMP_FILE=$work/clock"
    FAKETIME_CACHE_DURATION=1 FAKETIME_DONT_FAKE_MONOTONIC=1)
  "${env_[@]}" "$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$mport" \
    --no-mdns --name faults-test --max-sessions 8 >"$work/$1" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/$1" && return 0; sleep 0.1; done
  fail "the host did not start ($1)"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
native() { "$client" --state-dir "${native_state:-$work/client}" "$@"; }
gs() { "$probe" --port "$port" --identity "${gs_identity:-$work/probe}" "$@"; }
rows=()
row() { rows+=("$(printf '| %s | %s | %s |' "$1" "$2" "$3")"); }
# A new punktfunk/1 session's first 5 frames (and whatever else $@ asks) in time; prints its output.
native_session() {
  native stream faults-test --mode 640x480@30 --headless --frames 5 --seconds 10 "$@" 2>&1
}
gs_session() { gs stream --mode 640x480@30 --frames 5 --seconds 10 "$@" 2>&1; }
# Milliseconds from $1 (now_ms at the fault) until a new session of protocol $2 had 5 frames.
recovered_ms() {  # $3...: more options for the client
  local t0=$1 kind=$2 out
  shift 2
  if [ "$kind" = native ]; then
    out=$(native_session "$@") || fail "no punktfunk/1 session after the fault: $out"
  else
    out=$(gs_session "$@") || fail "no GameStream session after the fault: $out"
  fi
  echo "$out" >"$work/recovered.log"
  local ms=$(($(now_ms) - t0))
  ((ms < 5000)) || fail "a new $kind session took $ms ms after the fault (bound: 5000)"
  echo "$ms"
}
# Both protocols at once, each timed from $1: prints "NATIVE_MS / GAMESTREAM_MS".
recovered_both_ms() {
  recovered_ms "$1" native >"$work/both-native" &
  local a=$!
  recovered_ms "$1" gamestream >"$work/both-gs" &
  local b=$!
  wait "$a" || exit 1
  wait "$b" || exit 1
  echo "$(cat "$work/both-native") / $(cat "$work/both-gs")"
}

start_host host.log faketime
npin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
native pair "127.0.0.1:$nport" --pin "$npin" >/dev/null || fail "punktfunk/1 pairing"
gs pair --pin 4321 >"$work/pair.log" 2>&1 &
pp=$!
for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
wait "$pp" || fail "GameStream pairing: $(cat "$work/pair.log")"
# A session that runs until the test stops it (its output in $work/$1.log); waits for its first frame.
native_background() {
  native stream faults-test --mode 640x480@30 --headless --seconds 60 --stats >"$work/$1.log" 2>&1 &
  bg=$!
  pids+=("$bg")
  for _ in $(seq 100); do grep -q "^session" "$work/$1.log" && break; sleep 0.1; done
  sleep 1
}

# The background session $1 still gets pictures: its newest --stats interval ran at >= 20 fps.
still_streaming() {
  sleep 2
  local fps
  fps=$(sed -n 's/^stats: [0-9x]* \([0-9.]*\) fps.*/\1/p' "$work/$1.log" | tail -1)
  awk -v f="${fps:-0}" 'BEGIN { exit !(f >= 20) }' ||
    fail "the running session $1 stopped getting pictures (${fps:-no} fps): $(tail -3 "$work/$1.log")"
}
# The host's newest log line is stamped $1 s (+-120) off the real clock (libfaketime at work).
host_clock_is_off_by() {
  local stamp off
  stamp=$(grep -o '^[0-9-]* [0-9:]*' "$work/host.log" | tail -1)
  off=$(($(date -d "$stamp" +%s) - $(date +%s)))
  ((off > $1 - 120 && off < $1 + 120)) || fail "the host's clock is $off s off, not $1 s: libfaketime did not step it"
}

echo "== a punktfunk/1 client killed with SIGKILL mid-stream"
native_background killed
kill -9 "$bg"
t0=$(now_ms)
ms=$(recovered_ms "$t0" native)
row "punktfunk/1 client SIGKILLed mid-stream" "$ms ms" "next session streams"

echo "== a Moonlight-style client killed with SIGKILL mid-stream, back at once"
gs stream --mode 640x480@30 --seconds 60 >"$work/gskilled.log" 2>&1 &
bg=$!
pids+=("$bg")
for _ in $(seq 100); do grep -q "first frame\|frames" "$work/gskilled.log" && break; sleep 0.1; done
sleep 1.5
kill -9 "$bg"
t0=$(now_ms)
ms=$(recovered_ms "$t0" gamestream --resume)
row "Moonlight-style client SIGKILLed mid-stream, relaunched at once" "$ms ms" "next session streams"

echo "== PipeWire killed mid-stream"
native_background pwkilled
pw_pids=("${services[@]:1}")  # pipewire and wireplumber (the bus stays)
kill -9 "${pw_pids[@]}"
t0=$(now_ms)
ms=$(recovered_ms "$t0" native)
kill -0 "$pid" 2>/dev/null || fail "the host died with PipeWire"
kill -0 "$bg" 2>/dev/null || {
  wait "$bg" || true
  fail "the running session ended with PipeWire: $(tail -5 "$work/pwkilled.log")"
}
still_streaming pwkilled
stop "$bg"
row "PipeWire killed mid-stream" "$ms ms" "the running session kept streaming; new sessions start"
pipewire >/dev/null 2>&1 &
services[1]=$!
sleep 0.3
wireplumber >/dev/null 2>&1 &
services[2]=$!
for _ in $(seq 50); do pw-cli info 0 >/dev/null 2>&1 && break; sleep 0.1; done
t0=$(now_ms)
ms=$(recovered_ms "$t0" native --stats)
grep -Eq "^audio: [1-9][0-9]* packets" "$work/recovered.log" ||
  fail "no audio once PipeWire was back: $(cat "$work/recovered.log")"
row "PipeWire back" "$ms ms" "new sessions with audio again"

echo "== the wall clock stepped 1 h forward, then 2 h back, under a running session"
for step in +1h -1h; do
  native_background "clock$step"
  echo "$step" >"$work/clock"
  sleep 2  # (libfaketime reads the file once a second)
  kill -0 "$bg" 2>/dev/null || fail "the session ended when the clock stepped $step: $(tail -5 "$work/clock$step.log")"
  both=$(recovered_both_ms "$(now_ms)")
  kill -0 "$bg" 2>/dev/null || fail "the session ended after the clock stepped $step: $(tail -5 "$work/clock$step.log")"
  still_streaming "clock$step"
  host_clock_is_off_by $((${step%h} * 3600))
  stop "$bg"
  what=$([ "$step" = +1h ] && echo "1 h forward" || echo "2 h back")
  row "wall clock stepped $what under a session" "$both ms" \
    "the session kept streaming; new sessions on both protocols"
done

echo "== the sessions' display servers killed mid-stream"
xvfbs_before=$(pgrep -P "$pid" Xvfb | sort)
native_background displaykilled
dk_native=$bg
gs stream --mode 800x600@30 --seconds 60 --keep >"$work/gsdisplay.log" 2>&1 &
dk_gs=$!
pids+=("$dk_gs")
for _ in $(seq 100); do grep -q "first frame\|frames" "$work/gsdisplay.log" && break; sleep 0.1; done
sleep 1.5
new_xvfbs=$(comm -13 <(echo "$xvfbs_before") <(pgrep -P "$pid" Xvfb | sort))
[ "$(wc -w <<<"$new_xvfbs")" = 2 ] || fail "expected the two sessions' own Xvfbs, found: $new_xvfbs"
kill -9 $new_xvfbs
t0=$(now_ms)
both=$(recovered_both_ms "$t0")
kill -0 "$pid" 2>/dev/null || fail "the host died with its display servers"
for b in "$dk_native" "$dk_gs"; do
  for _ in $(seq 100); do kill -0 "$b" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$b" 2>/dev/null && fail "a client of a killed display still streams 10 s later"
done
grep -q "session ended by the host" "$work/displaykilled.log" ||
  fail "the punktfunk/1 client was not told: $(tail -3 "$work/displaykilled.log")"
grep -q "host ended the stream: 0x80030024" "$work/gsdisplay.log" ||
  fail "the Moonlight-style client was not told: $(tail -3 "$work/gsdisplay.log")"
row "the sessions' display servers killed mid-stream" "$both ms" \
  "both clients told why; the host goes on"

echo "== the host killed with SIGKILL mid-stream and started again at once"
native_background hostkill
xvfbs=$(pgrep -P "$pid" Xvfb | tr '\n' ' ')
[ -n "$xvfbs" ] || fail "no Xvfb under the host's session"
kill -9 "$pid"
t0=$(now_ms)
wait "$pid" 2>/dev/null || true
start_host host2.log
both=$(recovered_both_ms "$t0")
for x in $xvfbs; do
  for _ in $(seq 50); do kill -0 "$x" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$x" 2>/dev/null && fail "the killed host's Xvfb $x lives on: $(ps -o pid,ppid,stat,etime,args -p "$x")"
done
for _ in $(seq 150); do kill -0 "$bg" 2>/dev/null || break; sleep 0.1; done
kill -0 "$bg" 2>/dev/null && fail "the killed host's client still runs 15 s later: $(tail -3 "$work/hostkill.log")"
row "host SIGKILLed mid-stream, started again at once" "$both ms" \
  "same ports; no child left; both clients stream without pairing again"

# Pairing against a state directory that cannot take it. $1: what is wrong (for messages).
pairing_refused() {
  local before after
  before=$(cd "$work/state" && find . -type f ! -name filler -exec md5sum {} + | sort)
  native_state=$work/client-new
  npin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
  [ -n "$npin" ] || fail "no PIN with the state directory $1"
  local out
  out=$(native pair "127.0.0.1:$nport" --pin "$npin" 2>&1) &&
    fail "punktfunk/1 pairing succeeded with the state directory $1: $out"
  grep -q "could not save the pairing" <<<"$out" || fail "punktfunk/1 pairing, state $1: $out"
  out=$(native_session 2>&1) && fail "a client whose pairing failed streams: $out"
  unset native_state
  gs_identity=$work/probe-new
  gs pair --pin 5678 >"$work/pair-new.log" 2>&1 &
  pp=$!
  for _ in $(seq 100); do "$host" pin 5678 >/dev/null 2>&1 && break; sleep 0.1; done
  wait "$pp" && fail "GameStream pairing succeeded with the state directory $1: $(cat "$work/pair-new.log")"
  grep -qi "space\|read-only\|could not\|cannot" "$work/pair-new.log" ||
    fail "GameStream pairing, state $1, gave no reason: $(cat "$work/pair-new.log")"
  out=$(gs_session 2>&1) && fail "a Moonlight client whose pairing failed streams: $out"
  unset gs_identity
  after=$(cd "$work/state" && find . -type f ! -name filler -exec md5sum {} + | sort)
  [ "$before" = "$after" ] || fail "the state directory changed ($1): $(diff <(echo "$before") <(echo "$after"))"
  # The clients paired before still stream.
  native_session >/dev/null || fail "a paired punktfunk/1 client lost its pairing ($1)"
  gs_session >/dev/null || fail "a paired Moonlight client lost its pairing ($1)"
}
if [ "$as_root" = 1 ]; then
  echo "== pairing while the state directory is full"
  dd if=/dev/zero of="$work/state/filler" bs=64k >/dev/null 2>&1 || true
  pairing_refused full
  row "state directory full while pairing" "-" "both pairings fail with the reason; nothing written; paired clients kept"
  echo "== pairing while the state directory is read-only"
  rm -f "$work/state/filler"
  mount -o remount,ro "$work/state"
  pairing_refused read-only
  mount -o remount,rw "$work/state"
  row "state directory read-only while pairing" "-" "both pairings fail with the reason; nothing written; paired clients kept"
  echo "== pairing once there is room again"
  native_state=$work/client-new
  npin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
  native pair "127.0.0.1:$nport" --pin "$npin" >/dev/null || fail "pairing with room again"
  native_session >/dev/null || fail "the newly paired client does not stream"
  unset native_state
else
  echo "faults_test: the state-directory faults need root (a tmpfs in a private mount namespace): skipped"
fi

kill -INT "$pid"
wait "$pid" || fail "host exit status $? at the end"
pid=""
echo
table=$(printf '%s\n' "| fault | new session after (5 frames; punktfunk/1 / GameStream) | outcome |" "|---|---|---|" "${rows[@]}")
echo "$table"
[ -n "$table_out" ] && echo "$table" >"$table_out"
echo "faults_test: ok"
