#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: gs_resume_test.sh PATH/TO/punktfunk-host PATH/TO/gs-probe
# What a stock Moonlight client did to the host (the stock-Moonlight issue),
# done by the Moonlight-style probe against the real host binary on 127.0.0.1:
#  F1  stop streaming without quitting, /resume at another mode: the host lives
#      and streams the new mode; the old display server is gone.
#  F3  /resume 20 times in a row: never an early termination.
#  F4  RFI offered in DESCRIBE; on unrecoverable loss the probe sends RFIs and
#      the host answers with recovery frames, not keyframes.
#  F2  the app and the display server hold nothing of the host's; every fd
#      of the host is close-on-exec; after kill -9 the host starts again at
#      once on the same ports and nothing it started is left.
#  and an X server killed under a running session ends only that session,
#  with the reason sent to the client.
set -euo pipefail
host_bin=$(realpath "$1")
probe=$(realpath "$2")
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  pkill -f "sleep 6001" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "gs_resume_test: $*" >&2
  echo "--- host log" >&2
  cat "$work"/host*.log >&2
  exit 1
}
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$work/run" && chmod 700 "$work/run"
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
mkdir -p "$work/config/punktfunk"
cat >"$work/config/punktfunk/apps.toml" <<TOML
[[app]]
title = "Sleeper"
command = "echo \$\$ > $work/app-pid; exec sleep 6001"
TOML
start_host() {
  "$host_bin" --bind 127.0.0.1 --port "$port" --native-port 0 --mgmt-port 0 --no-mdns \
    --name resume-test >"$work/$1" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "How to pair" "$work/$1" && return 0; sleep 0.1; done
  fail "the host did not start ($1)"
}
probe() { "$probe" --port "$port" --identity "$work/probe" "$@"; }
field() { sed -n "s/$1/\\1/p" "$2" | head -1; }
# Xvfb servers whose parent is the host.
host_xvfbs() { pgrep -P "$pid" Xvfb || true; }

start_host host.log
probe pair --pin 4321 >"$work/pair.log" 2>&1 &
pair_pid=$!
for _ in $(seq 100); do "$host_bin" pin 4321 >/dev/null 2>&1 && break; sleep 0.1; done
wait "$pair_pid" || fail "pairing failed: $(cat "$work/pair.log")"

echo "== F1: launch at 640x480, stop streaming without quitting, resume at 800x600"
probe stream --mode 640x480@30 --seconds 2 --keep >"$work/s1.log" 2>&1 ||
  fail "launch: $(cat "$work/s1.log")"
grep -q "at 640x480," "$work/s1.log" || fail "first stream not 640x480: $(cat "$work/s1.log")"
old_xvfb=$(host_xvfbs)
[ -n "$old_xvfb" ] || fail "no Xvfb child of the host"
probe stream --resume --mode 800x600@30 --seconds 2 --keep >"$work/s2.log" 2>&1 ||
  fail "resume at a new mode: $(cat "$work/s2.log")"
cat "$work/s2.log"
kill -0 "$pid" 2>/dev/null || fail "the host died on a resume at another mode"
grep -q "at 800x600," "$work/s2.log" || fail "the resumed stream is not 800x600"
! kill -0 "$old_xvfb" 2>/dev/null || fail "the old Xvfb ($old_xvfb) outlived the mode change"
[ "$(host_xvfbs | wc -l)" -eq 1 ] || fail "expected one Xvfb, found: $(host_xvfbs)"

echo "== F3: resume 20 times in a row"
for i in $(seq 20); do
  probe stream --resume --mode 800x600@30 --seconds 1 --keep >"$work/r.log" 2>&1 ||
    fail "resume $i failed: $(cat "$work/r.log")"
  ! grep -q "early termination" "$work/r.log" || fail "resume $i: $(cat "$work/r.log")"
done

echo "== F4: RFI offered and used under unrecoverable loss"
probe stream --resume --mode 800x600@30 --seconds 4 --lose-frames 15 --keep \
  >"$work/rfi.log" 2>&1 || fail "stream with loss: $(cat "$work/rfi.log")"
cat "$work/rfi.log"
grep -q "RFI offered" "$work/rfi.log" || fail "DESCRIBE did not offer RFI"
sent=$(field '.*, \([0-9]*\) RFI sent.*' "$work/rfi.log")
after=$(field '.*IDR requests sent, \([0-9]*\) frames after an RFI.*' "$work/rfi.log")
idr=$(field '.*frames (\([0-9]*\) IDR).*' "$work/rfi.log")
lost=$(field '^loss: \([0-9]*\) frames lost.*' "$work/rfi.log")
[ "${lost:-0}" -ge 3 ] || fail "the probe lost only ${lost:-0} frames"
[ "${sent:-0}" -ge 3 ] || fail "the probe sent only ${sent:-0} RFIs"
[ "${after:-0}" -ge 3 ] || fail "only ${after:-0} recovery frames"
[ "${idr:-9}" -le 1 ] || fail "$idr keyframes: the host answered RFIs with IDRs"

echo "== F2: what the children hold"
app=$(cat "$work/app-pid")
[ "$(ls /proc/"$app"/fd | sort -n | tr '\n' ' ')" = "0 1 2 " ] ||
  fail "the app holds more than stdio: $(ls -l /proc/"$app"/fd)"
xvfb=$(host_xvfbs)
host_inodes=$(ls -l /proc/"$pid"/fd | sed -n 's/.*-> \(socket\|pipe\):\[\([0-9]*\)\]/\2/p' | sort -u)
for ino in $(ls -l /proc/"$xvfb"/fd | sed -n 's/.*-> \(socket\|pipe\):\[\([0-9]*\)\]/\2/p'); do
  ! grep -qx "$ino" <<<"$host_inodes" || fail "Xvfb shares socket/pipe $ino with the host"
done
for f in /proc/"$pid"/fdinfo/*; do
  [ "${f##*/}" -gt 2 ] || continue  # stdio is inherited on purpose
  flags=$(sed -n 's/^flags:\s*//p' "$f" 2>/dev/null) || continue
  [ -n "$flags" ] || continue
  (( (8#$flags & 8#2000000) != 0 )) ||
    fail "host fd ${f##*/} is not close-on-exec: $(readlink /proc/"$pid"/fd/"${f##*/}")"
done

echo "== a killed X server ends only its session"
probe stream --resume --mode 800x600@30 --seconds 8 --keep >"$work/kill.log" 2>&1 &
probe_pid=$!
sleep 3
kill -9 "$(host_xvfbs)"
wait "$probe_pid" || true
cat "$work/kill.log"
grep -q "host ended the stream: 0x80030024" "$work/kill.log" || fail "the client was not told"
kill -0 "$pid" 2>/dev/null || fail "the host died with its X server"
probe stream --mode 640x480@30 --seconds 2 >"$work/after.log" 2>&1 ||
  fail "no session after the X server died: $(cat "$work/after.log")"
grep -q "at 640x480," "$work/after.log" || fail "the next session did not stream"

echo "== kill -9 of the host mid-stream, restart at once"
probe stream --mode 640x480@30 --seconds 6 --keep >"$work/k9.log" 2>&1 &
probe_pid=$!
sleep 3
app=$(cat "$work/app-pid")
xvfb=$(host_xvfbs)
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=""
start_host host2.log
for _ in $(seq 50); do kill -0 "$xvfb" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$xvfb" 2>/dev/null || fail "the killed host's Xvfb lives on"
for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$app" 2>/dev/null || fail "the killed host's app lives on"
wait "$probe_pid" || true
probe stream --mode 640x480@30 --seconds 2 >"$work/restart.log" 2>&1 ||
  fail "no stream after the restart: $(cat "$work/restart.log")"
kill -INT "$pid"
wait "$pid" || fail "host exit status $?"
pid=""
echo "gs_resume_test: ok"
