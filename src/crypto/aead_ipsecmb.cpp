// SPDX-License-Identifier: MIT OR Apache-2.0
// AES-128-GCM through Intel's multi-buffer crypto library (single-buffer GCM
// API; the library picks its AVX-512/VAES path itself).
#include <openssl/crypto.h>

#include <intel-ipsec-mb.h>

#include "crypto/aead.h"
#include "crypto/aead_backends.h"

namespace pf::crypto {
namespace {

// The library's manager holds its dispatch table (and errno), not a key's
// state: one per thread, made at the thread's first use and freed with it.
// (One per key cost the allocation and set-up of a 52 KB manager each:
// a session's keys, every fuzz input.) The key and GCM context stay in each
// IpsecMbAesGcm, so a key may be used on another thread than the one that
// made it.
struct ThreadManager {
  IMB_MGR* mgr = nullptr;
  IMB_ARCH arch = IMB_ARCH_NONE;
  int error = 0;
  ThreadManager() {
    mgr = alloc_mb_mgr(0);
    if (!mgr)
      return;
    init_mb_mgr_auto(mgr, &arch);
    error = imb_get_errno(mgr);
  }
  ~ThreadManager() {
    if (mgr)
      free_mb_mgr(mgr);
  }
  ThreadManager(const ThreadManager&) = delete;
  ThreadManager& operator=(const ThreadManager&) = delete;
};

ThreadManager& thread_manager() {
  thread_local ThreadManager m;
  return m;
}

class IpsecMbAesGcm final : public Aead {
 public:
  Status init(std::span<const uint8_t> key) {
    const ThreadManager& m = thread_manager();
    if (!m.mgr)
      return Status(StatusCode::kResourceExhausted, "alloc_mb_mgr failed");
    if (m.error != 0)
      return Status(
          StatusCode::kUnavailable,
          std::string("intel-ipsec-mb cannot run on this CPU: ") + imb_get_strerror(m.error));
    arch_ = m.arch;
    IMB_AES128_GCM_PRE(m.mgr, key.data(), &key_);
    return Status::ok();
  }

  void seal(std::span<const uint8_t, kNonceBytes> nonce,
            std::span<const uint8_t> aad,
            std::span<const uint8_t> pt,
            uint8_t* out) override {
    IMB_AES128_GCM_ENC(thread_manager().mgr, &key_, &ctx_, out, pt.data(), pt.size(), nonce.data(),
                       aad.data(), aad.size(), out + pt.size(), kTagBytes);
  }

  bool open(std::span<const uint8_t, kNonceBytes> nonce,
            std::span<const uint8_t> aad,
            std::span<const uint8_t> sealed,
            uint8_t* out) override {
    if (sealed.size() < kTagBytes)
      return false;
    const size_t n = sealed.size() - kTagBytes;
    uint8_t received[kTagBytes], computed[kTagBytes];
    for (size_t i = 0; i < kTagBytes; ++i)
      received[i] = sealed[n + i];
    IMB_AES128_GCM_DEC(thread_manager().mgr, &key_, &ctx_, out, sealed.data(), n, nonce.data(),
                       aad.data(), aad.size(), computed, kTagBytes);
    return CRYPTO_memcmp(received, computed, kTagBytes) == 0;  // constant time
  }

  std::string_view name() const override {
    switch (arch_) {
      case IMB_ARCH_AVX512:
        return "AES-128-GCM (intel-ipsec-mb, AVX-512)";
      case IMB_ARCH_AVX2:
        return "AES-128-GCM (intel-ipsec-mb, AVX2)";
      case IMB_ARCH_AVX:
        return "AES-128-GCM (intel-ipsec-mb, AVX)";
      default:
        return "AES-128-GCM (intel-ipsec-mb, SSE)";
    }
  }

 private:
  IMB_ARCH arch_ = IMB_ARCH_NONE;
  alignas(64) gcm_key_data key_{};
  alignas(64) gcm_context_data ctx_{};
};

}  // namespace

Result<std::unique_ptr<Aead>> make_ipsecmb_aes_gcm(std::span<const uint8_t> key) {
  auto a = std::make_unique<IpsecMbAesGcm>();
  if (Status s = a->init(key); !s.is_ok())
    return tl::unexpected(s);
  return std::unique_ptr<Aead>(std::move(a));
}

}  // namespace pf::crypto
