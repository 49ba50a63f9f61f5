# SPDX-License-Identifier: MIT OR Apache-2.0
# Sourced by the integration tests, tests/c and tools/latency-probe: free_port_base prints a base
# port P such that P..P+15 are bound by nothing on this machine right now (TCP or UDP), so hosts
# started side by side are not handed the same ports (a host uses P and a few above it).
free_port_base() {
  local base used
  used=$(ss -Htuan 2>/dev/null | awk '{ n = split($5, a, ":"); print a[n] }' | sort -un)
  for _ in $(seq 200); do
    base=$((20000 + RANDOM % 20000))
    if ! awk -v b="$base" '$1 >= b && $1 <= b + 15 { found = 1 } END { exit !found }' <<<"$used"; then
      echo "$base"
      return 0
    fi
  done
  echo $((20000 + RANDOM % 20000))
}
