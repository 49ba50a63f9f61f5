// SPDX-License-Identifier: MIT OR Apache-2.0
#include "crypto/spake2.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/check.h"
#include "base/hex.h"
#include "crypto/hkdf.h"

namespace pf::crypto {
namespace {

// RFC 9382 section 6, P-256: compressed SEC1 encodings of M and N.
constexpr std::string_view kM =
    "02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f";
constexpr std::string_view kN =
    "03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49";

struct BnDel {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
struct PointDel {
  void operator()(EC_POINT* p) const { EC_POINT_clear_free(p); }
};
struct GroupDel {
  void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
};
struct CtxDel {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDel>;
using PointPtr = std::unique_ptr<EC_POINT, PointDel>;
using GroupPtr = std::unique_ptr<EC_GROUP, GroupDel>;
using CtxPtr = std::unique_ptr<BN_CTX, CtxDel>;

BnPtr bn_from(std::span<const uint8_t> be) {
  return BnPtr(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
}

PointPtr point_from(const EC_GROUP* g, std::span<const uint8_t> bytes, BN_CTX* ctx) {
  PointPtr p(EC_POINT_new(g));
  if (!p || EC_POINT_oct2point(g, p.get(), bytes.data(), bytes.size(), ctx) != 1)
    return nullptr;
  return p;
}

PointPtr constant_point(const EC_GROUP* g, std::string_view hex, BN_CTX* ctx) {
  auto bytes = from_hex(hex);
  PF_CHECK(bytes.has_value());
  PointPtr p = point_from(g, *bytes, ctx);
  PF_CHECK(p != nullptr);
  return p;
}

void append_len(std::vector<uint8_t>& out, std::span<const uint8_t> part) {
  uint64_t n = part.size();
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<uint8_t>(n >> (8 * i)));
  out.insert(out.end(), part.begin(), part.end());
}

}  // namespace

struct Spake2::State {
  Role role = Role::kA;
  GroupPtr group;
  CtxPtr ctx;
  BnPtr w, secret;
  Scalar w_bytes{};
};

Spake2::Spake2(std::unique_ptr<State> state) : state_(std::move(state)) {}
Spake2::Spake2(Spake2&&) noexcept = default;
Spake2& Spake2::operator=(Spake2&&) noexcept = default;
Spake2::~Spake2() = default;

Spake2::Scalar Spake2::password_scalar(std::string_view password) {
  static constexpr std::string_view kLabel = "punktfunk/1 pairing";
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  PF_CHECK(md && EVP_DigestInit_ex(md, EVP_sha512(), nullptr) == 1);
  EVP_DigestUpdate(md, kLabel.data(), kLabel.size());
  EVP_DigestUpdate(md, password.data(), password.size());
  std::array<uint8_t, 64> digest{};
  unsigned n = 0;
  EVP_DigestFinal_ex(md, digest.data(), &n);
  EVP_MD_CTX_free(md);

  GroupPtr g(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  CtxPtr ctx(BN_CTX_new());
  BnPtr wide = bn_from(digest), r(BN_new());
  PF_CHECK(g && ctx && wide && r);
  PF_CHECK(BN_nnmod(r.get(), wide.get(), EC_GROUP_get0_order(g.get()), ctx.get()) == 1);
  Scalar out{};
  PF_CHECK(BN_bn2binpad(r.get(), out.data(), static_cast<int>(out.size())) == 32);
  return out;
}

Result<Spake2> Spake2::create(Role role, const Scalar& w, const std::optional<Scalar>& secret) {
  auto st = std::make_unique<State>();
  st->role = role;
  st->group.reset(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  st->ctx.reset(BN_CTX_new());
  if (!st->group || !st->ctx)
    return make_error(StatusCode::kInternal, "P-256 is not available in OpenSSL");
  const BIGNUM* order = EC_GROUP_get0_order(st->group.get());
  st->w = bn_from(w);
  st->w_bytes = w;
  if (!st->w || BN_cmp(st->w.get(), order) >= 0)
    return make_error(StatusCode::kInvalidArgument,
                      "SPAKE2 password scalar is not below the order");
  if (secret) {
    st->secret = bn_from(*secret);
    if (!st->secret || BN_is_zero(st->secret.get()) || BN_cmp(st->secret.get(), order) >= 0)
      return make_error(StatusCode::kInvalidArgument, "SPAKE2 secret scalar out of range");
  } else {
    st->secret.reset(BN_new());
    do {
      PF_CHECK(BN_priv_rand_range(st->secret.get(), order) == 1);
    } while (BN_is_zero(st->secret.get()));
  }
  EC_GROUP* g = st->group.get();
  PointPtr blind = constant_point(g, role == Role::kA ? kM : kN, st->ctx.get());
  PointPtr pub(EC_POINT_new(g));
  // pub = secret*G + w*blind
  PF_CHECK(pub && EC_POINT_mul(g, pub.get(), st->secret.get(), blind.get(), st->w.get(),
                               st->ctx.get()) == 1);
  Spake2 out(std::move(st));
  PF_CHECK(EC_POINT_point2oct(g, pub.get(), POINT_CONVERSION_UNCOMPRESSED, out.share_.data(),
                              out.share_.size(), out.state_->ctx.get()) == out.share_.size());
  return out;
}

Result<Spake2::Keys> Spake2::finish(std::span<const uint8_t> peer_share,
                                    std::span<const uint8_t> identity_a,
                                    std::span<const uint8_t> identity_b,
                                    std::span<const uint8_t> aad) const {
  const EC_GROUP* g = state_->group.get();
  BN_CTX* ctx = state_->ctx.get();
  if (peer_share.size() != sizeof(Share) || peer_share[0] != 0x04)
    return make_error(StatusCode::kInvalidArgument, "SPAKE2 share is not an uncompressed point");
  PointPtr peer = point_from(g, peer_share, ctx);
  if (!peer || EC_POINT_is_at_infinity(g, peer.get()))
    return make_error(StatusCode::kInvalidArgument, "SPAKE2 share is not a point on P-256");
  // The peer blinded with the other constant.
  PointPtr blind = constant_point(g, state_->role == Role::kA ? kN : kM, ctx);
  PointPtr t(EC_POINT_new(g)), k(EC_POINT_new(g));
  PF_CHECK(t && k);
  PF_CHECK(EC_POINT_mul(g, t.get(), nullptr, blind.get(), state_->w.get(), ctx) == 1);
  PF_CHECK(EC_POINT_invert(g, t.get(), ctx) == 1);
  PF_CHECK(EC_POINT_add(g, t.get(), peer.get(), t.get(), ctx) == 1);
  PF_CHECK(EC_POINT_mul(g, k.get(), nullptr, t.get(), state_->secret.get(), ctx) == 1);
  if (EC_POINT_is_at_infinity(g, k.get()))
    return make_error(StatusCode::kInvalidArgument, "SPAKE2 share leads to the identity element");
  Share k_bytes{};
  PF_CHECK(EC_POINT_point2oct(g, k.get(), POINT_CONVERSION_UNCOMPRESSED, k_bytes.data(),
                              k_bytes.size(), ctx) == k_bytes.size());

  const bool is_a = state_->role == Role::kA;
  std::vector<uint8_t> tt;
  tt.reserve(8 * 6 + identity_a.size() + identity_b.size() + 65 * 3 + 32);
  append_len(tt, identity_a);
  append_len(tt, identity_b);
  append_len(tt, is_a ? std::span<const uint8_t>(share_) : peer_share);
  append_len(tt, is_a ? peer_share : std::span<const uint8_t>(share_));
  append_len(tt, k_bytes);
  append_len(tt, state_->w_bytes);

  std::array<uint8_t, 32> hash{};
  SHA256(tt.data(), tt.size(), hash.data());
  Keys keys;
  std::memcpy(keys.ke.data(), hash.data(), 16);

  // KcA | KcB = HKDF-SHA256(salt = none, ikm = Ka, info = "ConfirmationKeys" | AAD, 32)
  std::vector<uint8_t> info{'C', 'o', 'n', 'f', 'i', 'r', 'm', 'a',
                            't', 'i', 'o', 'n', 'K', 'e', 'y', 's'};
  info.insert(info.end(), aad.begin(), aad.end());
  auto kc_bytes = hkdf_sha256(std::span<const uint8_t>(hash).subspan(16), {}, info, 32);
  PF_CHECK(kc_bytes.has_value());
  std::array<uint8_t, 32> kc{};
  std::copy(kc_bytes->begin(), kc_bytes->end(), kc.begin());
  OPENSSL_cleanse(kc_bytes->data(), kc_bytes->size());

  unsigned len = 0;
  PF_CHECK(HMAC(EVP_sha256(), kc.data(), 16, tt.data(), tt.size(), keys.confirm_a.data(), &len));
  PF_CHECK(
      HMAC(EVP_sha256(), kc.data() + 16, 16, tt.data(), tt.size(), keys.confirm_b.data(), &len));
  OPENSSL_cleanse(hash.data(), hash.size());
  OPENSSL_cleanse(kc.data(), kc.size());
  OPENSSL_cleanse(tt.data(), tt.size());
  return keys;
}

bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace pf::crypto
