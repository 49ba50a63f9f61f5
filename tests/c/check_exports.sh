#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: check_exports.sh LIBRARY
# Fails if the shared library exports any defined dynamic symbol that is not punktfunk_*,
# or exports none.
set -euo pipefail
lib=$1
syms=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^$' || true)
bad=$(echo "$syms" | grep -v '^punktfunk_' | grep -v '^$' || true)
count=$(echo "$syms" | grep -c '^punktfunk_' || true)
if [ -n "$bad" ]; then
  echo "unexpected exported symbols in $lib:" >&2; echo "$bad" >&2; exit 1
fi
if [ "$count" -eq 0 ]; then echo "no punktfunk_* symbols exported by $lib" >&2; exit 1; fi
echo "$lib exports $count symbols, all punktfunk_*"
