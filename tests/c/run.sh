#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: run.sh INCLUDE_DIR LIBRARY_DIR WORK_DIR [EXTRA_CFLAGS]
# Compiles each C test (abi_test.c, dataplane_test.c) as strict C11 against the
# header, links it with libpunktfunk_core.so and runs it. Exits non-zero on any
# warning or failed check.
set -euo pipefail
inc=$1 libdir=$2 work=$3 extra=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cc=${CC_FOR_ABI_TEST:-cc}
for t in abi_test dataplane_test; do
  # shellcheck disable=SC2086 # extra holds several flags
  "$cc" -std=c11 -Wall -Wextra -Werror -pedantic $extra -I"$inc" "$here/$t.c" \
    -L"$libdir" -lpunktfunk_core -Wl,-rpath,"$libdir" -o "$work/$t"
  # The harness must not pick up any other copy of the library.
  # (ldd's output is captured first: with pipefail, grep -q closing the pipe early
  # would fail the pipeline at random.)
  deps=$(ldd "$work/$t")
  grep -q "$libdir/libpunktfunk_core.so" <<<"$deps" || {
    echo "$t is not linked against $libdir/libpunktfunk_core.so" >&2; exit 1; }
  "$work/$t"
done
