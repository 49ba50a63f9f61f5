// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string_view>
#include <vector>

namespace pf::fec {

// Instruction-set levels the FEC kernels are written for, worst to best.
enum class Isa {
  kScalar = 0,  // portable C++, the reference every other kernel is tested against
  kAvx2 = 1,    // split-nibble tables with vpshufb, 32 bytes at a time
  kAvx512 = 2,  // AVX-512BW: the same with 64-byte vectors and masked tails
  kGfni = 3,    // AVX-512BW + GFNI: one vgf2p8affineqb per 64 bytes per coefficient
};

std::string_view isa_name(Isa isa);
// Every level this CPU can run (from CPUID), scalar first.
std::vector<Isa> available_isas();
// The best available level; PUNKTFUNK_FEC_ISA=scalar|avx2|avx512|gfni caps it.
Isa best_isa();

}  // namespace pf::fec
