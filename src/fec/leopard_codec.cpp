// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/leopard_codec.h"

#include <cstring>

#include <fmt/format.h>

#include "fec/erasures.h"
#include "fec/fft16.h"
#include "fec/gf65536.h"

namespace pf::fec {
namespace {

using gf65536::kModulus;

size_t next_pow2(size_t v) {
  size_t p = 1;
  while (p < v)
    p <<= 1;
  return p;
}

}  // namespace

LeopardCodec::LeopardCodec(Isa isa) : kernel_(&gf16::kernel(isa)) {
  (void)gf65536::tables();  // build the field tables now, not inside the first block
}

size_t LeopardCodec::encode_work_bytes(size_t, size_t m, size_t shard_bytes) {
  return 2 * next_pow2(m) * shard_bytes;
}

size_t LeopardCodec::decode_work_bytes(size_t k, size_t m, size_t shard_bytes) {
  return next_pow2(next_pow2(m) + k) * shard_bytes;
}

Status LeopardCodec::check_shape(size_t k, size_t m, size_t shard_bytes) {
  if (k == 0 || m == 0)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("GF(2^16) FEC needs k >= 1 and m >= 1 (got k={}, m={})", k, m));
  if (k > gf65536::kOrder || m > gf65536::kOrder || next_pow2(m) + k > gf65536::kOrder)
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("GF(2^16) FEC needs NextPow2(m) + k <= 65536 (got k={}, m={})", k, m));
  if (shard_bytes == 0 || shard_bytes % 64 != 0 || shard_bytes > kMaxShardBytes)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("GF(2^16) shard size must be a multiple of 64 in 64..{} (got {})",
                              kMaxShardBytes, shard_bytes));
  // k, m <= 65536 and shards <= 1 MiB: the work sizes cannot overflow.
  if (decode_work_bytes(k, m, shard_bytes) > kMaxWorkBytes)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("a GF(2^16) block of k={}, m={} and {}-byte shards needs {} MiB of "
                              "work memory (at most {} MiB)",
                              k, m, shard_bytes, decode_work_bytes(k, m, shard_bytes) >> 20,
                              kMaxWorkBytes >> 20));
  return Status::ok();
}

uint8_t** LeopardCodec::work(size_t count, size_t shard_bytes) {
  if (work_mem_.size() < count * shard_bytes)
    work_mem_.resize(count * shard_bytes);
  if (work_ptrs_.size() < count)
    work_ptrs_.resize(count);
  for (size_t i = 0; i < count; ++i)
    work_ptrs_[i] = work_mem_.data() + i * shard_bytes;
  return work_ptrs_.data();
}

// Formal derivative in the novel polynomial basis. Leopard's in-place loop is
// "for i = 1..n-1, width = lowbit(i): w[i-width+t] ^= w[i+t] (t < width)",
// which in closed form is  w'[j] = w[j] ^ XOR over zero bits b of j of w[j|2^b].
// Done in cache-sized blocks of T shards in ascending order: first the terms
// with 2^b < T (the same loop, inside the block, while it is in cache), then
// the terms with 2^b >= T, whose sources lie in later, still unmodified blocks.
// Work buffers are contiguous, so each term over a run of shards is one long
// XOR stream.
void LeopardCodec::formal_derivative(uint8_t** w, size_t n, size_t bytes) {
  size_t block = 1;
  while (block * 2 <= n && block * 2 * bytes <= fft16::kBlockBytes)
    block *= 2;
  for (size_t s = 0; s < n; s += block) {
    for (size_t i = s + 1; i < s + block; ++i) {
      const size_t width = ((i ^ (i - 1)) + 1) >> 1;
      kernel_->xor_region(w[i - width], w[i], width * bytes);
    }
    for (size_t bit = block; bit < n; bit <<= 1)
      if (!(s & bit))
        kernel_->xor_region(w[s], w[s | bit], block * bytes);
  }
}

Status LeopardCodec::encode(size_t k,
                            size_t m,
                            size_t bytes,
                            const uint8_t* const* data,
                            uint8_t* const* parity) {
  if (Status s = check_shape(k, m, bytes); !s.is_ok())
    return s;
  if (Status s = check_shard_pointers(k, m, data, parity); !s.is_ok())
    return s;
  const size_t m2 = next_pow2(m);
  uint8_t** w = work(2 * m2, bytes);
  // Each chunk of m2 data shards is interpolated (IFFT) at its own offset in
  // the field, the results are summed, and one FFT evaluates the parity.
  for (size_t start = 0; start < k; start += m2) {
    const size_t count = k - start < m2 ? k - start : m2;
    uint8_t** dst = start == 0 ? w : w + m2;
    for (size_t i = 0; i < count; ++i)
      std::memcpy(dst[i], data[start + i], bytes);
    for (size_t i = count; i < m2; ++i)
      std::memset(dst[i], 0, bytes);
    fft16::ifft(*kernel_, dst, m2, count, m2 + start, fft16::Mask{}, bytes);
    if (start != 0)
      for (size_t i = 0; i < m2; ++i)
        kernel_->xor_region(w[i], dst[i], bytes);
  }
  fft16::fft(*kernel_, w, m2, m, fft16::Mask{}, bytes);
  for (size_t j = 0; j < m; ++j)
    std::memcpy(parity[j], w[j], bytes);
  return Status::ok();
}

Status LeopardCodec::decode(size_t k,
                            size_t m,
                            size_t bytes,
                            uint8_t* const* shards,
                            std::span<const uint8_t> present) {
  if (Status s = check_shape(k, m, bytes); !s.is_ok())
    return s;
  size_t lost_data = 0;
  if (Status s = check_erasures(k, m, shards, present, &lost_data); !s.is_ok())
    return s;
  if (lost_data == 0)
    return Status::ok();

  // Positions: parity j at j (j < m2; j >= m counts as lost), data i at m2 + i.
  const size_t m2 = next_pow2(m);
  const size_t n = next_pow2(m2 + k);
  const size_t used = m2 + k;
  locator_.assign(n, 0);
  for (size_t j = 0; j < m2; ++j)
    locator_[j] = (j >= m || !present[k + j]) ? 1 : 0;
  for (size_t i = 0; i < k; ++i)
    locator_[m2 + i] = present[i] ? 0 : 1;
  // Error locator: log of prod over erased e of (x_i + x_e), for every i, as an
  // XOR-convolution of the erasure indicator with the log table (Walsh domain).
  gf65536::fwht(locator_.data(), n);
  const uint16_t* walsh = gf65536::active_log_walsh(n);
  for (size_t i = 0; i < n; ++i)
    locator_[i] = static_cast<uint16_t>((static_cast<unsigned>(locator_[i]) * walsh[i]) % kModulus);
  gf65536::fwht(locator_.data(), n);

  uint8_t** w = work(n, bytes);
  for (size_t j = 0; j < m2; ++j) {
    if (j < m && present[k + j])
      kernel_->mul(w[j], shards[k + j], kernel_->coef(locator_[j]), bytes);
    else
      std::memset(w[j], 0, bytes);
  }
  for (size_t i = 0; i < k; ++i) {
    if (present[i])
      kernel_->mul(w[m2 + i], shards[i], kernel_->coef(locator_[m2 + i]), bytes);
    else
      std::memset(w[m2 + i], 0, bytes);
  }
  for (size_t i = used; i < n; ++i)
    std::memset(w[i], 0, bytes);

  // Which positions carry input, and which outputs (lost data) are wanted.
  nonzero_.assign(n + 1, 0);
  wanted_.assign(n + 1, 0);
  for (size_t p = 0; p < n; ++p) {
    const bool input = p < m ? present[k + p] != 0 : (p >= m2 && p < used && present[p - m2]);
    const bool want = p >= m2 && p < used && !present[p - m2];
    nonzero_[p + 1] = nonzero_[p] + (input ? 1 : 0);
    wanted_[p + 1] = wanted_[p] + (want ? 1 : 0);
  }
  fft16::ifft(*kernel_, w, n, used, 0, fft16::Mask{nonzero_.data()}, bytes);
  formal_derivative(w, n, bytes);
  fft16::fft(*kernel_, w, n, used, fft16::Mask{wanted_.data()}, bytes);
  for (size_t i = 0; i < k; ++i) {
    if (present[i])
      continue;
    const auto c = kernel_->coef(static_cast<uint16_t>(kModulus - locator_[m2 + i]));
    kernel_->mul(shards[i], w[m2 + i], c, bytes);
  }
  return Status::ok();
}

}  // namespace pf::fec
