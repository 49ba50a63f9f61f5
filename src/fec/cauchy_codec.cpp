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
  // The most any pattern of this shape needs: e <= m lost, e x k coefficients.
  const size_t coefs = m * k + m * m;
  if (coefs <= plans_reserved_)
    return;
  const size_t bpc = kernel_->prepared_bytes_per_coef;
  for (Plan& p : plans_) {
    p.present.reserve(k + m);
    p.lost.reserve(k);
    p.kept.reserve(k);
    p.parity.reserve(m);
    p.prepared.reserve(m * k * bpc);
  }
  coef_.reserve(m * k);
  fold_.reserve(m * k);
  in_ptrs_.reserve(k);
  out_ptrs_.reserve(k);
  sub_.reserve(m * m);
  sub_prepared_.reserve(m * m * bpc);
  scratch_.reserve(std::max(m * m, 2 * m));
  xs_.reserve(m);
  ys_.reserve(m);
  plans_reserved_ = coefs;
}

// sub_ = S^-1 (row t: lost data shard t; column u: parity J_u).
Status CauchyCodec::invert_sub(const Plan& p, size_t k, size_t m) {
  const size_t e = p.lost.size();
  sub_.resize(e * e);
  scratch_.resize(std::max(e * e, 2 * e));
  if (audio_matrix_) {  // not Cauchy: by elimination (at most 2 x 2)
    for (size_t u = 0; u < e; ++u)
      for (size_t t = 0; t < e; ++t)
        sub_[u * e + t] = parity_coefficient(k, m, p.parity[u], p.lost[t]);
    if (!gf256::invert_matrix(sub_.data(), e, scratch_.data()))
      return Status(StatusCode::kInternal, "singular decode matrix (the parity matrix is not MDS)");
    return Status::ok();
  }
  // P[j][i] = 1 / (j + (m + i)): a Cauchy matrix in x = j, y = m + i.
  xs_.resize(e);
  ys_.resize(e);
  for (size_t u = 0; u < e; ++u) {
    xs_[u] = static_cast<uint8_t>(p.parity[u]);
    ys_[u] = static_cast<uint8_t>(m + p.lost[u]);
  }
  gf256::invert_cauchy(xs_.data(), ys_.data(), e, sub_.data(), scratch_.data());
  return Status::ok();
}

Status CauchyCodec::build_plan(Plan& p, size_t k, size_t m, std::span<const uint8_t> present) {
  p.k = 0;  // not a plan until it is built
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
  if (Status st = invert_sub(p, k, m); !st.is_ok())
    return st;
  // The fold F = S^-1 P[J][K] (e x (k - e)), one region product over the rows
  // of P[J][K]; the decode matrix row t is [F_t | S^-1_t].
  coef_.resize(e * kept);
  const uint8_t* inv = gf256::tables().inv;
  for (size_t u = 0; u < e; ++u) {
    uint8_t* row = coef_.data() + u * kept;
    if (audio_matrix_) {
      for (size_t c = 0; c < kept; ++c)
        row[c] = parity_coefficient(k, m, p.parity[u], p.kept[c]);
    } else {
      const size_t j = p.parity[u];
      for (size_t c = 0; c < kept; ++c)
        row[c] = inv[static_cast<uint8_t>(j ^ (m + p.kept[c]))];
    }
  }
  const size_t bpc = kernel_->prepared_bytes_per_coef;
  fold_.resize(e * k);
  if (kept > 0) {
    sub_prepared_.resize(e * e * bpc);
    kernel_->prepare(sub_.data(), e * e, sub_prepared_.data());
    in_ptrs_.resize(e);
    out_ptrs_.resize(e);
    for (size_t u = 0; u < e; ++u) {
      in_ptrs_[u] = coef_.data() + u * kept;
      out_ptrs_[u] = fold_.data() + u * k;  // row t of the matrix starts with F_t
    }
    kernel_->dot(sub_prepared_.data(), e, e, in_ptrs_.data(), out_ptrs_.data(), kept);
  }
  for (size_t t = 0; t < e; ++t)
    std::memcpy(fold_.data() + t * k + kept, sub_.data() + t * e, e);
  p.prepared.resize(e * k * bpc);
  kernel_->prepare(fold_.data(), e * k, p.prepared.data());
  p.k = k;
  p.m = m;
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
  in_ptrs_.resize(k);
  for (size_t c = 0; c < kept; ++c)
    in_ptrs_[c] = shards[p.kept[c]];
  for (size_t u = 0; u < e; ++u)
    in_ptrs_[kept + u] = shards[k + p.parity[u]];
  out_ptrs_.resize(e);
  for (size_t t = 0; t < e; ++t)
    out_ptrs_[t] = shards[p.lost[t]];
  kernel_->dot(p.prepared.data(), e, k, in_ptrs_.data(), out_ptrs_.data(), shard_bytes);
  return Status::ok();
}

}  // namespace pf::fec
