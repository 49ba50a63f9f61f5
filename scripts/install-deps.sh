#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Installs every Debian 12 package punktfunk needs to build, test and run.
# Idempotent: packages already present are skipped; `apt-get update` runs only
# when something is missing. This is the ONE list of system dependencies.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang lld clang-format clang-tidy
  libclang-rt-14-dev
  # base libraries
  libexpected-dev libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # crypto and FEC baselines
  libssl-dev libipsec-mb-dev libisal-dev
  # GameStream control plane: HTTP(S), mDNS
  libcpp-httplib-dev libavahi-client-dev avahi-daemon libenet-dev
  # punktfunk/1 control plane: QUIC (ngtcp2 0.12 with the GnuTLS crypto backend)
  libngtcp2-dev libngtcp2-crypto-gnutls-dev libgnutls28-dev
  # integration tests: namespaces, a private D-Bus and avahi-daemon, mDNS browsing
  iproute2 dbus avahi-utils
  # the fault tests: a clock stepped under the host (LD_PRELOAD, realtime only)
  libfaketime
  # media
  libavcodec-dev libavutil-dev libswscale-dev libx264-dev libopus-dev
  # desktop audio (PipeWire) and its tests
  libpipewire-0.3-dev pipewire pipewire-bin wireplumber sox
  # virtual display (built-in default: Xvfb) and capture
  xvfb x11-utils libx11-dev libxext-dev libxtst-dev libxfixes-dev libxrandr-dev libyuv-dev
  # GNOME virtual monitors (Mutter's ScreenCast D-Bus API over sd-bus) and their tests
  libsystemd-dev mutter
  # sway outputs (wlr-screencopy capture, virtual keyboard/pointer) and their tests
  libwayland-dev wayland-protocols libxkbcommon-dev sway swaybg wev
  # KDE Plasma: KWin's screencast and fake-input protocols, and a headless KWin for their tests
  plasma-wayland-protocols kwin-wayland
  # the desktop portal's screen cast, and its tests' stand-in backend (Python D-Bus)
  xdg-desktop-portal fuse3 python3-dbus python3-gi
  # virtual gamepads (uinput)
  libevdev-dev
  # the reference client's window, sound and input; its stats overlay's text
  libsdl2-dev libsdl2-ttf-dev fonts-dejavu-core
  # tools/latency-probe plots
  gnuplot-nox
  # the management API's tests (curl) and the web page's: headless Chromium over WebDriver
  curl openssl chromium chromium-driver libyaml-cpp-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
