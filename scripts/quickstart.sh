#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# The README's first command: install dependencies, build, and start the host on
# its built-in default. Extra arguments go to punktfunk-host (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "quickstart: configuring and building (preset 'default', build/)"
cmake --preset default >/dev/null
# Only what the quick start runs (the host, the reference client, punktfunk-ctl);
# scripts/test.sh builds the rest, tests included.
cmake --build --preset default --target punktfunk-host punktfunk-client punktfunk-ctl
# Moonlight finds hosts through mDNS (avahi-daemon). Start it if it is installed
# but not running and systemd manages this machine; otherwise the host explains.
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
if ! avahi-daemon --check 2>/dev/null && [ -d /run/systemd/system ]; then
  echo "quickstart: starting avahi-daemon (mDNS) with systemctl"
  $SUDO systemctl start avahi-daemon 2>/dev/null || echo "quickstart: could not start avahi-daemon"
fi
echo "quickstart: starting build/src/host/punktfunk-host $*"
exec build/src/host/punktfunk-host "$@"
