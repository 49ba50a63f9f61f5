#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: run.sh INCLUDE_DIR LIBRARY_DIR WORK_DIR [EXTRA_CFLAGS]
# Compiles abi_test.c as strict C11 against the header, links libpunktfunk_core.so
# and runs it. Exits non-zero on any warning or failed check.
set -euo pipefail
inc=$1 libdir=$2 work=$3 extra=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cc=${CC_FOR_ABI_TEST:-cc}
# shellcheck disable=SC2086 # extra holds several flags
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic $extra -I"$inc" "$here/abi_test.c" \
  -L"$libdir" -lpunktfunk_core -Wl,-rpath,"$libdir" -o "$work/abi_test"
# The harness must not pick up any other copy of the library.
# (ldd's output is captured first: with pipefail, grep -q closing the pipe early
# would fail the pipeline at random.)
deps=$(ldd "$work/abi_test")
grep -q "$libdir/libpunktfunk_core.so" <<<"$deps" || {
  echo "abi_test is not linked against $libdir/libpunktfunk_core.so" >&2; exit 1; }
"$work/abi_test"
