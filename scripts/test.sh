#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# The README's second command: install dependencies, build, and run the whole
# test suite: unit and integration tests (g++ RelWithDebInfo), the C ABI harness,
# the format check, and every libFuzzer target briefly on its seed corpus (clang).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

echo "== build (preset default)"
cmake --preset default >/dev/null
cmake --build --preset default

echo "== format check"
cmake --build --preset default --target format-check

echo "== fuzz targets (preset fuzz, clang + libFuzzer)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz

echo "== tests (preset default)"
ctest --preset default
