// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace pf {

// The p-quantile (p in 0..1, nearest rank) of `v`; 0 for no values. Takes a
// copy: the caller's order stays. Thread model: a pure function.
inline double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * double(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i];
}

}  // namespace pf
