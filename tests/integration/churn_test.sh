#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: churn_test.sh HOST_BIN CLIENT_BIN GS_PROBE_BIN [CYCLES] [GS_EVERY]
# Sessions coming and going as real users make them, CYCLES times (default 100, at least 10): each cycle
# a punktfunk/1 client connects, streams a moment and disconnects, and every GS_EVERY-th cycle
# (default 1) a Moonlight-style client launches, streams and quits the app; every 10th of each
# is killed with SIGKILL mid-stream instead (the Moonlight one then quits the app from a fresh
# process, as its user would). Every 25 cycles (100 in runs over 200), and at the end once every
# session is gone, the host's open fds,
# threads, RSS, child processes and PipeWire session sinks are measured against a baseline
# taken after 5 warm-up cycles: the test fails on growth beyond a small constant (a leak; for
# memory, growth in the run's second half), and prints the table (bench/report.sh puts it in
# docs/performance.md).
set -euo pipefail
host=$(realpath "$1")
client=$(realpath "$2")
probe=$(realpath "$3")
cycles=${4:-100}
gs_every=${5:-1}
row_every=$((cycles > 200 ? 100 : 25))
gs_n=0
work=$(mktemp -d)
pid=""
pids=()
services=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do kill "${services[i]}" 2>/dev/null || true; done
  # (The private bus may have started a document portal, with its FUSE mount in the runtime dir.)
  for _ in $(seq 30); do mountpoint -q "$work/run/doc" 2>/dev/null || break; sleep 0.1; done
  fusermount -u "$work/run/doc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "churn_test: $*" >&2
  echo "--- host log (last 60 lines)" >&2
  tail -60 "$work/host.log" >&2
  exit 1
}
source "$(dirname "$(realpath "$0")")/harness.sh"
arm_watchdog $((60 + cycles * 8))
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
source "$(dirname "$(realpath "$0")")/services.sh"
start_private_pipewire
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2)) mport=$((port + 7))
"$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$mport" --no-mdns \
  --name churn-test --native-source synthetic --max-sessions 8 --session-linger 0 \
  >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
api="https://127.0.0.1:$mport/api/v1"
auth="Authorization: Bearer $("$host" token)"
session_count() {
  curl -skf --max-time 10 -H "$auth" "$api/sessions" | python3 -c "import json,sys; print(len(json.load(sys.stdin)))"
}

# Pairing, once each.
npin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
"$client" --state-dir "$work/client" pair "127.0.0.1:$nport" --pin "$npin" >/dev/null ||
  fail "punktfunk/1 pairing"
"$probe" --port "$port" --identity "$work/probe" pair --pin 4321 >"$work/pair.log" 2>&1 &
pp=$!
for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
wait "$pp" || fail "GameStream pairing: $(cat "$work/pair.log")"

native_cycle() {  # $1: kill it mid-stream
  if [ "$1" = 1 ]; then
    "$client" --state-dir "$work/client" stream churn-test --mode 640x480@30 --headless \
      --seconds 30 >/dev/null 2>&1 &
    local c=$!
    sleep 1
    kill -9 "$c" 2>/dev/null || true
    wait "$c" 2>/dev/null || true
  else
    "$client" --state-dir "$work/client" stream churn-test --mode 640x480@30 --headless \
      --frames 10 --seconds 20 >"$work/native.log" 2>&1 ||
      fail "punktfunk/1 cycle $i: $(tail -8 "$work/native.log")"
  fi
}
gamestream_cycle() {  # $1: kill it mid-stream
  local g=("$probe" --port "$port" --identity "$work/probe")
  if [ "$1" = 1 ]; then
    "${g[@]}" stream --mode 640x480@30 --seconds 30 >/dev/null 2>&1 &
    local c=$!
    sleep 1.5
    kill -9 "$c" 2>/dev/null || true
    wait "$c" 2>/dev/null || true
    "${g[@]}" cancel >"$work/cancel.log" 2>&1 || fail "cancel after a kill: $(cat "$work/cancel.log")"
  else
    "${g[@]}" stream --mode 640x480@30 --frames 10 --seconds 20 >"$work/gs.log" 2>&1 ||
      fail "GameStream cycle $i: $(cat "$work/gs.log")"
  fi
}
measure() {  # fds threads rss_kib children sinks
  local sinks
  sinks=$(pw-cli ls Node 2>/dev/null | grep -c 'node.name = "punktfunk-[0-9a-f]\{8\}"' || true)
  echo "$(ls "/proc/$pid/fd" | wc -l) $(ls "/proc/$pid/task" | wc -l)" \
    "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")" \
    "$(pgrep -P "$pid" | wc -l) $sinks"
}
settle() {  # until no session is left (killed clients time out), at most 30 s; then until
  # the threads of the last streams are gone (a killed Moonlight client's control stream times
  # out 10 s after it went quiet), at most 15 s; then 2.5 s (the host hands freed memory back
  # 2 s after a session ended)
  local n
  for n in $(seq 301); do [ "$(session_count)" = 0 ] && break; sleep 0.1; done
  [ "$n" -le 300 ] || fail "sessions still open 30 s after the last cycle: $(curl -skf -H "$auth" "$api/sessions")"
  if [ -n "$base" ]; then
    local t0
    read -r _ t0 _ <<<"$base"
    for _ in $(seq 150); do (($(ls "/proc/$pid/task" | wc -l) <= t0)) && break; sleep 0.1; done
  fi
  sleep 2.5
}

base=""
printf '%-8s %6s %8s %10s %9s %6s\n' cycle fds threads "RSS MiB" children sinks | tee "$work/table"
row() {
  read -r f t r ch s <<<"$1"
  printf '%-8s %6s %8s %10s %9s %6s\n' "$2" "$f" "$t" "$(awk -v r="$r" 'BEGIN { printf "%.1f", r / 1024 }')" "$ch" "$s" |
    tee -a "$work/table"
}
start=$(date +%s)
mid=$((cycles / 2))
for ((i = 1; i <= cycles; i++)); do
  native_cycle $((i % 10 == 9 ? 1 : 0))
  if ((i % gs_every == 0)); then
    gs_n=$((gs_n + 1))
    gamestream_cycle $((gs_n % 10 == 4 ? 1 : 0))
  fi
  if [ "$i" = 5 ]; then
    settle
    base=$(measure)
    base_threads=$(cat /proc/"$pid"/task/*/comm 2>/dev/null | sort | uniq -c | sort -rn | tr '\n' ' ')
    row "$base" "base (5)"
  elif [ "$i" = "$mid" ] || [ "$i" = "$cycles" ]; then
    settle  # (the half-way figures are the reference for the second half's growth)
    [ "$i" = "$mid" ] && half=$(measure) && row "$half" "$i"
  elif ((i % row_every == 0)); then
    row "$(measure)" "$i"
  fi
done
end=$(measure)
row "$end" "$cycles"
half=${half:-$base}
echo "churn: $cycles punktfunk/1 and $gs_n GameStream cycles in $(($(date +%s) - start)) s"
kill -0 "$pid" 2>/dev/null || fail "the host died"
read -r f0 t0 r0 c0 s0 <<<"$base"
read -r f1 t1 r1 c1 s1 <<<"$end"
# A constant allowance each (a lazily created pool, a cached connection), nothing per cycle.
((f1 <= f0 + 8)) || fail "fds grew from $f0 to $f1 over $cycles cycles"
thread_names() { cat /proc/"$pid"/task/*/comm 2>/dev/null | sort | uniq -c | sort -rn | tr '\n' ' '; }
((t1 <= t0 + 4)) || fail "threads grew from $t0 to $t1 (at the baseline: $base_threads; now: $(thread_names))"
((c1 <= c0)) || fail "child processes grew from $c0 to $c1: $(pgrep -a -P "$pid")"
((s1 <= s0)) || fail "PipeWire session sinks grew from $s0 to $s1"
# Where the memory is (the largest mappings by RSS), for a failure's reader.
largest_mappings() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6 == "" ? "[anon]" : $6 } /^Rss:/ { rss[name] += $2 }
    END { for (n in rss) printf "%8d KiB %s\n", rss[n], n }' "/proc/$pid/smaps" | sort -rn | head -8
}
# Memory: malloc's arenas and glibc's cache of thread stacks (up to 40 MiB) fill up to a
# plateau over the first cycles; a leak keeps growing. So the second half of the run may add
# little (32 MiB: under 0.7 MiB per cycle over 50 cycles; runs vary by ±30 MiB), the whole
# run a bounded plateau.
# (A run of fewer than 40 cycles is still on the way up: only the plateau is checked.)
read -r _ _ rh _ <<<"$half"
((cycles < 40)) && rh=$r1
((r1 <= rh + 32 * 1024 && r1 <= r0 + 96 * 1024)) ||
  fail "RSS grew from $((r0 / 1024)) (cycle 5) and $((rh / 1024)) (cycle $mid) to $((r1 / 1024)) MiB; largest mappings:
$(largest_mappings)"
if [ -n "${PF_REPORT_DIR:-}" ]; then cp "$work/table" "$PF_REPORT_DIR/churn.txt"; fi
echo "churn_test: ok"
