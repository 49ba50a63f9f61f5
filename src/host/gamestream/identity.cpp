// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/identity.h"

#include <array>

#include <fmt/format.h>

#include "base/hex.h"
#include "base/log.h"
#include "crypto/pki.h"
#include "host/config/paths.h"

namespace pf::host::gamestream {

namespace fs = std::filesystem;

std::string random_uuid() {
  std::array<uint8_t, 16> b;
  crypto::random_bytes(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);
  const std::string h = to_hex(b, false);
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                     h.substr(16, 4), h.substr(20));
}

Result<HostIdentity> HostIdentity::load_or_create(const fs::path& dir) {
  const fs::path cert = dir / "host-cert.pem", key = dir / "host-key.pem", id = dir / "host-id";
  HostIdentity out;
  auto c = read_file(cert);
  auto k = read_file(key);
  for (const auto* r : {&c, &k})
    if (!*r && r->error().code() != StatusCode::kNotFound)
      return tl::unexpected(r->error());  // unreadable: permissions or I/O, the user must look
  if (c && k && crypto::certificate_signature(*c) &&
      crypto::rsa_sha256_sign(*k, std::span<const uint8_t>())) {
    out.cert_pem = std::move(*c);
    out.key_pem = std::move(*k);
  } else {
    if (c || k) {
      // Damaged or half there: keep what is left for the user, start a new identity.
      auto moved = move_aside_together({cert, key});
      if (!moved)
        return tl::unexpected(moved.error());
      log_error(
          "the GameStream identity in {} was damaged or incomplete; moved it aside ({}) "
          "and created a new one: every Moonlight client has to pair again",
          dir.string(), *moved);
    } else {
      log_info("creating the host identity (RSA-2048 key and certificate) in {}", dir.string());
    }
    auto made = crypto::make_self_signed_rsa("punktfunk");
    if (!made)
      return tl::unexpected(made.error());
    if (auto st = write_file_atomic(key, made->key_pem, 0600); !st.is_ok())
      return tl::unexpected(st);
    if (auto st = write_file_atomic(cert, made->cert_pem, 0644); !st.is_ok())
      return tl::unexpected(st);
    out.cert_pem = std::move(made->cert_pem);
    out.key_pem = std::move(made->key_pem);
  }
  auto i = read_file(id);
  if (i && !i->empty()) {
    out.unique_id = i->substr(0, i->find_first_of("\r\n"));
  } else {
    out.unique_id = random_uuid();
    if (auto st = write_file_atomic(id, out.unique_id + "\n", 0644); !st.is_ok())
      return tl::unexpected(st);
  }
  return out;
}

}  // namespace pf::host::gamestream
