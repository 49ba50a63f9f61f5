// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "base/status.h"
#include "host/gamestream/nvhttp.h"

namespace httplib {
class Server;
class SSLServer;
}  // namespace httplib

namespace pf::host::gamestream {

// Carries NvHttp over HTTP (47989) and HTTPS (47984) with cpp-httplib. The
// HTTPS side requests a client certificate but accepts any (or none) during
// the handshake; NvHttp decides what an unknown certificate may do. TLS 1.2+.
// Each server has its own thread pool, so a pairing request waiting for the
// PIN does not stop other requests.
class HttpServers {
 public:
  // Binds both ports on `address` ("0.0.0.0" for all IPv4 interfaces) and
  // starts serving. Port 0 picks free ports (tests); see http_port()/https_port().
  static Result<std::unique_ptr<HttpServers>> start(NvHttp* handler,
                                                    const HostIdentity& identity,
                                                    const std::string& address,
                                                    uint16_t http_port,
                                                    uint16_t https_port);
  ~HttpServers();

  uint16_t http_port() const { return http_port_; }
  uint16_t https_port() const { return https_port_; }
  void stop();

 private:
  HttpServers() = default;

  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<httplib::SSLServer> https_;
  std::thread http_thread_, https_thread_;
  uint16_t http_port_ = 0, https_port_ = 0;
};

}  // namespace pf::host::gamestream
