// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace pf::detail {

void check_failed(const char* file, int line, const char* cond, const char* msg) {
  // No allocation and no logging library here: the process may be in any state.
  std::fprintf(stderr, "%s:%d: CHECK failed: %s%s%s\n", file, line, cond, msg ? ": " : "",
               msg ? msg : "");
  std::fflush(stderr);
  std::abort();
}

}  // namespace pf::detail
