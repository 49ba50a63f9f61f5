// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "crypto/pki.h"

// A GameStream client for tests and tools, written directly on OpenSSL: one
// GET per connection (as Moonlight does), HTTP or HTTPS with an optional
// client certificate, and the certificate the server presented. It is the
// other side of the protocol, so it doubles as an executable specification.
namespace pf::host::gamestream {

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string server_cert_pem;  // HTTPS only
};

Result<HttpResult> http_get(const std::string& host,
                            uint16_t port,
                            const std::string& target,
                            bool https,
                            const crypto::PemIdentity* client_identity = nullptr,
                            int timeout_ms = 10'000);

}  // namespace pf::host::gamestream
