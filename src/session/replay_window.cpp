// SPDX-License-Identifier: MIT OR Apache-2.0
#include "session/replay_window.h"

namespace pf::session {

ReplayWindow::Verdict ReplayWindow::check(uint64_t pn) const {
  if (!any_ || pn > newest_)
    return Verdict::kNew;
  if (newest_ - pn >= kSize)
    return Verdict::kTooOld;
  return test(pn) ? Verdict::kDuplicate : Verdict::kNew;
}

ReplayWindow::Verdict ReplayWindow::accept(uint64_t pn) {
  const Verdict v = check(pn);
  if (v != Verdict::kNew)
    return v;
  if (!any_ || pn > newest_) {
    // Clear the bits of every number the window slides past (words at a time).
    const uint64_t from = any_ ? newest_ + 1 : 0;
    if (!any_ || pn - from >= kSize) {
      bits_.fill(0);
    } else {
      for (uint64_t x = from; x <= pn;) {
        if (x % 64 == 0 && pn - x >= 63) {
          bits_[(x / 64) % kWords] = 0;
          x += 64;
        } else {
          bits_[(x / 64) % kWords] &= ~(uint64_t{1} << (x % 64));
          ++x;
        }
      }
    }
    newest_ = pn;
    any_ = true;
  }
  bits_[(pn / 64) % kWords] |= uint64_t{1} << (pn % 64);
  return v;
}

}  // namespace pf::session
