// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "fec/gf8_kernels.h"
#include "fec/isa.h"

namespace pf::fec {

// Systematic GF(2^8) Reed-Solomon with the Cauchy parity matrix Moonlight's
// clients use (nanors): P[j][i] = 1 / (j XOR (m + i)), polynomial 0x11D.
// Any k of the k + m shards rebuild the block. k >= 1, m >= 1, k + m <= 255,
// shards of 1 byte to kMaxShardBytes (erasures.h). Bad shapes, null shards and
// masks of another length than k + m are errors (kInvalidArgument), never a
// crash.
//
// Thread model: not thread-safe (it caches matrices and reuses scratch); use
// one codec per thread. After the first block of a shape, encode allocates
// nothing, and decode allocates only when a block needs more scratch than any
// before it. Decode keeps the plans of the last four loss patterns.
class CauchyCodec {
 public:
  static constexpr size_t kMaxShards = 255;

  explicit CauchyCodec(Isa isa = best_isa());

  // GameStream's audio codec: (4, 2) only, with the fixed matrix
  // (77 40 38 0e / c7 a7 0d 6c) instead of the Cauchy one.
  static CauchyCodec moonlight_audio(Isa isa = best_isa());

  // parity[j] = row j of P times the data shards.
  Status encode(size_t k,
                size_t m,
                size_t shard_bytes,
                const uint8_t* const* data,
                uint8_t* const* parity);

  // shards: k + m buffers of shard_bytes (data first, then parity); present[i]
  // != 0 when shard i arrived. Rebuilds every missing DATA shard in place;
  // missing parity shards are left as they are. Fails with kDataLoss when fewer
  // than k shards are present.
  Status decode(size_t k,
                size_t m,
                size_t shard_bytes,
                uint8_t* const* shards,
                std::span<const uint8_t> present);

  // The parity coefficient P[j][i] this codec uses for a shape.
  uint8_t parity_coefficient(size_t k, size_t m, size_t j, size_t i) const;

  Isa isa() const { return kernel_->isa; }

 private:
  Status check_shape(size_t k, size_t m, size_t shard_bytes) const;

  const gf8::Kernel* kernel_;
  bool audio_matrix_ = false;

  // Encode matrix of the last shape, prepared for the kernel.
  size_t enc_k_ = 0, enc_m_ = 0;
  std::vector<uint8_t> enc_prepared_;

  // A decode plan for one loss pattern: D the lost data shards, K the data
  // shards kept, J the parity shards standing in for D (the first |D| that
  // arrived), and the e x k decode matrix over the inputs [d_K..., p_J...]:
  //   d_D = S^-1 p_J + (S^-1 P[J][K]) d_K,   S = P[J][D] (e x e, Cauchy).
  // S^-1 comes in closed form (O(e^2)); the fold S^-1 P[J][K] is a region
  // product with the SIMD kernel over the coefficient rows of P[J][K] (k - e
  // bytes each), not a scalar multiply per element.
  struct Plan {
    size_t k = 0, m = 0;
    std::vector<uint8_t> present;
    std::vector<uint16_t> lost, kept, parity;
    std::vector<uint8_t> prepared;  // the decode matrix, e x k, for the kernel
    uint64_t used = 0;              // for least-recently-used replacement
  };
  static constexpr size_t kPlans = 4;  // recent loss patterns kept

  Plan& plan_for(size_t k, size_t m, std::span<const uint8_t> present, Status* st);
  Status build_plan(Plan& p, size_t k, size_t m, std::span<const uint8_t> present);
  Status invert_sub(const Plan& p, size_t k, size_t m);
  void reserve_plans(size_t k, size_t m);

  Plan plans_[kPlans];
  uint64_t plan_clock_ = 0;
  size_t plans_reserved_ = 0;  // coefficients every plan can hold without growing
  std::vector<uint8_t> coef_, sub_, scratch_, xs_, ys_, sub_prepared_, fold_;
  std::vector<const uint8_t*> in_ptrs_;
  std::vector<uint8_t*> out_ptrs_;
};

}  // namespace pf::fec
