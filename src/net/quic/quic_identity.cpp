// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/quic/quic_identity.h"

#include <sys/stat.h>

#include "base/file_io.h"
#include "base/log.h"
#include "crypto/pki.h"

namespace pf::net {

Result<QuicIdentity> load_or_create_identity(const std::filesystem::path& dir,
                                             const std::string& common_name) {
  const auto cert_path = dir / "native-cert.pem", key_path = dir / "native-key.pem";
  auto cert = read_file(cert_path, 1 << 20);
  auto key = read_file(key_path, 1 << 20);
  for (const auto* r : {&cert, &key})
    if (!*r && r->error().code() != StatusCode::kNotFound)
      return tl::unexpected(r->error());  // unreadable: permissions or I/O, the user must look
  if (cert && key && certificate_fingerprint(*cert))
    return QuicIdentity{*cert, *key};
  if (cert || key) {
    // Damaged or half there: keep what is left for the user, start a new identity.
    auto moved = move_aside_together({cert_path, key_path});
    if (!moved)
      return tl::unexpected(moved.error());
    log_error(
        "the punktfunk/1 identity in {} was damaged or incomplete; moved it aside ({}) and "
        "created a new one: paired peers have to pair again",
        dir.string(), *moved);
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return make_error(StatusCode::kUnavailable,
                      "cannot create " + dir.string() + ": " + ec.message());
  auto made = crypto::make_self_signed_p256(common_name);
  if (!made)
    return tl::unexpected(made.error());
  if (Status st = write_file_atomic(key_path, made->key_pem, 0600); !st.is_ok())
    return tl::unexpected(st);
  if (Status st = write_file_atomic(cert_path, made->cert_pem, 0600); !st.is_ok())
    return tl::unexpected(st);
  return QuicIdentity{made->cert_pem, made->key_pem};
}

}  // namespace pf::net
