#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: mdns_test.sh PATH/TO/punktfunk-host [PATH/TO/punktfunk-client]
# Starts punktfunk-host and checks that it announces _nvstream._tcp and
# _punktfunk._udp through a real avahi-daemon, and that `punktfunk-client
# discover` finds it. Everything runs in a network namespace and a mount
# namespace the test creates (private /run/dbus and /run/avahi-daemon, a veth
# pair for multicast), so no packet leaves the test and no system daemon is
# touched. Needs root, ip, dbus-daemon, avahi-daemon and avahi-browse.
set -euo pipefail
host_bin=$(realpath "$1")
client_bin=${2:+$(realpath "$2")}
if [ "$(id -u)" -ne 0 ]; then
  echo "mdns_test: needs root (network and mount namespaces)" >&2
  exit 1
fi
ns="pfmdns$$"
work=$(mktemp -d)
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  sleep 0.2
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add pfa type veth peer name pfb
ip -n "$ns" addr add 10.231.0.1/24 dev pfa
ip -n "$ns" addr add 10.231.0.2/24 dev pfb
ip -n "$ns" link set pfa up
ip -n "$ns" link set pfb up

cat >"$work/inner.sh" <<INNER
set -euo pipefail
mount -t tmpfs none /run/dbus
mkdir -p /run/avahi-daemon
mount -t tmpfs none /run/avahi-daemon
dbus-daemon --system --fork
for i in \$(seq 50); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done
avahi-daemon --no-chroot --no-rlimits -D
for i in \$(seq 50); do avahi-daemon --check 2>/dev/null && break; sleep 0.1; done
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
"$host_bin" --name pf-mdns-test --port 57989 --bind 10.231.0.1 >"$work/host.log" 2>&1 &
hostpid=\$!
found=""
for i in \$(seq 100); do
  if out=\$(avahi-browse -rpt _nvstream._tcp 2>/dev/null | grep '^=' | grep 'pf-mdns-test'); then
    found=\$out
    break
  fi
  sleep 0.1
done
kill -INT \$hostpid
wait \$hostpid || true
echo "--- host log"
cat "$work/host.log"
echo "--- avahi-browse"
echo "\$found"
[ -n "\$found" ] || { echo "mdns_test: _nvstream._tcp 'pf-mdns-test' was not announced" >&2; exit 1; }
# Resolved record: =;iface;proto;name;type;domain;hostname;address;port;txt
port=\$(echo "\$found" | head -1 | cut -d';' -f9)
[ "\$port" = 57989 ] || { echo "mdns_test: SRV port is \$port, expected 57989" >&2; exit 1; }
echo "mdns_test: announced on port \$port"
if [ -n "$client_bin" ]; then
  "$host_bin" --name pf-mdns-test --port 57989 --bind 10.231.0.1 >"$work/host1b.log" 2>&1 &
  hostpid=\$!
  disc=""
  for i in \$(seq 30); do
    disc=\$("$client_bin" --state-dir "$work/client" discover --seconds 1 2>&1 || true)
    echo "\$disc" | grep -q "pf-mdns-test.*10.231.0.1:9777" && break
  done
  kill -INT \$hostpid
  wait \$hostpid || true
  echo "\$disc"
  echo "\$disc" | grep -Eq "pf-mdns-test +10\.231\.0\.1:9777 +[0-9a-f]{16} +not paired" || {
    echo "mdns_test: punktfunk-client discover did not find the host" >&2; exit 1; }
  echo "mdns_test: punktfunk-client discover found _punktfunk._udp"
fi

# Without avahi-daemon the host warns clearly and keeps serving.
avahi-daemon -k
for i in \$(seq 50); do avahi-daemon --check 2>/dev/null || break; sleep 0.1; done
"$host_bin" --name pf-mdns-test --port 57989 --bind 10.231.0.1 >"$work/host2.log" 2>&1 &
hostpid=\$!
reply=""
for i in \$(seq 50); do
  if { exec 3<>/dev/tcp/10.231.0.1/57989; } 2>/dev/null; then
    printf 'GET /serverinfo?uniqueid=0123456789ABCDEF&uuid=1 HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' >&3
    reply=\$(cat <&3)
    exec 3<&-
    break
  fi
  sleep 0.1
done
kill -INT \$hostpid
wait \$hostpid || true
cat "$work/host2.log"
echo "\$reply" | grep -q 'status_code="200"' || { echo "mdns_test: no serverinfo without avahi" >&2; exit 1; }
grep -q 'mDNS: .*add the host .*IP address' "$work/host2.log" || {
  echo "mdns_test: no clear warning without avahi-daemon" >&2; exit 1; }
echo "mdns_test: without avahi-daemon the host warned and kept serving"
INNER
ip netns exec "$ns" unshare --mount --propagation private bash "$work/inner.sh"
