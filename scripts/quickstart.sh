#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# The README's first command: install dependencies, build, and start the host on
# its built-in default. Extra arguments go to punktfunk-host (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "quickstart: configuring and building (preset 'default', build/)"
cmake --preset default >/dev/null
cmake --build --preset default
echo "quickstart: starting build/src/host/punktfunk-host $*"
exec build/src/host/punktfunk-host "$@"
