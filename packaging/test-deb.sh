#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Usage: packaging/test-deb.sh [BUILD_DIR]   (as root; CI runs it)
# Builds the .deb, checks what it holds, installs it, runs the installed host
# (--version, doctor), verifies the systemd unit, and removes the package.
set -euo pipefail
build=${1:-build}
[ "$(id -u)" = 0 ] || { echo "test-deb: run as root (it installs the package)" >&2; exit 1; }
fail() { echo "test-deb: $*" >&2; exit 1; }
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack failed"
deb=$(ls -t "$build"/punktfunk_*.deb | head -1)
echo "test-deb: built $deb ($(du -h "$deb" | cut -f1))"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/punktfunk-host ./usr/bin/punktfunk-client ./usr/include/punktfunk_core.h \
         ./usr/lib/systemd/user/punktfunk-host.service ./usr/lib/udev/rules.d/60-punktfunk-uinput.rules \
         ./usr/lib/modules-load.d/punktfunk.conf ./usr/share/doc/punktfunk/README.md \
         ./usr/share/applications/punktfunk-host.desktop; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
grep -Eq " ./usr/lib/[^ ]*libpunktfunk_core\.so\.0" <<<"$contents" || fail "no shared library"
dpkg-deb -f "$deb" Depends | grep -q "libavcodec" || fail "Depends lacks the linked libraries"
dpkg -i "$deb" >/dev/null || fail "dpkg -i"
trap 'dpkg -r punktfunk >/dev/null 2>&1 || true' EXIT
/usr/bin/punktfunk-host --version | grep -q "punktfunk-host" || fail "--version"
/usr/bin/punktfunk-host doctor | grep -q "x264" || fail "doctor"
/usr/bin/punktfunk-client --help >/dev/null || fail "client --help"
/usr/bin/punktfunk-ctl --help | grep -q "management API" || fail "punktfunk-ctl --help"
grep -qx "Exec=/usr/bin/punktfunk-host" /usr/share/applications/punktfunk-host.desktop \
  || fail "the desktop file does not name /usr/bin/punktfunk-host"
out=$(systemd-analyze verify /usr/lib/systemd/user/punktfunk-host.service 2>&1) || true
[ -z "$out" ] || fail "the unit does not verify: $out"
dpkg -r punktfunk >/dev/null || fail "dpkg -r"
trap - EXIT
[ ! -e /usr/bin/punktfunk-host ] || fail "dpkg -r left the host behind"
echo "test-deb: ok (installed, ran --version and doctor, unit verified, removed)"
