# SPDX-License-Identifier: MIT OR Apache-2.0
# Sourced by the integration tests, tests/c and tools/latency-probe: free_port_base prints a base
# port P such that P..P+15 are bound by nothing on this machine right now (TCP or UDP), so hosts
# started side by side are not handed the same ports (a host uses P and a few above it).
#
# Two things make that hold while other tests run beside it:
# - P..P+15 lies below the kernel's ephemeral range (net.ipv4.ip_local_port_range), so no
#   client socket of a parallel test can be handed one of them between this check and the
#   host's bind (that happened: a host found its port taken by someone's outgoing connection);
# - the window is reserved for 10 minutes by an atomic mkdir under $TMPDIR, so two scripts
#   picking at the same moment cannot pick the same window.
free_port_base() {
  local low=20000 high ephemeral base used dir
  ephemeral=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  high=$((ephemeral - 16))
  ((high > low + 1600)) || low=1024
  dir=${TMPDIR:-/tmp}/punktfunk-test-ports
  mkdir -p "$dir" 2>/dev/null || true
  find "$dir" -mindepth 1 -maxdepth 1 -type d -mmin +10 -exec rmdir {} + 2>/dev/null || true
  used=$(ss -Htuan 2>/dev/null | awk '{ n = split($5, a, ":"); print a[n] }' | sort -un)
  for _ in $(seq 400); do
    base=$((low + (RANDOM * 32768 + RANDOM) % ((high - low) / 16) * 16))
    if awk -v b="$base" '$1 >= b && $1 <= b + 15 { found = 1 } END { exit !found }' <<<"$used"; then
      continue
    fi
    mkdir "$dir/$base" 2>/dev/null || continue
    echo "$base"
    return 0
  done
  echo "free_port_base: no free window of 16 ports in $low..$high" >&2
  return 1
}
