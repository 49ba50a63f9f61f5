// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "fec/gf16_kernels.h"
#include "fec/isa.h"

namespace pf::fec {

// Systematic GF(2^16) Reed-Solomon in O(n log n), byte-compatible with
// Leopard-RS's 16-bit field (additive FFT over a Cantor basis, polynomial
// 0x1002D, shards in Leopard's lo/hi 64-byte layout). Any k of the k + m shards
// rebuild the block.
//
// Limits: k >= 1, m >= 1, NextPow2(m) + k <= 65536 (so k + m <= 65536 always
// holds), shard_bytes a multiple of 64 up to kMaxShardBytes (erasures.h), and
// at most kMaxWorkBytes of work memory (decode_work_bytes). Anything else, null
// shards or a mask of another length than k + m is kInvalidArgument, never a
// crash or an allocation of what a hostile shape asks for.
//
// Thread model: not thread-safe (owns its work buffers); one codec per thread.
// Work buffers grow to the largest block seen and are reused: no allocation per
// block in steady state.
class LeopardCodec {
 public:
  static constexpr size_t kMaxWorkBytes = size_t{1} << 30;

  explicit LeopardCodec(Isa isa = best_isa());

  // Bytes of work memory encode / decode need for a shape (what the codec keeps
  // allocated after such a block).
  static size_t encode_work_bytes(size_t k, size_t m, size_t shard_bytes);
  static size_t decode_work_bytes(size_t k, size_t m, size_t shard_bytes);

  Status encode(size_t k,
                size_t m,
                size_t shard_bytes,
                const uint8_t* const* data,
                uint8_t* const* parity);

  // shards: k + m buffers (data, then parity); present[i] != 0 if shard i
  // arrived. Rebuilds every missing data shard in place. kDataLoss if fewer
  // than k shards are present.
  Status decode(size_t k,
                size_t m,
                size_t shard_bytes,
                uint8_t* const* shards,
                std::span<const uint8_t> present);

  Isa isa() const { return kernel_->isa; }

 private:
  static Status check_shape(size_t k, size_t m, size_t shard_bytes);
  uint8_t** work(size_t count, size_t shard_bytes);
  void formal_derivative(uint8_t** w, size_t n, size_t bytes);

  const gf16::Kernel* kernel_;
  std::vector<uint8_t> work_mem_;
  std::vector<uint8_t*> work_ptrs_;
  std::vector<uint16_t> locator_;
  std::vector<uint32_t> nonzero_, wanted_;  // prefix counts for fft16::Mask
};

}  // namespace pf::fec
