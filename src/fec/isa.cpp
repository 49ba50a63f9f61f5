// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/isa.h"

#include <cstdlib>
#include <string>

namespace pf::fec {

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return "scalar";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
    case Isa::kGfni:
      return "gfni";
  }
  return "unknown";
}

std::vector<Isa> available_isas() {
  std::vector<Isa> out{Isa::kScalar};
#if defined(__x86_64__)
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2");
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  const bool gfni = __builtin_cpu_supports("gfni");
  if (avx2)
    out.push_back(Isa::kAvx2);
  if (avx512)
    out.push_back(Isa::kAvx512);
  if (avx512 && gfni)
    out.push_back(Isa::kGfni);
#endif
  return out;
}

Isa best_isa() {
  static const Isa best = [] {
    auto all = available_isas();
    Isa pick = all.back();
    if (const char* cap = std::getenv("PUNKTFUNK_FEC_ISA")) {
      for (Isa i : all)
        if (isa_name(i) == cap)
          pick = i;
    }
    return pick;
  }();
  return best;
}

}  // namespace pf::fec
