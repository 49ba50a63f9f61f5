# SPDX-License-Identifier: MIT OR Apache-2.0
# Compiler warnings, sanitizers and ccache, applied to every target.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_compile_options(-Wall -Wextra -Wshadow $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor> -Wcast-align -Wunused
                    -Wpointer-arith -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_compile_options(-Wthread-safety)
endif()

if(PUNKTFUNK_SANITIZE STREQUAL "asan")
  # Undefined behaviour ends the process (tests/fuzz: sanitizer.ubsan_is_fatal).
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
elseif(PUNKTFUNK_SANITIZE STREQUAL "tsan")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT PUNKTFUNK_SANITIZE STREQUAL "")
  message(FATAL_ERROR "PUNKTFUNK_SANITIZE must be asan, tsan or empty, not '${PUNKTFUNK_SANITIZE}'")
endif()

if(PUNKTFUNK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PUNKTFUNK_FUZZ needs clang (libFuzzer); use the 'fuzz' preset")
  endif()
  # Fatal, as in the asan preset: a recoverable report let `ctest --preset fuzz` pass on it.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
