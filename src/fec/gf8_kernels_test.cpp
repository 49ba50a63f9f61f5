// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/gf8_kernels.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pf::fec::gf8 {
namespace {

// Runs kernel `isa` and the scalar reference on the same random inputs.
void compare(Isa isa, size_t rows, size_t cols, size_t bytes, std::mt19937& rng, uint32_t seed) {
  std::vector<uint8_t> coef(rows * cols);
  for (auto& c : coef)
    c = static_cast<uint8_t>(rng());
  if (!coef.empty() && rng() % 4 == 0)
    coef[rng() % coef.size()] = 0;  // zero coefficients too
  std::vector<std::vector<uint8_t>> in(cols, std::vector<uint8_t>(bytes + 64));
  for (auto& v : in)
    for (auto& b : v)
      b = static_cast<uint8_t>(rng());
  std::vector<const uint8_t*> in_ptrs;
  for (auto& v : in)
    in_ptrs.push_back(v.data());
  const Kernel& ref = kernel(Isa::kScalar);
  const Kernel& k = kernel(isa);
  std::vector<std::vector<uint8_t>> out_ref(rows, std::vector<uint8_t>(bytes + 64, 0xEE));
  std::vector<std::vector<uint8_t>> out(rows, std::vector<uint8_t>(bytes + 64, 0xEE));
  std::vector<uint8_t*> ref_ptrs, out_ptrs;
  for (auto& v : out_ref)
    ref_ptrs.push_back(v.data());
  for (auto& v : out)
    out_ptrs.push_back(v.data());
  std::vector<uint8_t> prep_ref(coef.size() * ref.prepared_bytes_per_coef);
  std::vector<uint8_t> prep(coef.size() * k.prepared_bytes_per_coef);
  ref.prepare(coef.data(), coef.size(), prep_ref.data());
  k.prepare(coef.data(), coef.size(), prep.data());
  ref.dot(prep_ref.data(), rows, cols, in_ptrs.data(), ref_ptrs.data(), bytes);
  k.dot(prep.data(), rows, cols, in_ptrs.data(), out_ptrs.data(), bytes);
  for (size_t r = 0; r < rows; ++r)
    ASSERT_EQ(out[r], out_ref[r]) << isa_name(isa) << " rows=" << rows << " cols=" << cols
                                  << " bytes=" << bytes << " seed=" << seed
                                  << " (bytes past the end must stay untouched too)";
}

TEST(Gf8KernelsTest, EveryIsaMatchesScalarOnAllTailLengths) {
  const uint32_t seed = 20261125;
  std::mt19937 rng(seed);
  for (Isa isa : available_isas()) {
    for (size_t bytes = 0; bytes <= 300; ++bytes)
      compare(isa, 3, 5, bytes, rng, seed);
  }
}

TEST(Gf8KernelsTest, EveryIsaMatchesScalarOnRandomShapes) {
  const uint32_t seed = 4242;
  std::mt19937 rng(seed);
  for (Isa isa : available_isas()) {
    for (int iter = 0; iter < 60; ++iter) {
      size_t rows = 1 + rng() % 20, cols = 1 + rng() % 40, bytes = rng() % 3000;
      compare(isa, rows, cols, bytes, rng, seed);
    }
  }
}

TEST(Gf8KernelsTest, ReportsIsas) {
  auto all = available_isas();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front(), Isa::kScalar);
  for (Isa i : all)
    std::printf("available: %s\n", std::string(isa_name(i)).c_str());
  std::printf("best: %s\n", std::string(isa_name(best_isa())).c_str());
}

}  // namespace
}  // namespace pf::fec::gf8
