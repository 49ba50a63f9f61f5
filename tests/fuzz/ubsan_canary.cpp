// SPDX-License-Identifier: MIT OR Apache-2.0
// A signed overflow the compiler cannot see coming: built with the sanitizer
// presets' flags, UBSan must report it and end the process
// (sanitizer.ubsan_is_fatal). A recoverable UBSan would print the report and
// return 0, and every fuzz target and sanitizer test would pass on undefined
// behaviour.
#include <climits>
#include <cstdio>

int main(int argc, char**) {
  int x = INT_MAX - 1;
  x += argc + 1;  // INT_MAX - 1 + 2
  std::printf("still running after the overflow (%d)\n", x);
  return 0;
}
