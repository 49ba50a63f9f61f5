# SPDX-License-Identifier: MIT OR Apache-2.0
# Every dependency is a Debian 12 package installed by scripts/install-deps.sh.
# No FetchContent, no downloads at configure time.

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(tl-expected REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)

if(PUNKTFUNK_BUILD_TESTS AND NOT PUNKTFUNK_FUZZ)
  find_package(GTest REQUIRED)
endif()
if(PUNKTFUNK_BUILD_BENCH AND NOT PUNKTFUNK_FUZZ)
  find_package(benchmark REQUIRED)
  pkg_check_modules(ISAL IMPORTED_TARGET libisal)
endif()

if(NOT PUNKTFUNK_FUZZ)
  find_package(CLI11 REQUIRED)
  pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET libavcodec libavutil)
endif()
