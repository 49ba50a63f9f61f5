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

void CauchyCodec::reserve_plans(size_t k, size_t m) {
  // The most any pattern of this shape needs: e <= m lost, e x (k - e) <= m x k.
  const size_t coefs = m * k + m * m;
  if (coefs <= plans_reserved_)
    return;
  const size_t bpc = kernel_->prepared_bytes_per_coef;
  for (Plan& p : plans_) {
    p.present.reserve(k + m);
    p.lost.reserve(k);
    p.kept.reserve(k);
    p.parity.reserve(m);
    p.sub_prepared.reserve(m * k * bpc);
    p.inv_prepared.reserve(m * m * bpc);
  }
  coef_.reserve(m * k);
  in_ptrs_.reserve(k);
  out_ptrs_.reserve(m);
  q_ptrs_.reserve(m);
  sub_.reserve(m * m);
  scratch_.reserve(m * m);
  plans_reserved_ = coefs;
}

Status CauchyCodec::build_plan(Plan& p, size_t k, size_t m, std::span<const uint8_t> present) {
  p.k = k;
  p.m = m;
  p.present.assign(present.begin(), present.end());
  p.lost.clear();
  p.kept.clear();
  p.parity.clear();
  for (size_t i = 0; i < k; ++i)
    (present[i] ? p.kept : p.lost).push_back(static_cast<uint16_t>(i));
  const size_t e = p.lost.size(), kept = p.kept.size();
  for (size_t j = 0; j < m && p.parity.size() < e; ++j)
    if (present[k + j])
      p.parity.push_back(static_cast<uint16_t>(j));
  // S = P[J][D], inverted.
  sub_.resize(e * e);
  scratch_.resize(e * e);
  for (size_t u = 0; u < e; ++u)
    for (size_t t = 0; t < e; ++t)
      sub_[u * e + t] = parity_coefficient(k, m, p.parity[u], p.lost[t]);
  if (!gf256::invert_matrix(sub_.data(), e, scratch_.data())) {
    p.used = 0;
    p.k = 0;  // not a plan
    return Status(StatusCode::kInternal, "singular decode matrix (the parity matrix is not MDS)");
  }
  const size_t bpc = kernel_->prepared_bytes_per_coef;
  p.inv_prepared.resize(e * e * bpc);
  kernel_->prepare(sub_.data(), e * e, p.inv_prepared.data());
  coef_.resize(e * kept);
  for (size_t u = 0; u < e; ++u)
    for (size_t c = 0; c < kept; ++c)
      coef_[u * kept + c] = parity_coefficient(k, m, p.parity[u], p.kept[c]);
  p.sub_prepared.resize(e * kept * bpc);
  kernel_->prepare(coef_.data(), e * kept, p.sub_prepared.data());
  return Status::ok();
}

CauchyCodec::Plan& CauchyCodec::plan_for(size_t k,
                                         size_t m,
                                         std::span<const uint8_t> present,
                                         Status* st) {
  Plan* oldest = &plans_[0];
  for (Plan& p : plans_) {
    if (p.k == k && p.m == m &&
        std::equal(present.begin(), present.end(), p.present.begin(), p.present.end())) {
      p.used = ++plan_clock_;
      return p;
    }
    if (p.used < oldest->used)
      oldest = &p;
  }
  reserve_plans(k, m);
  *st = build_plan(*oldest, k, m, present);
  oldest->used = ++plan_clock_;
  return *oldest;
}

namespace {

void xor_into(uint8_t* __restrict dst, const uint8_t* __restrict src, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t a, b;
    std::memcpy(&a, dst + i, 8);
    std::memcpy(&b, src + i, 8);
    a ^= b;
    std::memcpy(dst + i, &a, 8);
  }
  for (; i < n; ++i)
    dst[i] ^= src[i];
}

}  // namespace

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
  Status st = Status::ok();
  const Plan& p = plan_for(k, m, present, &st);
  if (!st.is_ok())
    return st;
  const size_t e = p.lost.size(), kept = p.kept.size();
  // q = p_J + P[J][K] d_K, in scratch (the outputs may not overlap the inputs).
  if (q_.size() < e * shard_bytes)
    q_.resize(std::max(e, m) * shard_bytes);
  q_ptrs_.resize(e);
  for (size_t u = 0; u < e; ++u)
    q_ptrs_[u] = q_.data() + u * shard_bytes;
  if (kept > 0) {
    in_ptrs_.resize(kept);
    for (size_t c = 0; c < kept; ++c)
      in_ptrs_[c] = shards[p.kept[c]];
    kernel_->dot(p.sub_prepared.data(), e, kept, in_ptrs_.data(), q_ptrs_.data(), shard_bytes);
    for (size_t u = 0; u < e; ++u)
      xor_into(q_ptrs_[u], shards[k + p.parity[u]], shard_bytes);
  } else {
    for (size_t u = 0; u < e; ++u)
      std::memcpy(q_ptrs_[u], shards[k + p.parity[u]], shard_bytes);
  }
  // d_D = S^-1 q.
  in_ptrs_.resize(e);
  out_ptrs_.resize(e);
  for (size_t t = 0; t < e; ++t) {
    in_ptrs_[t] = q_ptrs_[t];
    out_ptrs_[t] = shards[p.lost[t]];
  }
  kernel_->dot(p.inv_prepared.data(), e, e, in_ptrs_.data(), out_ptrs_.data(), shard_bytes);
  return Status::ok();
}

}  // namespace pf::fec
