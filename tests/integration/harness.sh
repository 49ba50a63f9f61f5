# SPDX-License-Identifier: MIT OR Apache-2.0
# Sourced by the integration tests: stopping what a test started, and a watchdog that fails the
# test through its fail() (which prints its logs) before ctest's timeout would kill it without a
# word. Uses the test's `pids` array and fail().

# Stops process $1: SIGTERM, then SIGKILL after 5 s.
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  echo "$(basename "$0"): pid $1 ignored SIGTERM for 5 s" >&2
  kill -9 "$1" 2>/dev/null || true
}

# fail() "timed out" $1 seconds from now (set it below the test's ctest TIMEOUT). The watchdog
# joins `pids`: the test's cleanup stops it with the rest.
arm_watchdog() {
  local me=$$
  # shellcheck disable=SC2064 # $1 now, not when the signal comes
  trap "fail 'still not done after $1 s: timed out'" USR1
  (
    trap 'kill "$s" 2>/dev/null; exit 0' TERM
    sleep "$1" &
    s=$!
    wait "$s" && kill -USR1 "$me"
  ) >/dev/null 2>&1 &
  pids+=($!)
}

# fail() of the two-session tests: the message, who plays into which PipeWire sink, the players'
# logs and the host's log (in the test's $work), then exit 1.
fail_with_sessions_logs() {
  echo "$(basename "$0" .sh): $*" >&2
  echo "--- PipeWire links (who plays into which sink)" >&2
  pw-link -l >&2 2>/dev/null || true
  for f in "$work"/play?.log; do echo "--- $f"; cat "$f"; done >&2
  echo "--- host log" >&2
  cat "$work/host.log" >&2 || true
  exit 1
}

# A host on free loopback ports whose sessions on both protocols stream the synthetic source
# (frame-index barcodes), named $1, more host options after it; sets port, nport (QUIC), vport
# (punktfunk/1 video), mport (management) and pid; its log is $work/host.log. Needs the test's
# $host, $work and XDG_* set, and fail().
start_synthetic_host() {
  local name=$1
  shift
  source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/free_ports.sh"
  port=$(free_port_base)
  nport=$((port + 2)) vport=$((port + 3)) mport=$((port + 7))
  "$host" --bind 127.0.0.1 --port "$port" --native-port "$nport" --native-video-port "$vport" \
    --mgmt-port "$mport" --no-mdns --name "$name" --native-source synthetic \
    --gamestream-source synthetic "$@" >"$work/host.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "Stop with Ctrl+C" "$work/host.log" && break; sleep 0.1; done
  grep -q "Stop with Ctrl+C" "$work/host.log" || fail "the host did not start"
}

# Pairs the punktfunk/1 client $client (state in $work/client) and gs-probe $probe (identity in
# $work/probe) with the host of start_synthetic_host; sets g, gs-probe's command line.
pair_both_clients() {
  local npin pp
  npin=$("$host" pair | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p')
  "$client" --state-dir "$work/client" pair "127.0.0.1:$nport" --pin "$npin" >/dev/null ||
    fail "punktfunk/1 pairing"
  g=("$probe" --port "$port" --identity "$work/probe")
  "${g[@]}" pair --pin 4321 >"$work/pair.log" 2>&1 &
  pp=$!
  for _ in $(seq 100); do "$host" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
  wait "$pp" || fail "GameStream pairing: $(cat "$work/pair.log")"
}
