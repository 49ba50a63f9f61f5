// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

// PF_CHECK(cond): always on. PF_DCHECK(cond): debug builds only.
// Both are for bugs (broken invariants), never for bad input: bad input gets a
// Status. A failed check prints file:line, the condition and an optional
// message to stderr and aborts.

namespace pf::detail {
[[noreturn]] void check_failed(const char* file, int line, const char* cond, const char* msg);
}  // namespace pf::detail

#define PF_CHECK_MSG(cond, msg)                                   \
  do {                                                            \
    if (!(cond)) [[unlikely]] {                                   \
      ::pf::detail::check_failed(__FILE__, __LINE__, #cond, msg); \
    }                                                             \
  } while (0)

#define PF_CHECK(cond) PF_CHECK_MSG(cond, nullptr)

#ifdef NDEBUG
#define PF_DCHECK(cond) \
  do {                  \
    (void)sizeof(cond); \
  } while (0)
#define PF_DCHECK_MSG(cond, msg) PF_DCHECK(cond)
#else
#define PF_DCHECK(cond) PF_CHECK(cond)
#define PF_DCHECK_MSG(cond, msg) PF_CHECK_MSG(cond, msg)
#endif
