// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace httplib {
class SSLClient;
}

// The management API as punktfunk-ctl calls it: HTTPS to the host, the bearer
// token, and the host's certificate pinned (the API's certificate is the
// host's self-signed GameStream one, which no CA vouches for: the client
// accepts exactly that certificate, read from the host's state directory).
// Thread model: one thread.
namespace pf::host::ctl {

struct ApiResponse {
  int status = 0;
  nlohmann::json body;  // null when the answer was not JSON
};

class ApiClient {
 public:
  // `pinned_cert_pem` empty: no certificate check (--insecure).
  ApiClient(const std::string& host, uint16_t port, std::string token, std::string pinned_cert_pem);
  ~ApiClient();

  // kUnavailable when the host cannot be reached or presents another
  // certificate; any HTTP answer is a response (the caller reads the status).
  Result<ApiResponse> call(const std::string& method,
                           const std::string& path,
                           const std::optional<nlohmann::json>& body = std::nullopt);

 private:
  std::unique_ptr<httplib::SSLClient> client_;
  std::string where_;
  std::string pinned_der_;
};

}  // namespace pf::host::ctl
