# SPDX-License-Identifier: MIT OR Apache-2.0
# pf_add_test(name SOURCES ... LIBS ... [LABELS ...]): a GoogleTest binary whose
# tests are registered with ctest one by one.
include(GoogleTest OPTIONAL)

function(pf_add_test name)
  if(NOT PUNKTFUNK_BUILD_TESTS OR PUNKTFUNK_FUZZ)
    return()
  endif()
  cmake_parse_arguments(T "SERIAL" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  set(serial)
  if(T_SERIAL)  # runs alone: it loads the machine, or must not be loaded
    set(serial RUN_SERIAL TRUE)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${T_LABELS}" ${serial} DISCOVERY_TIMEOUT 60)
endfunction()

# pf_add_bench(name SOURCES ... LIBS ...): a Google Benchmark program (not a test).
function(pf_add_bench name)
  if(NOT PUNKTFUNK_BUILD_BENCH OR PUNKTFUNK_FUZZ)
    return()
  endif()
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE ${B_LIBS} benchmark::benchmark)
endfunction()
