# SPDX-License-Identifier: MIT OR Apache-2.0
# Every dependency is a Debian 12 package installed by scripts/install-deps.sh.
# No FetchContent, no downloads at configure time.

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(tl-expected REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(OpenSSL REQUIRED)
# Debian ships intel-ipsec-mb as a static library with a single header.
find_library(IPSECMB_LIBRARY NAMES libIPSec_MB.a IPSec_MB REQUIRED)
find_path(IPSECMB_INCLUDE_DIR intel-ipsec-mb.h REQUIRED)
add_library(pf_ipsecmb INTERFACE)
target_link_libraries(pf_ipsecmb INTERFACE ${IPSECMB_LIBRARY})
target_include_directories(pf_ipsecmb SYSTEM INTERFACE ${IPSECMB_INCLUDE_DIR})

if(PUNKTFUNK_BUILD_TESTS AND NOT PUNKTFUNK_FUZZ)
  find_package(GTest REQUIRED)
endif()
if(PUNKTFUNK_BUILD_BENCH AND NOT PUNKTFUNK_FUZZ)
  find_package(benchmark REQUIRED)
  # Debian's libisal-dev ships no pkg-config file or CMake package.
  find_library(ISAL_LIBRARY isal REQUIRED)
  find_path(ISAL_INCLUDE_DIR isa-l/erasure_code.h REQUIRED)
  add_library(pf_isal INTERFACE)
  target_link_libraries(pf_isal INTERFACE ${ISAL_LIBRARY})
  target_include_directories(pf_isal SYSTEM INTERFACE ${ISAL_INCLUDE_DIR})
endif()

if(NOT PUNKTFUNK_CORE_ONLY)
  find_package(tomlplusplus REQUIRED)  # host.toml (proto/config, fuzzed too), apps.toml
endif()
if(NOT PUNKTFUNK_FUZZ AND NOT PUNKTFUNK_CORE_ONLY)
  find_package(CLI11 REQUIRED)
  pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET libavcodec libavutil libswscale)
  pkg_check_modules(X264 REQUIRED IMPORTED_TARGET x264)  # direct: reference invalidation
  pkg_check_modules(X11 REQUIRED IMPORTED_TARGET x11 xext xtst xfixes)
  # Debian's libyuv-dev ships no pkg-config file or CMake package.
  find_library(LIBYUV_LIBRARY yuv REQUIRED)
  find_path(LIBYUV_INCLUDE_DIR libyuv/convert_from_argb.h REQUIRED)
  add_library(pf_libyuv INTERFACE)
  target_link_libraries(pf_libyuv INTERFACE ${LIBYUV_LIBRARY})
  target_include_directories(pf_libyuv SYSTEM INTERFACE ${LIBYUV_INCLUDE_DIR})
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
  pkg_check_modules(AVAHI REQUIRED IMPORTED_TARGET avahi-client)
  pkg_check_modules(ENET REQUIRED IMPORTED_TARGET libenet)
  pkg_check_modules(OPUS REQUIRED IMPORTED_TARGET opus)
  pkg_check_modules(PIPEWIRE REQUIRED IMPORTED_TARGET libpipewire-0.3)
  pkg_check_modules(LIBEVDEV REQUIRED IMPORTED_TARGET libevdev)  # uinput gamepads
  pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)  # sd-bus: Mutter's D-Bus APIs
  pkg_check_modules(SDL2 REQUIRED IMPORTED_TARGET sdl2)
  pkg_check_modules(SDL2_TTF REQUIRED IMPORTED_TARGET SDL2_ttf)
  # sway / wlroots compositors: screencopy capture and virtual input
  pkg_check_modules(WAYLAND_CLIENT REQUIRED IMPORTED_TARGET wayland-client xkbcommon)
  pkg_get_variable(WAYLAND_PROTOCOLS_DIR wayland-protocols pkgdatadir)
  find_program(WAYLAND_SCANNER wayland-scanner REQUIRED)
  # KWin: its screencast (virtual outputs) and fake-input protocols
  find_package(PlasmaWaylandProtocols REQUIRED)
  if(NOT WAYLAND_PROTOCOLS_DIR)
    message(FATAL_ERROR "wayland-protocols not found (Debian package wayland-protocols)")
  endif()
endif()
