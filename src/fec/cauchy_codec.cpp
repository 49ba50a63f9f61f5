// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/cauchy_codec.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "fec/erasures.h"
#include "fec/gf256.h"

namespace pf::fec {
namespace {

constexpr uint8_t kAudioMatrix[2][4] = {{0x77, 0x40, 0x38, 0x0e}, {0xc7, 0xa7, 0x0d, 0x6c}};

}  // namespace

CauchyCodec::CauchyCodec(Isa isa) : kernel_(&gf8::kernel(isa)) {}

CauchyCodec CauchyCodec::moonlight_audio(Isa isa) {
  CauchyCodec c(isa);
  c.audio_matrix_ = true;
  return c;
}

uint8_t CauchyCodec::parity_coefficient(size_t k, size_t m, size_t j, size_t i) const {
  if (audio_matrix_ && k == 4 && m == 2 && j < 2 && i < 4)
    return kAudioMatrix[j][i];
  return gf256::inv(static_cast<uint8_t>(j ^ (m + i)));
}

Status CauchyCodec::check_shape(size_t k, size_t m, size_t shard_bytes) const {
  if (k == 0 || m == 0)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("GF(2^8) FEC needs k >= 1 and m >= 1 (got k={}, m={})", k, m));
  if (k > kMaxShards || m > kMaxShards || k + m > kMaxShards)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("GF(2^8) FEC allows at most {} shards per block (got k+m={}); use "
                              "GF(2^16) for larger blocks",
                              kMaxShards, k + m));
  if (shard_bytes == 0 || shard_bytes > kMaxShardBytes)
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("shard size must be 1..{} bytes (got {})", kMaxShardBytes, shard_bytes));
  if (audio_matrix_ && (k != 4 || m != 2))
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("the GameStream audio FEC is (4, 2) only (got k={}, m={})", k, m));
  return Status::ok();
}

Status CauchyCodec::encode(size_t k,
                           size_t m,
                           size_t shard_bytes,
                           const uint8_t* const* data,
                           uint8_t* const* parity) {
  if (Status s = check_shape(k, m, shard_bytes); !s.is_ok())
    return s;
  if (Status s = check_shard_pointers(k, m, data, parity); !s.is_ok())
    return s;
  if (enc_k_ != k || enc_m_ != m) {
    coef_.resize(k * m);
    for (size_t j = 0; j < m; ++j)
      for (size_t i = 0; i < k; ++i)
        coef_[j * k + i] = parity_coefficient(k, m, j, i);
    enc_prepared_.resize(k * m * kernel_->prepared_bytes_per_coef);
    kernel_->prepare(coef_.data(), k * m, enc_prepared_.data());
    enc_k_ = k;
    enc_m_ = m;
  }
  kernel_->dot(enc_prepared_.data(), m, k, data, parity, shard_bytes);
  return Status::ok();
}

Status CauchyCodec::decode(size_t k,
                           size_t m,
                           size_t shard_bytes,
                           uint8_t* const* shards,
                           std::span<const uint8_t> present) {
  if (Status s = check_shape(k, m, shard_bytes); !s.is_ok())
    return s;
  size_t lost_data = 0;
  if (Status s = check_erasures(k, m, shards, present, &lost_data); !s.is_ok())
    return s;
  if (lost_data == 0)
    return Status::ok();

  const bool cached = dec_k_ == k && dec_m_ == m &&
                      std::equal(present.begin(), present.begin() + k + m, dec_present_.begin(),
                                 dec_present_.end());
  missing_.clear();
  inputs_idx_.clear();
  for (size_t i = 0; i < k; ++i)
    (present[i] ? inputs_idx_ : missing_).push_back(i);
  const size_t e = missing_.size();
  // The first e parity shards that arrived stand in for the missing data.
  std::vector<uint16_t>& parity_used = inputs_idx_;  // appended after the data inputs
  const size_t data_inputs = inputs_idx_.size();
  for (size_t j = 0; j < m && parity_used.size() < data_inputs + e; ++j)
    if (present[k + j])
      parity_used.push_back(static_cast<uint16_t>(k + j));

  if (!cached) {
    // S = P[J][D] (e x e), inverted in place.
    sub_.resize(e * e);
    scratch_.resize(e * e);
    for (size_t u = 0; u < e; ++u)
      for (size_t t = 0; t < e; ++t)
        sub_[u * e + t] = parity_coefficient(k, m, inputs_idx_[data_inputs + u] - k, missing_[t]);
    if (!gf256::invert_matrix(sub_.data(), e, scratch_.data()))
      return Status(StatusCode::kInternal, "singular decode matrix (the parity matrix is not MDS)");
    // Row t of the decode matrix over the inputs [data not lost..., parity J...]:
    //   d_D = S^-1 (p_J + P[J][notD] d_notD).
    coef_.assign(e * k, 0);
    for (size_t t = 0; t < e; ++t) {
      uint8_t* row = coef_.data() + t * k;
      for (size_t u = 0; u < e; ++u) {
        const uint8_t s = sub_[t * e + u];
        row[data_inputs + u] = s;
        if (s == 0)
          continue;
        const size_t j = inputs_idx_[data_inputs + u] - k;
        for (size_t c = 0; c < data_inputs; ++c)
          row[c] ^= gf256::mul(s, parity_coefficient(k, m, j, inputs_idx_[c]));
      }
    }
    dec_prepared_.resize(e * k * kernel_->prepared_bytes_per_coef);
    kernel_->prepare(coef_.data(), e * k, dec_prepared_.data());
    dec_k_ = k;
    dec_m_ = m;
    dec_present_.assign(present.begin(), present.begin() + k + m);
  }
  in_ptrs_.resize(k);
  for (size_t c = 0; c < k; ++c)
    in_ptrs_[c] = shards[inputs_idx_[c]];
  out_ptrs_.resize(e);
  for (size_t t = 0; t < e; ++t)
    out_ptrs_[t] = shards[missing_[t]];
  kernel_->dot(dec_prepared_.data(), e, k, in_ptrs_.data(), out_ptrs_.data(), shard_bytes);
  return Status::ok();
}

}  // namespace pf::fec
