#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: connection_run.sh INCLUDE_DIR LIBRARY_DIR WORK_DIR HOST_BIN [EXTRA_CFLAGS]
# Compiles connection_test.c as strict C11 against libpunktfunk_core.so and
# runs it against a real punktfunk-host on 127.0.0.1 (which this script starts
# and stops), with a PIN from `punktfunk-host pair`.
set -euo pipefail
inc=$1 libdir=$2 work=$3 host_bin=$4 extra=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cc=${CC_FOR_ABI_TEST:-cc}
# shellcheck disable=SC2086 # extra holds several flags
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic $extra -I"$inc" "$here/connection_test.c" \
  -L"$libdir" -lpunktfunk_core -Wl,-rpath,"$libdir" -o "$work/connection_test"
state=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT
export XDG_STATE_HOME=$state/state XDG_CONFIG_HOME=$state/config XDG_RUNTIME_DIR=$state/run
source "$(dirname "$(realpath "$0")")/../../scripts/free_ports.sh"
port=$(free_port_base)
nport=$((port + 2))
"$host_bin" --bind 127.0.0.1 --port "$port" --native-port "$nport" --mgmt-port "$((port + 7))" --no-mdns --name capi-test \
  >"$state/host.log" 2>&1 &
pid=$!
pin=""
for _ in $(seq 100); do
  pin=$("$host_bin" pair 2>/dev/null | sed -n 's/^PIN \([0-9]\{6\}\).*/\1/p') && [ -n "$pin" ] && break
  sleep 0.1
done
[ -n "$pin" ] || { cat "$state/host.log" >&2; echo "no PIN from the host" >&2; exit 1; }
if ! "$work/connection_test" "127.0.0.1:$nport" "$pin" "$state/client"; then
  cat "$state/host.log" >&2
  exit 1
fi
